package org.channelmirror.backup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.CatalogException;
import org.channelmirror.catalog.LiveProgress;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.TransferOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts and files in flight of one backup run, published to the catalog every
 * {@link #EVERY} for {@code status}, and passed on to the caller's listener (progress bar).
 * Publishing is also the run's heartbeat; a failed publish is logged and never stops the run.
 */
final class RunProgress implements TransferListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupRun.class);
  static final Duration EVERY = Duration.ofSeconds(2);

  final AtomicInteger stored = new AtomicInteger();
  final AtomicInteger present = new AtomicInteger();
  final AtomicInteger tooBig = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();
  final AtomicLong bytes = new AtomicLong();

  private final long jobRunId;
  private final LiveProgress board;
  private final TransferListener next;
  private final Clock clock;
  private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
  private final ScheduledExecutorService publisher;
  private volatile boolean publishFailed;
  /** Renews the run's lease, with every publish. */
  private final Runnable heartbeat;

  private static final class InFlight {
    final Blob blob;
    final Instant startedAt;
    volatile long done;
    volatile long total;
    volatile double rate;

    InFlight(Blob blob, Instant startedAt) {
      this.blob = blob;
      this.startedAt = startedAt;
      this.total = blob.expectedSize() == null ? 0 : blob.expectedSize();
    }
  }

  RunProgress(long jobRunId, LiveProgress board, TransferListener next, Clock clock, Runnable heartbeat) {
    this.heartbeat = heartbeat;
    this.jobRunId = jobRunId;
    this.board = board;
    this.next = next;
    this.clock = clock;
    this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress");
      t.setDaemon(true);
      return t;
    });
    publisher.scheduleWithFixedDelay(this::publish, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  int storedOrPresent() {
    return stored.get() + present.get();
  }

  int notStored() {
    return failed.get() + tooBig.get();
  }

  @Override
  public void planned(int files, long knownBytes) {
    next.planned(files, knownBytes);
  }

  @Override
  public void started(Blob blob) {
    inFlight.put(blob.fileUniqueId(), new InFlight(blob, clock.instant()));
    next.started(blob);
  }

  @Override
  public void bytes(long delta) {
    next.bytes(delta);
  }

  @Override
  public void progress(Blob blob, long done, long total, double bytesPerSecond) {
    InFlight f = inFlight.get(blob.fileUniqueId());
    if (f != null) {
      f.done = done;
      f.total = total;
      f.rate = bytesPerSecond;
    }
    next.progress(blob, done, total, bytesPerSecond);
  }

  @Override
  public void finished(Blob blob, TransferOutcome outcome) {
    inFlight.remove(blob.fileUniqueId());
    next.finished(blob, outcome);
  }

  /** Forgets a file that ended without {@link #finished} (the run was cancelled). */
  void dropped(Blob blob) {
    inFlight.remove(blob.fileUniqueId());
  }

  private void publish() {
    List<LiveProgress.Transfer> running = new ArrayList<>();
    for (InFlight f : inFlight.values()) {
      Blob b = f.blob;
      running.add(new LiveProgress.Transfer(b.chatId(), b.messageId(), b.fileUniqueId(), b.kind(), f.done,
          Math.max(f.total, f.done), f.rate, f.startedAt, null));
    }
    try {
      heartbeat.run();
      board.publish(jobRunId, storedOrPresent(), notStored(), bytes.get(), running, clock.instant());
      publishFailed = false;
    } catch (RuntimeException e) { // a thrown exception would end the periodic task for good
      if (!publishFailed) { // once per outage, not every two seconds
        log.warn("could not publish backup progress for `status`: {}", e.getMessage());
      }
      publishFailed = true;
    }
  }

  @Override
  public void close() {
    // no interrupt: a publish in progress is a catalog write, and an interrupt must not reach it
    publisher.shutdown();
    try {
      publisher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      board.clear(jobRunId);
    } catch (CatalogException e) {
      log.warn("could not clear backup progress: {}", e.getMessage());
    }
  }
}
