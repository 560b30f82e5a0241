package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesIT extends FakeBotFixture {

  @Test
  void getFileInCloudModeHasRelativePathsAndThe20MiBLimit() throws Exception {
    PublishedPost doc = api.channel(-1001, "c", null).post()
        .document(FileContent.random(1, 1000), "Q3-report.pdf", "application/pdf").publish();
    FileRef f = doc.files().get(0);
    BotHttp.Resp r = http.json("getFile", "{\"file_id\":\"" + f.fileId() + "\"}");
    assertThat(r.result().fieldNames()).toIterable()
        .containsExactly("file_id", "file_unique_id", "file_size", "file_path");
    assertThat(r.result().get("file_path").asText()).matches("documents/file_\\d+\\.pdf");
    assertThat(r.result().get("file_size").asLong()).isEqualTo(1000);

    FileRef atLimit = api.addFile(FileContent.random(2, 20_971_520), "videos");
    assertThat(http.filePath(atLimit.fileId())).matches("videos/file_\\d+\\.mp4");
    FileRef tooBig = api.addFile(FileContent.random(2, 20_971_521), "videos");
    BotHttp.Resp big = http.json("getFile", "{\"file_id\":\"" + tooBig.fileId() + "\"}");
    assertThat(big.status()).isEqualTo(400);
    assertThat(big.raw()).isEqualTo("{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: file is too big\"}");
    assertThat(http.json("getFile", "{\"file_id\":\"nonsense\"}").json().get("description").asText())
        .isEqualTo("Bad Request: invalid file_id");
  }

  @Test
  void localModeGivesAbsolutePathsMaterialisesFilesAndServesNothing(@TempDir Path root) throws Exception {
    try (FakeBotApi local = FakeBotApi.start(FakeBotApi.Options.defaults().withLocalMode(root))) {
      BotHttp lh = new BotHttp(local);
      FileContent content = FileContent.random(9, 25_000_000);
      FileRef f = local.addFile(content, "videos");
      String path = lh.filePath(f.fileId());
      assertThat(path).startsWith(root.toAbsolutePath().resolve(local.token()).resolve("videos").toString());
      assertThat(path).matches(".*/videos/file_\\d+\\.mp4");
      Path p = Path.of(path);
      assertThat(Files.size(p)).isEqualTo(25_000_000);
      assertThat(sha(Files.readAllBytes(p))).isEqualTo(content.sha256Hex());
      String rel = root.toAbsolutePath().resolve(local.token()).relativize(p).toString();
      assertThat(lh.file(rel, null).statusCode()).isEqualTo(404);
      local.serveLocalFiles(true);
      assertThat(lh.file(rel, "bytes=0-9").statusCode()).isEqualTo(206);
    }
  }

  @Test
  void downloadsSupportRanges() throws Exception {
    FileContent c = FileContent.random(5, 100_000);
    byte[] all = c.open(0).readAllBytes();
    String path = http.filePath(api.addFile(c, "documents").fileId());

    HttpResponse<byte[]> full = http.file(path, null);
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.headers().firstValue("Content-Length")).hasValue("100000");
    assertThat(full.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(full.body()).isEqualTo(all);

    HttpResponse<byte[]> r1 = http.file(path, "bytes=10-19");
    assertThat(r1.statusCode()).isEqualTo(206);
    assertThat(r1.headers().firstValue("Content-Range")).hasValue("bytes 10-19/100000");
    assertThat(r1.body()).isEqualTo(Arrays.copyOfRange(all, 10, 20));
    HttpResponse<byte[]> open = http.file(path, "bytes=99990-");
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(all, 99_990, 100_000));
    HttpResponse<byte[]> suffix = http.file(path, "bytes=-5");
    assertThat(suffix.headers().firstValue("Content-Range")).hasValue("bytes 99995-99999/100000");
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(all, 99_995, 100_000));

    HttpResponse<byte[]> bad = http.file(path, "bytes=100000-");
    assertThat(bad.statusCode()).isEqualTo(416);
    assertThat(bad.headers().firstValue("Content-Range")).hasValue("bytes */100000");

    api.faults().ignoreRange(true);
    HttpResponse<byte[]> ignored = http.file(path, "bytes=10-19");
    assertThat(ignored.statusCode()).isEqualTo(200);
    assertThat(ignored.body()).isEqualTo(all);

    assertThat(api.requests()).filteredOn(r -> r.method().equals("file")).hasSize(6)
        .last().satisfies(r -> {
          assertThat(r.params().get("range").asText()).isEqualTo("bytes=10-19");
          assertThat(r.httpStatus()).isEqualTo(200);
        });
    assertThat(http.file("documents/file_999.pdf", null).statusCode()).isEqualTo(404);
  }

  @Test
  void fiftyMegabytesByteIdenticalThroughParallelRangedReads() throws Exception {
    long size = 50L * 1000 * 1000 + 123;
    FileContent c = FileContent.random(77, size);
    api.cloudDownloadLimit(Long.MAX_VALUE);
    String path = http.filePath(api.addFile(c, "videos").fileId());
    long part = 8L << 20;
    List<CompletableFuture<HttpResponse<byte[]>>> parts = new ArrayList<>();
    for (long off = 0; off < size; off += part) {
      String range = "bytes=" + off + "-" + (Math.min(size, off + part) - 1);
      parts.add(CompletableFuture.supplyAsync(() -> {
        try {
          return http.file(path, range);
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long total = 0;
    for (CompletableFuture<HttpResponse<byte[]>> f : parts) {
      HttpResponse<byte[]> r = f.get();
      assertThat(r.statusCode()).isEqualTo(206);
      md.update(r.body());
      total += r.body().length;
    }
    assertThat(total).isEqualTo(size);
    assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(c.sha256Hex());
  }

  @Test
  void expiredLinksNeedANewGetFile() throws Exception {
    FileRef f = api.addFile(FileContent.random(1, 500), "photos");
    String path = http.filePath(f.fileId());
    assertThat(http.file(path, null).statusCode()).isEqualTo(200);
    api.faults().expireFileLinks();
    assertThat(http.file(path, null).statusCode()).isEqualTo(404);
    String fresh = http.filePath(f.fileId());
    assertThat(http.file(fresh, null).body()).hasSize(500);
  }

  @Test
  void truncatedAndDroppedDownloadsFailOnTheClient() throws Exception {
    String path = http.filePath(api.addFile(FileContent.random(1, 2_000_000), "videos").fileId());
    api.faults().truncateDownloads(1);
    assertThatThrownBy(() -> http.file(path, null)).isInstanceOf(IOException.class);
    assertThat(http.file(path, null).body()).hasSize(2_000_000);
    // java.net.http retries an idempotent GET once when the connection closes without a response
    api.faults().dropConnection("file", 2);
    assertThatThrownBy(() -> http.file(path, null)).isInstanceOf(IOException.class);
    assertThat(api.requests()).filteredOn(r -> r.method().equals("file")).last()
        .satisfies(r -> assertThat(r.httpStatus()).isZero());
    assertThat(http.file(path, "bytes=0-0").statusCode()).isEqualTo(206);
  }

  @Test
  void throttledAndDelayedDownloads() throws Exception {
    String path = http.filePath(api.addFile(FileContent.random(1, 300_000), "videos").fileId());
    api.faults().throttleDownloads(1_000_000);
    long t0 = System.nanoTime();
    assertThat(http.file(path, null).body()).hasSize(300_000);
    assertThat(System.nanoTime() - t0).isGreaterThan(250_000_000L);
    api.faults().clear();
    api.faults().delayRanges(start -> start == 0, Duration.ofMillis(400));
    CompletableFuture<Long> slowDone = CompletableFuture.supplyAsync(() -> timed(path, "bytes=0-99"));
    long fast = timed(path, "bytes=100-199");
    assertThat(fast).isLessThan(slowDone.join());
  }

  private long timed(String path, String range) {
    try {
      long t0 = System.nanoTime();
      http.file(path, range);
      return System.nanoTime() - t0;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
