package org.channelmirror.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.slf4j.LoggerFactory;

/** Shared helpers for the storage tests: a quiet log, an embedded server, generated content. */
final class TestS3 {
  private TestS3() {}

  /**
   * Without a logback configuration the root logs at DEBUG, and the HTTP client's wire log
   * then dominates every upload. The project has no test logback file yet: set it here.
   */
  static void quietLogs() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    ((Logger) LoggerFactory.getLogger("org.gaul")).setLevel(Level.WARN);
    ((Logger) LoggerFactory.getLogger("org.gaul.shaded")).setLevel(Level.WARN);
  }

  static EmbeddedS3 start(Path root) {
    quietLogs();
    return EmbeddedS3.start(root, 0);
  }

  static S3Settings settings(EmbeddedS3 s3, String bucket) {
    return S3Settings.of(s3.endpoint(), "us-east-1", bucket, "test/", true, s3.accessKeyId(), s3.secretAccessKey());
  }

  static String sha256(byte[] data) {
    return Digests.sha256Hex(data, 0, data.length);
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest md = Digests.sha256();
    byte[] buf = new byte[1 << 16];
    for (int r; (r = in.read(buf)) >= 0; ) {
      md.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * {@code size} pseudo-random bytes made on the fly (xorshift), hashing what it hands out, so
   * a test can stream hundreds of megabytes without holding them.
   */
  static final class GeneratedStream extends InputStream {
    private final long size;
    private final MessageDigest md = Digests.sha256();
    private long produced;
    private long state;

    GeneratedStream(long size, long seed) {
      this.size = size;
      this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (produced >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - produced);
      int i = 0;
      for (; i + 8 <= n; i += 8) {
        long x = next();
        for (int k = 0; k < 8; k++) {
          b[off + i + k] = (byte) (x >>> (8 * k));
        }
      }
      if (i < n) {
        long x = next();
        for (; i < n; i++) {
          b[off + i] = (byte) x;
          x >>>= 8;
        }
      }
      md.update(b, off, n);
      produced += n;
      return n;
    }

    private long next() {
      state ^= state << 13;
      state ^= state >>> 7;
      state ^= state << 17;
      return state;
    }

    long produced() {
      return produced;
    }

    /** SHA-256 of everything read so far; call once, at the end. */
    String sha256Hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
