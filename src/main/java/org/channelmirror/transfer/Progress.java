package org.channelmirror.transfer;

import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.catalog.Blob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of one file: forwards byte counts to the {@link TransferListener} (progress bar,
 * status) and logs a line about big files at a modest cadence. Thread-safe.
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
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong lastLog = new AtomicLong(start);

  Progress(Blob blob, long total, TransferListener listener) {
    this.blob = blob;
    this.total = total;
    this.listener = listener;
  }

  void add(long bytes) {
    listener.bytes(bytes);
    long d = done.addAndGet(bytes);
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
