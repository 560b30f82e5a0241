package org.channelmirror.backup;

import org.channelmirror.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.Leases;
import org.channelmirror.catalog.ManifestSource;
import org.channelmirror.catalog.Problem;
import org.channelmirror.catalog.WriteBatch;
import org.channelmirror.config.TelegramConfig;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.StorageException;
import org.channelmirror.transfer.MediaTransfer;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.UploadJanitor;
import org.channelmirror.transfer.TransferOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup pass: every due media file is transferred (several at once), its outcome recorded,
 * then every post version whose media changed gets its manifest (re)written, and each touched
 * channel its index. At most one pass runs at a time: in a process (a lock), and among the
 * processes sharing the catalog (the {@value #LEASE} lease: `sync` while the service backs up, or
 * several instances on one PostgreSQL catalog).
 */
public final class BackupRun {
  private static final Logger log = LoggerFactory.getLogger(BackupRun.class);
  public static final String JOB = "backup";
  /** The catalog lease a run holds (see {@link Leases}). */
  static final String LEASE = "backup";
  /**
   * A holder on another host that has not renewed its lease (every progress heartbeat, 2 s) for
   * this long is taken for dead. Short, because waiting for a killed holder stalls backups, while
   * taking over from a live one that stalled only costs duplicate work.
   */
  static final Duration LEASE_TTL = Duration.ofSeconds(30);
  /** How often a scheduled run asks again for the lease another process holds. */
  private static final Duration WAIT_FOR_OTHERS = Duration.ofSeconds(2);
  private static final int PAGE = 256;
  /** A next-attempt time every failed item has reached. */
  private static final Instant EVERY_FAILED = Instant.ofEpochMilli(Long.MAX_VALUE);
  /**
   * Stored files per catalog commit. A crash loses at most this many records: those files stay
   * pending and are uploaded again by the next run (multipart ones are found complete instead).
   */
  static final int BATCH = 32;

  private final Catalog catalog;
  private final ObjectStore store;
  private final MediaTransfer transfer;
  private final TelegramConfig telegram;
  private final int concurrency;
  private final Clock clock;
  private final ReentrantLock running = new ReentrantLock();
  private volatile boolean cancelled;
  /** Why a run asked for after {@link #cancel} did nothing. */
  public static final String STOPPING = "stopping: no new backup run starts";
  private volatile ExecutorService pool;
  private final UploadJanitor janitor;
  private final Leases leases;

  public BackupRun(Catalog catalog, ObjectStore store, MediaTransfer transfer, TelegramConfig telegram,
      int concurrency, Clock clock) {
    this(catalog, store, transfer, telegram, concurrency, clock, null);
  }

  /** With {@code janitor}, each run first aborts stale multipart uploads (at most hourly). */
  public BackupRun(Catalog catalog, ObjectStore store, MediaTransfer transfer, TelegramConfig telegram,
      int concurrency, Clock clock, UploadJanitor janitor) {
    this.janitor = janitor;
    this.catalog = catalog;
    this.leases = catalog.leases();
    this.store = store;
    this.transfer = transfer;
    this.telegram = telegram;
    this.concurrency = concurrency;
    this.clock = clock;
  }

  /** When items that failed in an earlier run are tried again. */
  public enum Retry {
    /** At their next-attempt time (backoff across runs): the service's scheduled runs. */
    WHEN_DUE,
    /** Now, whatever their next-attempt time: a run the owner asked for ({@code sync}). */
    NOW
  }

  /** A scheduled run: failed items wait for their next-attempt time. */
  public BackupReport run(TransferListener listener) throws InterruptedException {
    return run(listener, Retry.WHEN_DUE);
  }

  public BackupReport run(TransferListener listener, Retry retry) throws InterruptedException {
    return run(listener, retry, false);
  }

  /**
   * A run of the service's schedule. When another process sharing the catalog is backing up, it
   * waits for that run to end and then runs, rather than leaving its files to the next fire time:
   * two instances on one catalog with the same cron fire at the same second, and the one that lost
   * the lease lost it at every fire while the other could not fetch its files (file_ids are per bot).
   */
  public BackupReport runScheduled() throws InterruptedException {
    return run(TransferListener.NONE, Retry.WHEN_DUE, true);
  }

  private BackupReport run(TransferListener listener, Retry retry, boolean waitForOthers) throws InterruptedException {
    if (cancelled) {
      // the stop came first (a scheduled run that fired while the service was stopping, say)
      return skipped(STOPPING);
    }
    if (!running.tryLock()) {
      log.info("a backup run is already in progress; skipping this one");
      return skipped("a backup run of this process is in progress");
    }
    Instant start;
    // a holder per run: a run's release can never free the lease of the next one
    Leases.Holder me = Leases.Holder.ofThisProcess();
    for (boolean told = false; ; told = true) {
      start = clock.instant();
      Optional<Leases.Held> other;
      try {
        other = leases.claim(LEASE, me, start, LEASE_TTL);
      } catch (RuntimeException e) { // the catalog is unreachable: the next run tries again
        running.unlock();
        throw e;
      }
      if (other.isEmpty()) {
        break;
      }
      String why = "a backup run of " + other.get().holder() + " (sharing this catalog) is in progress since "
          + other.get().acquiredAt();
      if (!waitForOthers || cancelled) {
        running.unlock();
        log.info("{}; skipping this one", why);
        return skipped(cancelled ? STOPPING : why);
      }
      if (!told) {
        log.info("{}; this one starts when it ends", why);
      }
      try {
        Thread.sleep(WAIT_FOR_OTHERS.toMillis());
      } catch (InterruptedException e) {
        running.unlock();
        throw e;
      }
    }
    try {
      return runHoldingLease(start, listener, me, retry);
    } finally {
      if (running.isHeldByCurrentThread()) { // a catalog failure before the run's own bookkeeping
        running.unlock();
      }
      try {
        leases.release(LEASE, me);
      } catch (RuntimeException e) { // it expires by itself
        log.warn("could not release the backup lease: {}", e.getMessage());
      }
    }
  }

  private static BackupReport skipped(String why) {
    return new BackupReport(why, 0, 0, 0, 0, 0, 0, Duration.ZERO, List.of(), null);
  }

  /** The run itself; {@code running} is held, and released here. */
  private BackupReport runHoldingLease(Instant start, TransferListener listener, Leases.Holder me, Retry retry)
      throws InterruptedException {
    // this run holds the backup lease, so a run still recorded RUNNING is dead (killed): recorded
    // INTERRUPTED now, or status would show its files as moving until it had been silent for minutes
    int abandoned = catalog.liveProgress().markAbandoned(JOB, start, Duration.ZERO);
    if (abandoned > 0) {
      log.warn("{} earlier backup run(s) never finished (the process stopped); recorded as interrupted", abandoned);
    }
    long job = catalog.startJob(JOB);
    // the heartbeat (status, the lease) starts before the first storage request: a server that
    // accepts connections and answers nothing keeps the bucket check waiting for minutes
    RunProgress progress = new RunProgress(job, catalog.liveProgress(), listener, clock, () -> {
      if (!leases.renew(LEASE, me, clock.instant())) {
        log.warn("the backup lease was taken over by another process (this one was silent for over {}); both may"
            + " now transfer the same files, which is safe but wasteful", LEASE_TTL);
      }
    });
    try {
      store.ensureBucket(false);
    } catch (StorageException e) {
      // an outage must not count against the items: they stay due and run when storage is back
      String why = "storage unavailable: " + e.getMessage();
      log.error("backup run skipped, {}", why);
      progress.close();
      catalog.finishJob(job, "FAILED", 0, 0, 0, why);
      running.unlock();
      return new BackupReport(null, 0, 0, 0, 0, 0, 0, Duration.between(start, clock.instant()),
          catalog.problems(telegram.botId()), why);
    } catch (RuntimeException e) {
      progress.close(); // no heartbeat for a run that is over
      throw e;
    }
    AtomicInteger stored = progress.stored;
    AtomicInteger present = progress.present;
    AtomicInteger tooBig = progress.tooBig;
    AtomicInteger failed = progress.failed;
    AtomicLong bytes = progress.bytes;
    int manifests = 0;
    List<Problem> problems = List.of();
    String status = "FAILED";
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "transfer");
      t.setDaemon(true);
      return t;
    });
    this.pool = pool;
    // stored files are recorded BATCH at a time (one commit per file was slow)
    WriteBatch<Catalog.StoredFile> batch = new WriteBatch<>(BATCH, catalog::markStored);
    try {
      if (janitor != null) {
        janitor.sweepIfDue();
      }
      int requeued = catalog.requeueRefused(telegram.botId(), telegram.downloadMode());
      if (requeued > 0) {
        log.info("{} file(s) refused earlier for their size are retried under the new download mode", requeued);
      }
      Supplier<Instant> dueBy = retry == Retry.NOW ? () -> EVERY_FAILED : clock::instant;
      Catalog.Due planned = catalog.due(telegram.botId(), dueBy.get());
      progress.planned(planned.files(), planned.knownBytes());
      Set<String> attempted = new HashSet<>();
      while (true) {
        List<Blob> due = new ArrayList<>();
        for (Blob b : catalog.dueBlobs(telegram.botId(), dueBy.get(), PAGE + attempted.size())) {
          if (attempted.add(b.fileUniqueId())) {
            due.add(b);
          }
        }
        if (due.isEmpty() || cancelled) {
          break;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (Blob b : due) {
          futures.add(pool.submit(() -> {
            progress.started(b);
            TransferOutcome outcome = transfer.transfer(b, progress);
            if (cancelled) {
              progress.dropped(b);
              return null; // stopped mid-way: the item stays due, nothing is recorded against it
            }
            record(b, outcome, batch);
            if (outcome instanceof TransferOutcome.Stored s) {
              (s.alreadyPresent() ? present : stored).incrementAndGet();
              bytes.addAndGet(s.alreadyPresent() ? 0 : s.size());
            } else if (outcome instanceof TransferOutcome.TooBig) {
              tooBig.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
            progress.finished(b, outcome);
            return null;
          }));
        }
        try {
          for (Future<?> f : futures) {
            f.get();
          }
        } finally {
          batch.flush();
        }
      }
      if (cancelled) {
        status = "CANCELLED";
      } else {
        manifests = writeManifests(pool);
        problems = catalog.problems(telegram.botId());
        // the run is clean only when nothing at all is left unstored, not just nothing new failed
        status = problems.isEmpty() ? "OK" : "PARTIAL";
      }
    } catch (ExecutionException e) {
      if (!cancelled) {
        throw new IllegalStateException("backup run failed: " + e.getCause().getMessage(), e.getCause());
      }
      status = "CANCELLED"; // a transfer interrupted by the stop
    } catch (java.util.concurrent.CancellationException e) {
      if (!cancelled) {
        throw e;
      }
      status = "CANCELLED"; // a transfer the stop kept from starting
    } finally {
      pool.shutdownNow();
      try {
        batch.flush(); // files stored before a cancel or a failure are recorded, not sent again
      } catch (RuntimeException e) {
        log.warn("could not record the last stored files ({}); the next run uploads them again", e.getMessage());
      }
      progress.close();
      catalog.finishJob(job, status, stored.get() + present.get(), failed.get() + tooBig.get(), bytes.get(),
          cancelled ? String.format("stopped before the end (SIGTERM or Ctrl-C): %d stored, %d too big, %d failed; the rest stays due",
              stored.get() + present.get(), tooBig.get(), failed.get())
              : String.format("%d stored, %d too big, %d failed; %d not stored in all", stored.get() + present.get(),
              tooBig.get(), failed.get(), problems.size()));
      running.unlock();
    }
    Duration elapsed = Duration.between(start, clock.instant());
    BackupReport report = new BackupReport(null, stored.get(), present.get(), tooBig.get(), failed.get(),
        bytes.get(), manifests, elapsed, problems, null);
    log.info("backup run: {} stored ({} bytes), {} already present, {} too big, {} failed, {} manifests in {} ms",
        stored.get(), bytes.get(), present.get(), tooBig.get(), failed.get(), manifests, elapsed.toMillis());
    return report;
  }

  /**
   * Stops a run in progress at once (shutdown): in-flight transfers are interrupted; their
   * multipart uploads stay recorded for the next run to resume, and the items stay due. Manifests
   * already written stay. For good: a run asked for afterwards does nothing (a stop can come just
   * before a scheduled run starts, which would otherwise run whole while the process waits for it).
   */
  public void cancel() {
    cancelled = true;
    ExecutorService p = pool;
    if (p != null) {
      // transfers still queued never run: cancel their futures, or the run would wait for them forever
      for (Runnable queued : p.shutdownNow()) {
        if (queued instanceof Future<?> f) {
          f.cancel(false);
        }
      }
    }
  }

  private void record(Blob b, TransferOutcome outcome, WriteBatch<Catalog.StoredFile> batch) {
    if (outcome instanceof TransferOutcome.Stored s) {
      batch.add(new Catalog.StoredFile(b.fileUniqueId(), s.objectKey(), s.size(), s.sha256()));
    } else if (outcome instanceof TransferOutcome.TooBig t) {
      log.warn("media {} of message {}/{} is too big for the Bot API server: {}", b.fileUniqueId(), b.chatId(),
          b.messageId(), t.reason());
      catalog.markTooBig(b.fileUniqueId(), t.reason(), telegram.downloadMode());
    } else if (outcome instanceof TransferOutcome.Failed f) {
      // capped exponential backoff with jitter across the service's runs; a refusal (a file_id
      // Telegram calls "wrong ... or temporarily unavailable", access denied) starts at half an hour
      int attempts = b.attempts() + 1;
      Duration base = f.retryable() ? Duration.ofSeconds(60) : Duration.ofMinutes(30);
      Duration wait = Backoff.delay(base, attempts, Duration.ofHours(6));
      log.warn("media {} of message {}/{} failed: {} (next attempt in {} s)", b.fileUniqueId(), b.chatId(),
          b.messageId(), f.reason(), wait.toSeconds());
      catalog.markFailed(b.fileUniqueId(), f.reason(), clock.instant().plus(wait), telegram.downloadMode());
    }
  }

  /**
   * Writes every dirty manifest (a page at a time, spread over the transfer threads: one small
   * PutObject each), then the index of each channel that changed.
   */
  private int writeManifests(ExecutorService pool) throws InterruptedException, ExecutionException {
    int written = 0;
    Set<Long> channels = new HashSet<>();
    List<ManifestSource> dirty;
    while (!(dirty = catalog.dirtyManifests(PAGE)).isEmpty()) {
      List<Future<?>> page = new ArrayList<>();
      // recorded once per page, in one transaction; a manifest written but not recorded (crash)
      // is simply written again, to the same key
      Map<Long, String> keys = new ConcurrentHashMap<>();
      for (ManifestSource src : dirty) {
        var v = src.version();
        page.add(pool.submit(() -> {
          String key = ObjectKeys.manifest(store.prefix(), v.chatId(), v.messageId(), v.editDate(), v.contentHash());
          store.putBytes(key, Manifests.manifest(src, clock.instant()), "application/json",
              Map.of("chat-id", Long.toString(v.chatId()), "message-id", Long.toString(v.messageId())));
          keys.put(src.versionId(), key);
          return null;
        }));
        channels.add(v.chatId());
        written++;
      }
      try {
        for (Future<?> f : page) {
          try {
            f.get();
          } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
              throw re; // a storage or catalog error, as when written one by one
            }
            throw e;
          }
        }
      } finally {
        catalog.markManifestsWritten(keys);
      }
    }
    for (long chat : channels) {
      store.putBytes(ObjectKeys.channelIndex(store.prefix(), chat),
          Manifests.index(chat, catalog.indexEntries(chat), clock.instant()), "application/json", Map.of());
    }
    return written;
  }
}
