package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CheckedObjectTest {
  private static final byte[] FILE = "the stored bytes of a photo".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static MediaEntry entry(long size, byte[] hashed) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(hashed));
    return new MediaEntry("photo", MediaEntry.STORED, "u1", "f1", "media/u1.jpg", size, sha, "image/jpeg", null,
        null, null, null, null);
  }

  private static InputStream checked(byte[] bytes, MediaEntry m) throws Exception {
    Constructor<CheckedObject> c = CheckedObject.class.getDeclaredConstructor(InputStream.class, String.class,
        MediaEntry.class);
    c.setAccessible(true);
    return c.newInstance(new ByteArrayInputStream(bytes), "photo media/u1.jpg", m);
  }

  @Test
  void theRecordedBytesPassThroughUntouched() throws Exception {
    assertThat(checked(FILE, entry(FILE.length, FILE)).readAllBytes()).isEqualTo(FILE);
  }

  @Test
  void sameSizeOtherBytesFailAtTheEndInsteadOfEnding() throws Exception {
    byte[] flipped = FILE.clone();
    flipped[5] ^= 1;
    InputStream in = checked(flipped, entry(FILE.length, FILE));
    byte[] buf = new byte[FILE.length];
    assertThat(in.readNBytes(buf, 0, FILE.length)).isEqualTo(FILE.length);
    // the caller never sees the end of the stream: its request is cut off before it completes
    assertThatThrownBy(in::read).isInstanceOf(CheckedObject.Damaged.class)
        .hasMessageContaining("photo media/u1.jpg is damaged in the bucket");
  }

  @Test
  void aShorterOrLongerObjectFails() throws Exception {
    byte[] shorter = java.util.Arrays.copyOf(FILE, FILE.length - 1);
    assertThatThrownBy(() -> checked(shorter, entry(FILE.length, FILE)).readAllBytes())
        .isInstanceOf(CheckedObject.Damaged.class).hasMessageContaining((FILE.length - 1) + " bytes hashing to");
    byte[] longer = java.util.Arrays.copyOf(FILE, FILE.length + 1);
    assertThatThrownBy(() -> checked(longer, entry(FILE.length, FILE)).readAllBytes())
        .isInstanceOf(CheckedObject.Damaged.class).hasMessageContaining("more than " + FILE.length + " bytes");
  }

  @Test
  void theVerdictIsFoundUnderTheHttpClientsWrapping() {
    CheckedObject.Damaged d = new CheckedObject.Damaged("media/x", "x");
    assertThat(CheckedObject.verdictIn(new IOException("send failed", new RuntimeException(d)))).isSameAs(d);
    assertThat(CheckedObject.verdictIn(new IOException("connection reset"))).isNull();
  }
}
