package org.channelmirror.cli;

import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.app.Humans;
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
    // paced: the time left is the ids left at the configured rate (flood waits come on top)
    long secondsLeft = (total - done.get()) * 60 / Math.max(1, perMinute);
    return String.format("%s ids %d/%d  found %d  gaps %d%s  %s left", TerminalLine.bar(done.get(), total),
        done.get(), total, found.get(), gaps.get(), refused.get() > 0 ? "  refused " + refused.get() : "",
        Humans.duration(secondsLeft));
  }
}
