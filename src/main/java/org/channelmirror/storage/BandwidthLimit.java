package org.channelmirror.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A cap on bytes per second, shared by every stream it wraps (all files and parts of one
 * direction). Streams are charged for what they have read, a slice at a time, so TCP's flow
 * control slows the far end down instead of the process buffering ahead. A token bucket in its
 * "virtual schedule" form: up to a quarter of a second's worth may pass in a burst, after that
 * readers sleep until their bytes are paid for.
 */
public final class BandwidthLimit {
  /** No cap: {@link #limit} returns the stream itself. */
  public static final BandwidthLimit NONE = new BandwidthLimit(0, System::nanoTime);

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private final long bytesPerSecond;
  private final long burstNanos;
  /**
   * The most one read may take before it is charged: a sixteenth of a second's worth, 4-64 KiB.
   * Readers take turns, so this keeps each one's sleeps short (with 8 parts in flight at 16 KiB/s,
   * 2 s); far ends time out connections that stall for long (nginx: 60 s).
   */
  final int slice;
  private final LongSupplier clock;
  /** When every byte charged so far is paid for; guarded by this. */
  private long paidUntil;

  BandwidthLimit(long bytesPerSecond, LongSupplier clock) {
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bytes per second must not be negative: " + bytesPerSecond);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.clock = clock;
    this.burstNanos = SECOND / 4;
    this.slice = (int) Math.max(4 << 10, Math.min(64 << 10, bytesPerSecond / 16));
    this.paidUntil = clock.getAsLong() - burstNanos;
  }

  /** A limit of {@code bytesPerSecond}; 0 is {@link #NONE}. */
  public static BandwidthLimit of(long bytesPerSecond) {
    return bytesPerSecond == 0 ? NONE : new BandwidthLimit(bytesPerSecond, System::nanoTime);
  }

  public boolean unlimited() {
    return bytesPerSecond == 0;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** {@code in} read at most at this rate (together with every other stream of this limit). */
  public InputStream limit(InputStream in) {
    return unlimited() ? in : new Limited(in);
  }

  /** Charges {@code bytes}; returns how long the caller must wait before going on, in nanoseconds. */
  synchronized long charge(long bytes) {
    long now = clock.getAsLong();
    // an idle limit refills only up to the burst: a long pause does not buy a long full-speed run
    paidUntil = Math.max(paidUntil, now - burstNanos) + nanosFor(bytes);
    return Math.max(0, paidUntil - now);
  }

  private long nanosFor(long bytes) {
    return bytes * SECOND / bytesPerSecond;
  }

  private void pay(long bytes) throws InterruptedIOException {
    long wait = charge(bytes);
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while holding to the bandwidth limit");
      }
    }
  }

  @Override
  public String toString() {
    return unlimited() ? "unlimited" : bytesPerSecond + " bytes/s";
  }

  private final class Limited extends FilterInputStream {
    Limited(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        pay(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, Math.min(len, slice));
      if (n > 0) {
        pay(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(Math.min(n, slice));
      if (skipped > 0) {
        pay(skipped);
      }
      return skipped;
    }
  }
}
