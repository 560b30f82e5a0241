package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.PublishedPost;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;

/** A self-hosted Bot API server in --local mode: no 20 MB limit, files read from its disk. */
class LocalModeIT {
  @TempDir
  Path dir;

  @Test
  void localModeStoresTheLargeDocumentFromTheServersDisk() throws Exception {
    FakeBotApi.Options options = FakeBotApi.Options.defaults().withLocalMode(dir.resolve("bot-api-server"));
    AtomicInteger copies = new AtomicInteger();
    try (Harness h = new Harness(dir, options, List.of(EndToEndIT.CHANNEL), "", store -> new ForwardingBlobStore(store) {
      @Override
      public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        copies.incrementAndGet();
        return super.copyBlob(request);
      }
    })) {
      List<PublishedPost> posts = new ArrayList<>();
      Map<String, String> expected = EndToEndIT.publishChannel(h, posts);

      Harness.Run run = h.cli("sync");
      assertExit(run, 0);
      assertThat(run.out()).contains("everything is stored");
      String bigId = EndToEndIT.fileOf(posts.get(posts.size() - 1)).fileUniqueId();
      JsonNode big = h.manifests(EndToEndIT.CHANNEL).stream()
          .flatMap(m -> java.util.stream.StreamSupport.stream(m.path("media").spliterator(), false))
          .filter(i -> i.path("file_unique_id").asText().equals(bigId)).findFirst().orElseThrow();
      assertThat(big.path("state").asText()).isEqualTo("stored");
      assertThat(big.path("size").asLong()).isEqualTo(30L * 1024 * 1024);
      assertThat(h.sha256(big.path("object_key").asText())).isEqualTo(expected.get(bigId));
      // a multipart object carries its sha256 metadata too (the object layout contract); in local
      // mode the file is hashed before the upload, so no server-side copy adds it afterwards
      assertThat(h.store.head(big.path("object_key").asText()).orElseThrow().userMetadata())
          .containsEntry("sha256", expected.get(bigId)).containsEntry("file-unique-id", bigId);
      assertThat(copies.get()).as("CopyObject requests").isZero();
      // every file came from disk: the fake serves no /file/ downloads in local mode
      assertThat(h.downloads()).isZero();
      assertThat(h.objects("media/")).hasSize(expected.size());
    }
  }

  @Test
  void itemFailedUnderTheWrongModeIsRetriedAtOnceAfterSwitchingToLocalMode() throws Exception {
    FakeBotApi.Options options = FakeBotApi.Options.defaults().withLocalMode(dir.resolve("bot-api-server"));
    try (Harness h = new Harness(dir, options, List.of(EndToEndIT.CHANNEL), "")) {
      h.api.channel(EndToEndIT.CHANNEL, "c", null).post()
          .document(org.channelmirror.fakebot.FileContent.random(77, 25L * 1024 * 1024), "big.bin", "application/octet-stream")
          .publish();
      h.writeConfig(List.of(EndToEndIT.CHANNEL), false, "");
      // first configured as if it were a cloud server: the file cannot be fetched, and the
      // reason says what to change
      Harness.Run cloud = h.cli("sync");
      assertExit(cloud, 1);
      assertThat(cloud.out()).contains("runs with --local").contains("telegram.localMode: true");
      // the owner switches to local mode: the same item is retried at once and stored
      h.writeConfig(List.of(EndToEndIT.CHANNEL), true, "");
      Harness.Run local = h.cli("sync");
      assertExit(local, 0);
      assertThat(h.objects("media/")).hasSize(1);
      assertThat(h.objects("media/").get(0).size()).isEqualTo(25L * 1024 * 1024);
    }
  }
}
