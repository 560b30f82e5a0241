package org.channelmirror.cli;

import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.backfill.Backfiller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Backfill's progress: a line on a terminal (ids done, posts found, gaps, time left), a log line every 10 s elsewhere. */
final class BackfillProgressBar implements Backfiller.Progress {
  private static final Logger log = LoggerFactory.getLogger("org.channelmirror.backfill");
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;
  private final TerminalLine line;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong found = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private volatile long total;
  private volatile int perMinute = 60;
  private volatile long lastLog = System.nanoTime();

  BackfillProgressBar(TerminalLine line) {
    this.line = line;
  }

  static BackfillProgressBar forTerminal() {
    return new BackfillProgressBar(TerminalLine.onStderr());
  }

  @Override
  public void planned(long ids, int perMinute) {
    this.total = ids;
    this.perMinute = perMinute;
    line.draw(true, this::text);
  }

  @Override
  public void tried(Backfiller.Outcome outcome) {
    done.incrementAndGet();
    switch (outcome) {
      case FOUND -> found.incrementAndGet();
      case GAP -> gaps.incrementAndGet();
      default -> refused.incrementAndGet();
    }
    line.draw(false, this::text);
    if (!line.enabled() && System.nanoTime() - lastLog >= LOG_EVERY_NANOS) {
      lastLog = System.nanoTime();
      log.info("backfill: {}", text());
    }
  }

  void finish() {
    line.draw(true, this::text);
    line.finish();
  }

  private String text() {
    long t = Math.max(1, total);
    int width = 24;
    int filled = (int) Math.min(width, done.get() * width / t);
    // paced: the time left is the ids left at the configured rate (flood waits come on top)
    long secondsLeft = (total - done.get()) * 60 / Math.max(1, perMinute);
    return String.format("[%s] ids %d/%d  found %d  gaps %d%s  %s left", "#".repeat(filled) + "-".repeat(width - filled),
        done.get(), total, found.get(), gaps.get(), refused.get() > 0 ? "  refused " + refused.get() : "",
        duration(secondsLeft));
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }
}
