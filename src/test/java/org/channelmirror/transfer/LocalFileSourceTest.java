package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.channelmirror.config.ConfigException;
import org.channelmirror.telegram.BotApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local mode's file source, and the part buffer pool's bound. */
class LocalFileSourceTest {
  @TempDir
  Path dir;

  @Test
  void readsPartsAtTheirOffsets() throws Exception {
    byte[] data = new byte[100_000];
    new Random(1).nextBytes(data);
    Files.createDirectories(dir.resolve("root/videos"));
    Path file = Files.write(dir.resolve("root/videos/file_1.mp4").toAbsolutePath(), data);
    try (LocalFileSource src = LocalFileSource.open(file, dir.resolve("root"), data.length)) {
      byte[] buf = new byte[30_000];
      src.readPart(60_000, buf, 30_000);
      assertThat(buf).isEqualTo(Arrays.copyOfRange(data, 60_000, 90_000));
      assertThatThrownBy(() -> src.readPart(90_000, buf, 30_000)).isInstanceOf(IOException.class)
          .hasMessageContaining("ended");
    }
  }

  @Test
  void hashesTheWholeFileInOneRead() throws Exception {
    byte[] data = new byte[3 * (1 << 20) + 12_345]; // more than one read buffer, not a multiple of it
    new Random(2).nextBytes(data);
    Path file = Files.write(dir.resolve("file_2.bin").toAbsolutePath(), data);
    try (LocalFileSource src = LocalFileSource.open(file, null, data.length)) {
      assertThat(src.sha256()).isEqualTo(java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(data)));
    }
  }

  @Test
  void refusesPathsOutsideTheRootAndFilesOfAnotherSize() throws Exception {
    Files.createDirectories(dir.resolve("root"));
    Path outside = Files.write(dir.resolve("secret.txt"), new byte[10]);
    assertThatThrownBy(() -> LocalFileSource.open(dir.resolve("root/../secret.txt"), dir.resolve("root"), 10))
        .isInstanceOfSatisfying(BotApiException.class,
            e -> assertThat(e.kind()).isEqualTo(BotApiException.Kind.PERMANENT))
        .hasMessageContaining("outside telegram.localRoot");
    assertThatThrownBy(() -> LocalFileSource.open(outside, null, 11)).isInstanceOf(IOException.class)
        .hasMessageContaining("has 10 bytes");
    assertThatThrownBy(() -> LocalFileSource.open(dir.resolve("root/missing"), null, 1))
        .isInstanceOfSatisfying(BotApiException.class,
            e -> assertThat(e.kind()).isEqualTo(BotApiException.Kind.RETRYABLE));
  }

  /**
   * A symbolic link inside telegram.localRoot does not lead out of it (an acceptance run read a
   * link to /etc/passwd placed under the root). Links that stay inside, and a root that is itself
   * reached through a link, are fine.
   */
  @Test
  void refusesSymbolicLinksLeadingOutOfTheRoot() throws Exception {
    Files.createDirectories(dir.resolve("root/documents"));
    Files.write(dir.resolve("secret.txt"), new byte[10]);
    Path link = Files.createSymbolicLink(dir.resolve("root/documents/file_1.txt"), dir.resolve("secret.txt"));
    assertThatThrownBy(() -> LocalFileSource.open(link, dir.resolve("root"), 10))
        .isInstanceOfSatisfying(BotApiException.class,
            e -> assertThat(e.kind()).isEqualTo(BotApiException.Kind.PERMANENT))
        .hasMessageContaining("outside telegram.localRoot");
    Files.createSymbolicLink(dir.resolve("root/documents/dir"), dir);
    assertThatThrownBy(() -> LocalFileSource.open(dir.resolve("root/documents/dir/secret.txt"), dir.resolve("root"), 10))
        .isInstanceOf(BotApiException.class).hasMessageContaining("outside telegram.localRoot");

    Path inside = Files.write(dir.resolve("root/documents/file_2.bin"), new byte[7]);
    Path innerLink = Files.createSymbolicLink(dir.resolve("root/documents/file_3.bin"), inside);
    try (LocalFileSource src = LocalFileSource.open(innerLink, dir.resolve("root"), 7)) {
      src.readPart(0, new byte[7], 7);
    }
    Path rootLink = Files.createSymbolicLink(dir.resolve("root-link"), dir.resolve("root"));
    try (LocalFileSource src = LocalFileSource.open(rootLink.resolve("documents/file_2.bin"), rootLink, 7)) {
      src.readPart(0, new byte[7], 7);
    }
  }

  @Test
  void bufferPoolAllocatesAtMostItsCapacityAndReuses() throws Exception {
    PartBuffers pool = new PartBuffers(1024, 2);
    byte[] a = pool.take();
    byte[] b = pool.take();
    Thread waiter = new Thread(() -> {
      try {
        pool.give(pool.take());
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    waiter.join(200);
    assertThat(waiter.isAlive()).as("third take waits while two buffers are out").isTrue();
    pool.give(a);
    waiter.join(5_000);
    assertThat(waiter.isAlive()).isFalse();
    assertThat(pool.allocated()).isEqualTo(2);
    assertThat(pool.take()).isIn(a, b);
    // an 8 MiB buffer takes 9 MiB of G1 regions
    assertThat(PartBuffers.capacityFor(128L << 20, 8L << 20, 4, 8)).isEqualTo(7);
    assertThat(PartBuffers.capacityFor(64L << 20, 8L << 20, 4, 8)).isEqualTo(3);
    assertThat(PartBuffers.capacityFor(8L << 30, 8L << 20, 4, 8)).isEqualTo(32);
    assertThat(PartBuffers.capacityFor(48L << 20, 8L << 20, 4, 8)).isEqualTo(2);
    assertThat(PartBuffers.capacityFor(256L << 20, (5L << 20) - 16, 8, 8)).isEqualTo(25);
    // a small heap keeps room for the rest of the program; one buffer at the least
    assertThat(PartBuffers.capacityFor(32L << 20, 8L << 20, 4, 8)).isEqualTo(1);
    assertThat(PartBuffers.capacityFor(16L << 20, 8L << 20, 4, 8)).isEqualTo(1);
    // a part size no heap of this size can hold beside the rest is a configuration error at start
    PartBuffers.checkFits(32L << 20, 8L << 20);
    PartBuffers.checkFits(30L << 20, 8L << 20); // -Xmx32m under the serial collector
    assertThatThrownBy(() -> PartBuffers.checkFits(256L << 20, 512L << 20)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.partSize").hasMessageContaining("-Xmx1024m");
  }
}
