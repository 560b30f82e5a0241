package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.SentMessage;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product against a second, independent S3 implementation: Adobe's S3Mock (Spring,
 * its own XML, ETags, multipart and copy code), started from its executable jar in a process of
 * its own, as an owner's MinIO or cloud bucket would be reached. Everything else runs against
 * S3Proxy; this catches what only one server forgives. The jar is copied to {@code target/s3mock}
 * by the build (maven-dependency-plugin).
 */
class SecondS3ServerIT {
  private static final Path JAR = Path.of("target/s3mock/s3mock.jar");
  private static final String BUCKET = "second-server";
  private static final long TARGET = -1007777777777L;

  @TempDir
  Path dir;
  private Process server;
  private String endpoint;
  private ObjectStore store;

  @BeforeEach
  void startS3Mock() throws Exception {
    if (!"true".equals(System.getenv("CI"))) {
      assumeThat(Files.isRegularFile(JAR)).as("%s (built by `mvn verify`)", JAR).isTrue();
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-jar", JAR.toAbsolutePath().toString(), "--server.port=0", "--com.adobe.testing.s3mock.httpPort=" + port,
        "--com.adobe.testing.s3mock.store.root=" + dir.resolve("s3mock-store"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3mock.log").toFile()).start();
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> http.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    // the product creates the bucket itself; this client only reads what it stored
    store = ObjectStore.connect(S3Settings.of(endpoint, "us-east-1", BUCKET, "", true, "any-key", "any-secret"));
  }

  @AfterEach
  void stop() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
  }

  /** A harness whose configuration points at S3Mock instead of its own S3Proxy. */
  private Harness harness(Path where) throws IOException {
    // two parts at a time, so a throttled transfer can be killed with some of its parts stored
    Harness h = new Harness(where, FakeBotApi.Options.defaults(), List.of(EndToEndIT.CHANNEL),
        "transfer:\n  window: 2\n");
    h.api.cloudDownloadLimit(Long.MAX_VALUE);
    Files.writeString(h.config, Files.readString(h.config).replace(h.s3.endpoint(), endpoint)
        .replace("bucket: " + Harness.BUCKET, "bucket: " + BUCKET)
        .replace(h.s3.accessKeyId(), "any-key").replace(h.s3.secretAccessKey(), "any-secret"));
    return h;
  }

  @Test
  void backupResumeVerifyReindexAndRestoreWork() throws Exception {
    Map<String, String> expected = new HashMap<>();
    List<PublishedPost> posts = new ArrayList<>();
    try (Harness h = harness(dir.resolve("first"))) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "Second server", null);
      posts.add(ch.post().text("hello").publish());
      posts.add(ch.post().photo(FileContent.jpeg(1, 640, 480)).caption("a photo").publish());
      posts.add(ch.post().mediaGroup("g1").photo(FileContent.jpeg(2, 320, 240)).caption("album").publish());
      posts.add(ch.post().mediaGroup("g1").video(FileContent.random(3, 400_000), "v.mp4", "video/mp4", 640, 360, 3)
          .publish());
      posts.add(ch.post().document(FileContent.random(4, 12_000_000), "three parts.bin", "application/octet-stream")
          .publish());
      for (PublishedPost p : posts) {
        FileRef f = EndToEndIT.fileOf(p);
        if (f != null) {
          expected.put(f.fileUniqueId(), f.content().sha256Hex());
        }
      }

      Harness.assertExit(h.cli("sync"), 0);
      assertStored(expected);

      // a 30 MB file (6 parts) killed mid-transfer resumes on this server too, and leaves no upload behind
      FileRef big = TransferIT.publish(h, 5, 30_000_000L);
      expected.put(big.fileUniqueId(), big.content().sha256Hex());
      h.api.faults().throttleDownloads(2L << 20);
      try (ChildProcess first = ChildProcess.start(dir.resolve("killed.log"), List.of(), "--config",
          h.config.toString(), "sync")) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
            store.listMultipartUploads("media/").stream()
                .anyMatch(u -> store.listParts(u.key(), u.uploadId()).size() >= 2));
        first.kill();
      }
      h.api.faults().clear();
      String out = ChildProcess.succeed(dir.resolve("resumed.log"), h.config, "sync");
      TransferIT.PartCounts counts = TransferIT.PartCounts.in(out);
      assertThat(counts.parts()).isEqualTo(6);
      assertThat(counts.resumed()).isBetween(2, 5);
      assertThat(store.listMultipartUploads("")).isEmpty();
      assertStored(expected);

      Harness.Run verify = h.cli("verify", "--deep");
      Harness.assertExit(verify, 0);
      assertThat(verify.out()).contains(expected.size() + " objects hashed").contains("0 corrupt");
    }

    // a new server: reindex from the bucket, a sync that uploads nothing, a restore from the bucket
    try (Harness fresh = harness(dir.resolve("second"))) {
      fresh.api.channel(EndToEndIT.CHANNEL, "Second server", null);
      fresh.api.channel(TARGET, "Restored", null);
      Harness.assertExit(fresh.cli("reindex"), 0);
      Harness.Run sync = fresh.cli("sync");
      Harness.assertExit(sync, 0);
      assertThat(sync.out()).contains("stored 0 media file(s)");
      Harness.Run restore = fresh.cli("restore", "--to", String.valueOf(TARGET), "--rate", "600");
      Harness.assertExit(restore, 0);
      List<SentMessage> sent = fresh.api.sent(TARGET);
      assertThat(sent).extracting(SentMessage::sha256Hex).filteredOn(sha -> sha != null)
          .containsExactlyInAnyOrderElementsOf(expected.values());
      assertThat(sent.get(0).text()).isEqualTo("hello");
    }
  }

  /**
   * An upload of the file's key that the catalog does not know (a catalog that was reset, a crash
   * between creating an upload and recording it) is aborted before the file's own upload is
   * created. S3Mock keeps one store per key: aborting the stray after completion, as the transfer
   * did, deleted the object just stored while the catalog recorded it as stored (an acceptance run
   * against S3Mock found it).
   */
  @Test
  void aStrayUploadOfTheSameKeyDoesNotCostTheStoredObject() throws Exception {
    try (Harness h = harness(dir.resolve("stray"))) {
      FileRef big = TransferIT.publish(h, 6, 12_000_000L);
      store.ensureBucket(true);
      String key = ObjectKeys.media("", big.fileUniqueId(), "bin");
      String stray = store.createMultipartUpload(key, "application/octet-stream", Map.of());
      store.uploadPart(key, stray, 1, new byte[5 << 20], 0, 5 << 20);

      Harness.assertExit(h.cli("sync"), 0);

      assertThat(store.listMultipartUploads("")).isEmpty();
      assertStored(Map.of(big.fileUniqueId(), big.content().sha256Hex()));
      Harness.assertExit(h.cli("verify", "--deep"), 0);
    }
  }

  /**
   * The same for a file without a size, streamed in one piece without resume: a run killed
   * mid-stream leaves an upload of the key behind. The next run aborts it before its own upload;
   * before, it outlived that run, and the cleanup job's abort of it deleted the stored object.
   */
  @Test
  void aStreamedUploadCutShortCostsNothingLater() throws Exception {
    try (Harness h = harness(dir.resolve("streamed"))) {
      h.api.faults().omitFileSizes(true);
      FileRef big = TransferIT.publish(h, 7, 30_000_000L);
      store.ensureBucket(true);
      h.api.faults().throttleDownloads(2L << 20);
      try (ChildProcess first = ChildProcess.start(dir.resolve("killed-stream.log"), List.of(), "--config",
          h.config.toString(), "sync")) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
            store.listMultipartUploads("media/").stream()
                .anyMatch(u -> !store.listParts(u.key(), u.uploadId()).isEmpty()));
        first.kill();
      }
      h.api.faults().clear();
      h.api.faults().omitFileSizes(true);

      ChildProcess.succeed(dir.resolve("after-kill.log"), h.config, "sync");
      assertThat(store.listMultipartUploads("")).isEmpty();
      Harness.assertExit(h.cli("cleanup", "--older-than", "PT0S"), 0);
      assertStored(Map.of(big.fileUniqueId(), big.content().sha256Hex()));
    }
  }

  /**
   * The cleanup job aborting a leftover upload of a stored file's key: on S3Mock that drops the
   * stored object too. The sweep notices (HEAD), the file is due again, and the next sync stores it.
   */
  @Test
  void anObjectDroppedWithAnAbortedLeftoverIsUploadedAgain() throws Exception {
    try (Harness h = harness(dir.resolve("janitor"))) {
      FileRef big = TransferIT.publish(h, 8, 12_000_000L);
      Harness.assertExit(h.cli("sync"), 0);
      String key = ObjectKeys.media("", big.fileUniqueId(), "bin");
      assertThat(store.head(key)).isPresent();
      String leftover = store.createMultipartUpload(key, "application/octet-stream", Map.of());
      store.uploadPart(key, leftover, 1, new byte[5 << 20], 0, 5 << 20);

      Harness.Run cleanup = h.cli("cleanup", "--older-than", "PT0S");
      Harness.assertExit(cleanup, 0);
      assertThat(store.listMultipartUploads("")).isEmpty();
      if (store.head(key).isEmpty()) { // S3Mock 4.11 drops it; a later version may not
        assertThat(cleanup.out() + cleanup.err()).contains("dropped the stored object " + key);
        Harness.Run status = h.cli("status");
        assertThat(status.out()).contains("dropped the stored object");
      }
      Harness.assertExit(h.cli("sync"), 0);
      assertStored(Map.of(big.fileUniqueId(), big.content().sha256Hex()));
      Harness.assertExit(h.cli("verify", "--deep"), 0);
    }
  }

  /** Every file is in the bucket byte for byte, with its SHA-256 in the object's metadata. */
  private void assertStored(Map<String, String> expected) throws IOException {
    Map<String, String> found = new HashMap<>();
    for (ObjectInfo o : store.list("media/")) {
      ObjectInfo head = store.head(o.key()).orElseThrow();
      try (InputStream in = store.get(o.key())) {
        String sha = Harness.sha256(in);
        assertThat(head.userMetadata()).containsEntry("sha256", sha);
        found.put(head.userMetadata().get("file-unique-id"), sha);
      }
    }
    assertThat(found).isEqualTo(expected);
    List<JsonNode> manifests = new ArrayList<>();
    for (ObjectInfo o : store.list("channels/" + EndToEndIT.CHANNEL + "/posts/")) {
      manifests.add(Harness.JSON.readTree(store.getBytes(o.key())));
    }
    assertThat(manifests).allSatisfy(m -> assertThat(m.path("complete").asBoolean()).isTrue());
  }
}
