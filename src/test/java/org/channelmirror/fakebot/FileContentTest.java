package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FileContentTest {

  @Test
  void randomContentIsDeterministicAndSeekable() throws Exception {
    FileContent a = FileContent.random(42, 300_001);
    FileContent b = FileContent.random(42, 300_001);
    byte[] all;
    try (InputStream in = a.open(0)) {
      all = in.readAllBytes();
    }
    assertThat(all).hasSize(300_001);
    try (InputStream in = b.open(0)) {
      assertThat(in.readAllBytes()).isEqualTo(all);
    }
    for (long off : new long[] {1, 65_535, 65_536, 65_537, 200_000, 300_000, 300_001}) {
      try (InputStream in = a.open(off)) {
        byte[] tail = in.readAllBytes();
        assertThat(tail).hasSize((int) (all.length - off));
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(all, (int) off, all.length));
      }
    }
    assertThat(FileContent.random(43, 300_001).sha256Hex()).isNotEqualTo(a.sha256Hex());
  }

  @Test
  void sha256IsStreamedOverTheWholeContent() throws Exception {
    byte[] data = "hello fake telegram".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(FileContent.bytes(data).sha256Hex()).isEqualTo(expected);
    assertThat(FileContent.bytes(data).open(6).readAllBytes()).isEqualTo("fake telegram".getBytes());
  }

  @Test
  void randomContentStreamsAGigabyteQuickly() throws Exception {
    FileContent big = FileContent.random(7, 1L << 30);
    long t0 = System.nanoTime();
    long n = 0;
    byte[] buf = new byte[1 << 20];
    try (InputStream in = big.open(0)) {
      for (int r; (r = in.read(buf)) > 0; ) {
        n += r;
      }
    }
    assertThat(n).isEqualTo(1L << 30);
    assertThat(System.nanoTime() - t0).as("1 GiB generation time").isLessThan(20_000_000_000L);
  }

  @Test
  void jpegIsARealImage() throws Exception {
    FileContent jpeg = FileContent.jpeg(3, 320, 200);
    byte[] bytes = jpeg.open(0).readAllBytes();
    assertThat(bytes[0] & 0xff).isEqualTo(0xFF);
    assertThat(bytes[1] & 0xff).isEqualTo(0xD8);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    assertThat(img.getWidth()).isEqualTo(320);
    assertThat(img.getHeight()).isEqualTo(200);
    assertThat(FileContent.jpeg(3, 320, 200).sha256Hex()).isEqualTo(jpeg.sha256Hex());
  }
}
