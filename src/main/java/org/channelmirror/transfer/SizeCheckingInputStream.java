package org.channelmirror.transfer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails the stream (so the upload is aborted, never completed) when the bytes received differ
 * from the size Telegram announced: a truncated or padded download never becomes a backup.
 */
final class SizeCheckingInputStream extends FilterInputStream {
  /** The bytes received differ from the size Telegram announced. */
  static final class SizeMismatch extends IOException {
    SizeMismatch(String message) {
      super(message);
    }
  }

  private final long expected;
  private long count;

  SizeCheckingInputStream(InputStream in, long expected) {
    super(in);
    this.expected = expected;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    check(b < 0 ? -1 : 1);
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    check(n);
    return n;
  }

  private void check(int n) throws IOException {
    if (n < 0) {
      if (expected >= 0 && count != expected) {
        throw new SizeMismatch("download ended after " + count + " bytes, but Telegram announced " + expected);
      }
      return;
    }
    count += n;
    if (expected >= 0 && count > expected) {
      throw new SizeMismatch("download delivered more than the " + expected + " bytes Telegram announced");
    }
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported while checking size");
  }
}
