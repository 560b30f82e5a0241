package org.channelmirror.cli;

import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.app.Humans;
import org.channelmirror.recovery.Progress;

/** One progress line for verify, restore, export and reindex (items and bytes) on a terminal; silent elsewhere. */
final class RecoveryProgressBar implements Progress {
  private final TerminalLine line;
  private final AtomicLong items = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong byFileId = new AtomicLong();
  private volatile String what = "items";
  private volatile long totalItems;
  private volatile long totalBytes;

  RecoveryProgressBar(TerminalLine line) {
    this.line = line;
  }

  static RecoveryProgressBar forTerminal() {
    return new RecoveryProgressBar(TerminalLine.onStderr());
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

  @Override
  public void byFileId(long n) {
    byFileId.addAndGet(n);
    draw(false);
  }

  void finish() {
    draw(true);
    line.finish();
  }

  private void draw(boolean force) {
    line.draw(force, () -> String.format("%s %s %d/%d%s%s", TerminalLine.bar(items.get(), totalItems), what,
        items.get(), totalItems,
        totalBytes > 0 ? "  " + Humans.bytes(bytes.get()) + " / " + Humans.bytes(totalBytes) : "",
        byFileId.get() > 0 ? "  " + byFileId.get() + " by file_id" : ""));
  }
}
