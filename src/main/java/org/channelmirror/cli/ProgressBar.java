package org.channelmirror.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.app.Humans;
import org.channelmirror.catalog.Blob;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.TransferOutcome;

/** A one-line progress display on a terminal (files done, bytes, rate); silent elsewhere. */
final class ProgressBar implements TransferListener {
  private final PrintStream out;
  private final boolean enabled;
  private final long start = System.nanoTime();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private volatile long lastDraw;

  ProgressBar(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  static ProgressBar forTerminal() {
    return new ProgressBar(System.err, System.console() != null);
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
    if (enabled && started.get() > 0) {
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
    double secs = Math.max(0.001, (now - start) / 1e9);
    String line = String.format("\rmedia %d/%d  %s  %s/s   ", done.get(), started.get(),
        Humans.bytes(bytes.get()), Humans.bytes((long) (bytes.get() / secs)));
    synchronized (out) {
      out.print(line);
      out.flush();
    }
  }
}
