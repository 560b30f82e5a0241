package org.channelmirror.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.app.Humans;
import org.channelmirror.catalog.Blob;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.TransferOutcome;

/** Backup progress on a terminal: files done, bytes, rate. */
final class ProgressBar implements TransferListener {
  private final TerminalLine line;
  private final long start = System.nanoTime();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  ProgressBar(TerminalLine line) {
    this.line = line;
  }

  static ProgressBar forTerminal() {
    return new ProgressBar(TerminalLine.onStderr());
  }

  @Override
  public void started(Blob blob) {
    started.incrementAndGet();
    draw(false);
  }

  @Override
  public void bytes(long delta) {
    bytes.addAndGet(delta);
    draw(false);
  }

  @Override
  public void finished(Blob blob, TransferOutcome outcome) {
    done.incrementAndGet();
    draw(false);
  }

  void finish() {
    draw(true);
    line.finish();
  }

  private void draw(boolean force) {
    line.draw(force, () -> {
      double secs = Math.max(0.001, (System.nanoTime() - start) / 1e9);
      return String.format("media %d/%d  %s  %s/s", done.get(), started.get(), Humans.bytes(bytes.get()),
          Humans.bytes((long) (bytes.get() / secs)));
    });
  }
}
