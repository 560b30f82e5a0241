package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.channelmirror.storage.ObjectStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What {@code verify} calls an orphan ("harmless leftovers" in the README, so an owner may delete
 * them), and what it costs. Found by a black-box sweep (moto, S3Mock, 3,200 posts):
 * <ul>
 *   <li>the media of a post whose only manifest is damaged was listed as orphans next to the bad
 *       manifest: deleting them as told would lose files a repaired manifest still needs;
 *   <li>another instance's objects, whose prefix nests under this one's {@code media/} (prefix
 *       {@code backups/} here and {@code backups/media/old/} there), were all orphans of this one;
 *   <li>verify and reindex sent a HEAD request per media object when the listing of {@code media/},
 *       a thousand objects a request, already has every size;
 *   <li>verify, reindex and export (and restore, through the same reader) read the manifests one
 *       after another.
 * </ul>
 */
class VerifyOrphansIT {
  @TempDir
  Path tmp;

  @Test
  void theMediaOfADamagedManifestAndAnotherPrefixsObjectsAreNotOrphans() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      BucketReader bucket = new BucketReader(store);
      // message 3 (the video) has one version only: damage it
      String videoManifest = bucket.manifestKeys(Drill.SOURCE).stream().filter(k -> k.messageId() == 3)
          .findFirst().orElseThrow().key();
      String videoObject = bucket.read(videoManifest).media().get(0).objectKey();
      store.putBytes(videoManifest, "{\"format\":\"channel-mirror/manif".getBytes(StandardCharsets.UTF_8),
          "application/json", Map.of());
      // an instance with the prefix backups/media/old/ in the same bucket
      String otherMedia = store.prefix() + "media/old/media/AgADother.jpg";
      String otherManifest = store.prefix() + "media/old/channels/-1009/posts/0000000001/0000000000-0123456789ab.json";
      store.putBytes(otherMedia, new byte[] {1, 2, 3}, "image/jpeg", Map.of("file-unique-id", "AgADother"));
      store.putBytes(otherManifest, "{}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
      String stray = store.prefix() + "media/stray.bin";
      store.putBytes(stray, new byte[] {4}, "application/octet-stream", Map.of());

      Drill.Result r = drill.cli("verify", "--json");
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      JsonNode report = Drill.json(r.out());
      assertThat(VerifyIT.problems(report, "orphan")).as(r.out()).containsExactly(stray);
      assertThat(VerifyIT.problems(report, "bad_manifest")).containsExactly(videoManifest);
      assertThat(VerifyIT.problems(report, "missing")).isEmpty();
      JsonNode bad = report.path("problems").get(0);
      assertThat(bad.path("detail").asText()).as("names the object the damaged manifest may need")
          .contains(videoObject).doesNotContain("\n", "[Source");

      Drill.Result table = drill.cli("verify");
      assertThat(table.out()).contains("bad_manifest", videoManifest, videoObject, "1 orphan")
          .doesNotContain(otherMedia, "[Source");
    }
  }

  @Test
  void verifyAndReindexTakeSizesFromTheListingNotAHeadPerObject() throws Exception {
    TestLogs.quiet();
    AtomicInteger heads = new AtomicInteger();
    try (Drill drill = Drill.start(tmp, s3 -> new ForwardingBlobStore(s3) {
          @Override
          public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
            heads.incrementAndGet();
            return super.blobMetadata(request);
          }
        })) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      heads.set(0);
      Drill.Result v = drill.cli("verify", "--json");
      assertThat(v.exitCode()).as(v.out()).isZero();
      assertThat(Drill.json(v.out()).path("objects").asInt()).isEqualTo(14);
      assertThat(heads.get()).as("HEAD requests for 14 objects").isZero();

      heads.set(0);
      Drill.Result r = drill.cli("reindex");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("15 media item(s) stored, 0 to fetch again");
      assertThat(heads.get()).as("HEAD requests for 14 objects").isZero();
    }
  }

  /**
   * A bucket across the internet answers each GET after tens of milliseconds: read one after another,
   * the manifests of a few thousand posts took minutes. Here each manifest GET takes 50 ms.
   */
  @Test
  void verifyReindexAndExportReadSeveralManifestsAtOnce() throws Exception {
    TestLogs.quiet();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicBoolean slow = new AtomicBoolean();
    try (Drill drill = Drill.start(tmp, s3 -> new ForwardingBlobStore(s3) {
          @Override
          public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
            if (!slow.get() || !request.key().contains("/posts/")) {
              return super.getBlob(request);
            }
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              Thread.sleep(50);
              return super.getBlob(request);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            } finally {
              running.decrementAndGet();
            }
          }
        })) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();
      slow.set(true);

      Drill.Result v = drill.cli("verify");
      assertThat(v.exitCode()).as(v.out()).isZero();
      assertThat(most.get()).as("manifest GETs at once during verify").isGreaterThan(1);

      most.set(0);
      Drill.Result r = drill.cli("reindex");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("read 17 manifest(s): 17 post version(s) added to the catalog");
      assertThat(most.get()).as("manifest GETs at once during reindex").isGreaterThan(1);

      most.set(0);
      Drill.Result e = drill.cli("export", "--to", tmp.resolve("export").toString());
      assertThat(e.exitCode()).as(e.out()).isZero();
      assertThat(most.get()).as("manifest GETs at once during export").isGreaterThan(1);
    }
  }
}
