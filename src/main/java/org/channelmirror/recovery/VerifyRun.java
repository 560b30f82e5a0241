package org.channelmirror.recovery;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A verify pass recorded as a job run in the catalog, so {@code status} shows its result.
 * Used by the scheduled job and by the {@code verify} command.
 */
public final class VerifyRun {
  private static final Logger log = LoggerFactory.getLogger(VerifyRun.class);
  public static final String JOB = "verify";
  /** Objects younger than this are not called orphans: a backup run may still be writing manifests. */
  public static final Duration DEFAULT_ORPHAN_MIN_AGE = Duration.ofHours(1);
  private static final Duration HEARTBEAT = Duration.ofSeconds(2);

  private final Catalog catalog;
  private final Clock clock;
  private final Verifier verifier;
  private volatile boolean cancelled;

  public VerifyRun(Catalog catalog, BucketReader bucket, Clock clock) {
    this.catalog = catalog;
    this.verifier = new Verifier(bucket, clock, () -> cancelled);
    this.clock = clock;
  }

  /**
   * Ends a pass in progress at its next manifest or object (the service stops): it is recorded as
   * CANCELLED. For good: a pass asked for afterwards ends at once the same way.
   */
  public void cancel() {
    cancelled = true;
  }

  public VerifyReport run(boolean deep, Duration orphanMinAge, Progress progress) throws InterruptedException {
    long job = catalog.startJob(JOB);
    ScheduledExecutorService heartbeat = heartbeat(job);
    String status = "FAILED";
    String message = "interrupted or failed";
    int checked = 0;
    int problems = 0;
    long bytes = 0;
    try {
      // the grace for young objects is for media a backup run stored before writing its manifests
      // (at its end): with no run in progress, every unreferenced object older than this check is
      // an orphan (an owner or a tester who puts a stray object there expects to see it at once).
      // A run in progress at the start, or when media/ is listed (one that began meanwhile), counts
      boolean runAtStart = catalog.runInProgress(BackupRun.JOB, clock.instant());
      VerifyReport r = verifier.verify(deep, () -> runAtStart || catalog.runInProgress(BackupRun.JOB, clock.instant())
          ? orphanMinAge : Duration.ZERO, progress);
      status = r.ok() ? "OK" : "PROBLEMS";
      message = r.summary();
      checked = r.objects();
      problems = r.problems().size();
      bytes = r.bytesRead();
      if (r.ok()) {
        log.info("verify: {}", r.summary());
      } else {
        log.warn("verify: {}", r.summary());
        r.problems().forEach(p -> log.warn("verify: {} {}: {}", p.type(), p.key(), p.detail()));
      }
      return r;
    } catch (InterruptedException e) {
      if (cancelled) {
        status = "CANCELLED";
        message = "stopped before the end (SIGTERM or Ctrl-C)";
      }
      throw e;
    } catch (RuntimeException e) {
      message = "verify failed: " + e.getMessage();
      throw e;
    } finally {
      stop(heartbeat);
      catalog.finishJob(job, status, checked, problems, bytes, message);
    }
  }

  /**
   * Tells the catalog every {@link #HEARTBEAT} that this pass is alive: a pass over tens of thousands
   * of manifests, or a deep one, takes minutes, and `status` calls a run silent for
   * {@link org.channelmirror.catalog.LiveProgress#SILENCE} dead.
   */
  private ScheduledExecutorService heartbeat(long job) {
    ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "verify-heartbeat");
      t.setDaemon(true);
      return t;
    });
    beat.scheduleWithFixedDelay(() -> {
      try {
        catalog.liveProgress().alive(job, clock.instant());
      } catch (RuntimeException e) { // a thrown exception would end the periodic task for good
        log.debug("could not record that verify is alive: {}", e.getMessage());
      }
    }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    return beat;
  }

  /** No interrupt: a heartbeat in progress is a catalog write, which an interrupt must not reach. */
  private static void stop(ScheduledExecutorService heartbeat) {
    heartbeat.shutdown();
    try {
      heartbeat.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the pass was stopped: it is recorded as such all the same
    }
  }
}
