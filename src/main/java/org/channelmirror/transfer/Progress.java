package org.channelmirror.transfer;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.channelmirror.catalog.Blob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one file: forwards byte counts to the {@link TransferListener} (progress bar,
 * status) and logs a line about big files at a modest cadence. Thread-safe.
 *
 * <p>Bytes count as they arrive, not only when their part is stored: on a slow link a window of
 * 8 MiB parts can take a minute before the first part is stored, and {@code status} showed "0 B
 * at 0 B/s" all that time. Bytes of an attempt that fails are taken back, as they come again.
 */
final class Progress {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);
  /** Files below this size never log progress lines. */
  static final long LOG_ABOVE = 64L << 20;
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;

  private final Blob blob;
  private final long total;
  private final TransferListener listener;
  private final long start = System.nanoTime();
  /** Bytes stored, plus those arrived of parts not yet stored. */
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(start);

  Progress(Blob blob, long total, TransferListener listener) {
    this.blob = blob;
    this.total = total;
    this.listener = listener;
  }

  /** Bytes that arrived ({@link Arrivals}), or that need no transfer (a part the server already has). */
  void add(long bytes) {
    listener.bytes(bytes);
    report(done.addAndGet(bytes));
  }

  /** An attempt failed after {@code bytes} of its part arrived: they will come again. */
  void lost(long bytes) {
    if (bytes > 0) {
      listener.bytes(-bytes);
      report(done.addAndGet(-bytes));
    }
  }

  /**
   * One attempt at reading a part from {@code src}: its bytes count as they arrive, and are taken
   * back when the attempt fails (the retry brings them again).
   */
  void readPart(FileSource src, long offset, byte[] buf, int len) throws IOException, InterruptedException {
    Arrivals arrived = new Arrivals();
    try {
      src.readPart(offset, buf, len, arrived);
    } catch (IOException e) {
      arrived.failed();
      throw e;
    }
    arrived.flush();
  }

  /** A counter for bytes read some other way (one sequential stream), passed on like a part's. */
  Arrivals arrivals() {
    return new Arrivals();
  }

  /**
   * One attempt's arriving bytes, passed on a MiB at a time: a socket read brings a few KiB, and
   * eight part threads need not meet on the shared counters and the listener that often (the
   * benchmark showed no difference either way; docs/benchmarks.md, session 12). One thread.
   */
  final class Arrivals implements LongConsumer {
    private static final long BATCH = 1 << 20;
    private long passedOn;
    private long held;

    @Override
    public void accept(long n) {
      held += n;
      if (held >= BATCH) {
        flush();
      }
    }

    /** The attempt read its whole part. */
    void flush() {
      if (held > 0) {
        add(held);
        passedOn += held;
        held = 0;
      }
    }

    /** The attempt failed: what was passed on comes again. */
    void failed() {
      lost(passedOn);
      passedOn = 0;
      held = 0;
    }
  }

  /** A part whose bytes all arrived ({@link #readPart}) is stored: no bytes to add, but a moment to report. */
  void partStored() {
    report(done.get());
  }

  private void report(long d) {
    listener.progress(blob, d, total, rate() * 1e6);
    if (total < LOG_ABOVE) {
      return;
    }
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && d < total && lastLog.compareAndSet(last, now)) {
      log.info("media {} of message {}/{}: {} of {} MB ({}%) at {} MB/s", blob.fileUniqueId(), blob.chatId(),
          blob.messageId(), d / 1_000_000, total / 1_000_000, d * 100 / total, String.format("%.1f", rate()));
    }
  }

  long done() {
    return done.get();
  }

  /** MB/s since the start. */
  double rate() {
    double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    return done.get() / 1e6 / secs;
  }
}
