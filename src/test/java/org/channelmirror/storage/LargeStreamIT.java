package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 300 MB stream, generated on the fly, through putStream with the default settings: the
 * upload completes, the content is byte-identical, and it never held more than
 * {@code partsInFlight} part buffers. Throughput is logged for information only.
 */
class LargeStreamIT {
  private static final Logger log = LoggerFactory.getLogger(LargeStreamIT.class);
  private static final long SIZE = 300L * 1000 * 1000;

  @TempDir
  Path dir;

  @Test
  void threeHundredMegabytesWithBoundedBuffers() throws IOException {
    try (EmbeddedS3 server = TestS3.start(dir.resolve("s3"));
         ObjectStore store = ObjectStore.connect(TestS3.settings(server, "large"))) {
      store.ensureBucket(true);
      String key = ObjectKeys.media(store.prefix(), "AgADlarge", "mp4");
      TestS3.GeneratedStream in = new TestS3.GeneratedStream(SIZE, 42);

      long start = System.nanoTime();
      PutResult put = store.putStream(key, in, "video/mp4", Map.of("chat-id", "1"), null);
      long nanos = System.nanoTime() - start;

      String sha = in.sha256Hex();
      assertThat(put.size()).isEqualTo(SIZE);
      assertThat(put.sha256Hex()).isEqualTo(sha);
      assertThat(store.buffers().allocated()).isLessThanOrEqualTo(S3Settings.DEFAULT_PARTS_IN_FLIGHT);
      log.info("putStream {} MB in {} ms = {} MB/s", SIZE / 1_000_000, nanos / 1_000_000,
          String.format("%.1f", SIZE / 1e6 / (nanos / 1e9)));

      long copyStart = System.nanoTime();
      store.replaceMetadata(key, "video/mp4", Map.of("sha256", sha, "chat-id", "1"));
      log.info("metadata copy of {} MB took {} ms", SIZE / 1_000_000, (System.nanoTime() - copyStart) / 1_000_000);

      ObjectInfo info = store.head(key).orElseThrow();
      assertThat(info.size()).isEqualTo(SIZE);
      assertThat(info.userMetadata()).containsEntry("sha256", sha);
      try (InputStream back = store.get(key)) {
        assertThat(TestS3.sha256(back)).isEqualTo(sha);
      }
    }
  }
}
