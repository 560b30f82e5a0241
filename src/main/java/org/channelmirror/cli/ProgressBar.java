package org.channelmirror.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.channelmirror.app.Humans;
import org.channelmirror.catalog.Blob;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.TransferOutcome;

/**
 * Backup progress on a terminal: files done of those due, bytes moved of those announced, the
 * rate and the time left, e.g. {@code media 3/120  1.1 GiB of 4.2 GiB (26%)  161.3 MiB/s  4 min left}.
 */
final class ProgressBar implements TransferListener {
  private final TerminalLine line;
  private final LongSupplier nanoTime;
  private final long start;
  private volatile int plannedFiles = -1;
  private volatile long plannedBytes;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  /** Announced bytes of files that ended without moving them: already stored, too big, failed. */
  private final AtomicLong settled = new AtomicLong();

  ProgressBar(TerminalLine line, LongSupplier nanoTime) {
    this.line = line;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  static ProgressBar forTerminal() {
    return new ProgressBar(TerminalLine.onStderr(), System::nanoTime);
  }

  @Override
  public void planned(int files, long knownBytes) {
    plannedBytes = knownBytes;
    plannedFiles = files;
    draw(false);
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
    boolean moved = outcome instanceof TransferOutcome.Stored s && !s.alreadyPresent();
    if (!moved && blob.expectedSize() != null) {
      settled.addAndGet(blob.expectedSize());
    }
    done.incrementAndGet();
    draw(false);
  }

  void finish() {
    draw(true);
    line.finish();
  }

  private void draw(boolean force) {
    line.draw(force, this::text);
  }

  String text() {
    double secs = Math.max(0.001, (nanoTime.getAsLong() - start) / 1e9);
    long moved = bytes.get();
    long rate = (long) (moved / secs);
    int files = plannedFiles;
    if (files < 0) { // before the run has counted what is due
      return String.format("media %d/%d  %s  %s/s", done.get(), started.get(), Humans.bytes(moved),
          Humans.bytes(rate));
    }
    long total = plannedBytes;
    // a file without an announced size moves more than was planned: never show over 100%
    long accounted = Math.min(total, moved + settled.get());
    StringBuilder sb = new StringBuilder(String.format("media %d/%d", done.get(), Math.max(files, started.get())));
    if (total > 0) {
      sb.append(String.format("  %s of %s (%d%%)", Humans.bytes(moved), Humans.bytes(total),
          done.get() >= files ? 100 : Math.min(99, accounted * 100 / total)));
    } else {
      sb.append("  ").append(Humans.bytes(moved));
    }
    sb.append("  ").append(Humans.bytes(rate)).append("/s");
    if (total > accounted && rate > 0 && moved > 0 && done.get() < files) {
      sb.append("  ").append(Humans.duration((total - accounted + rate - 1) / rate)).append(" left");
    }
    return sb.toString();
  }
}
