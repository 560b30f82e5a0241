package org.channelmirror.fakebot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content of a fake file. Implementations stream: nothing here needs the whole file in memory. */
public interface FileContent {

  long size();

  /** Streams the content from {@code offset} to the end. */
  InputStream open(long offset) throws IOException;

  /** SHA-256 of the whole content, computed by streaming. */
  default String sha256Hex() {
    try (InputStream in = open(0)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static FileContent bytes(byte[] data) {
    return new Contents.Bytes(data.clone());
  }

  /** Deterministic pseudo-random bytes, generated on the fly and seekable (each 64 KiB block from seed and index). */
  static FileContent random(long seed, long size) {
    return new Contents.Random(seed, size);
  }

  /** A real JPEG (drawn with java.awt, encoded with javax.imageio) that browsers can display. */
  static FileContent jpeg(long seed, int width, int height) {
    return Contents.Jpeg.create(seed, width, height);
  }
}
