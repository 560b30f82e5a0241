package org.channelmirror.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.app.Humans;
import org.channelmirror.recovery.Progress;

/** One progress line for verify, restore, export and reindex (items and bytes) on a terminal; silent elsewhere. */
final class RecoveryProgressBar implements Progress {
  private final PrintStream out;
  private final boolean enabled;
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private volatile String what = "items";
  private volatile long totalItems;
  private volatile long totalBytes;
  private volatile long lastDraw;
  private volatile boolean drawn;

  RecoveryProgressBar(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  static RecoveryProgressBar forTerminal() {
    return new RecoveryProgressBar(System.err, System.console() != null);
  }

  @Override
  public void planned(String what, long items, long bytes) {
    this.what = what;
    this.totalItems = items;
    this.totalBytes = bytes;
    draw(true);
  }

  @Override
  public void items(long n) {
    items.addAndGet(n);
    draw(false);
  }

  @Override
  public void bytes(long n) {
    bytes.addAndGet(n);
    draw(false);
  }

  void finish() {
    draw(true);
    if (enabled && drawn) {
      out.println();
    }
  }

  private void draw(boolean force) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    drawn = true;
    long t = Math.max(1, totalItems);
    int width = 24;
    int filled = (int) Math.min(width, items.get() * width / t);
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    String line = String.format("\r[%s] %s %d/%d%s   ", bar, what, items.get(), totalItems,
        totalBytes > 0 ? "  " + Humans.bytes(bytes.get()) + " / " + Humans.bytes(totalBytes) : "");
    synchronized (out) {
      out.print(line);
      out.flush();
    }
  }
}
