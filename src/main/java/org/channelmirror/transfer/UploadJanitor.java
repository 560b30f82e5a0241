package org.channelmirror.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PendingUpload;
import org.channelmirror.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleanup job: aborts multipart uploads that nobody will complete, so none lingers (and
 * bills) forever:
 * <ul>
 *   <li>recorded uploads of files that are stored by now;</li>
 *   <li>recorded uploads untouched for {@link #STALE_RECORDED} (the file is started over);</li>
 *   <li>uploads of keys right under {@code <prefix>media/} (not in folders below it, which hold
 *       no media key of ours) the catalog does not know, older than
 *       {@link #DEFAULT_UNKNOWN_AGE} unless told otherwise: left by a crash between creating an
 *       upload and recording it, or by a catalog that was reset. The age guards uploads another
 *       process is still creating.</li>
 * </ul>
 * Runs on {@code schedule.cleanup} in the daemon, by the {@code cleanup} command, and at the start
 * of a backup pass at most once per {@link #INTERVAL} (so that deployments driving {@code sync}
 * from cron are cleaned too). Every pass is recorded as a run of job {@value #JOB} for
 * {@code status}.
 */
public final class UploadJanitor {
  private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);
  public static final String JOB = "cleanup";
  static final Duration STALE_RECORDED = Duration.ofHours(24);
  public static final Duration DEFAULT_UNKNOWN_AGE = Duration.ofHours(1);
  static final Duration INTERVAL = Duration.ofHours(1);

  /** One upload the sweep aborted, and why. */
  public record Aborted(String key, String uploadId, Instant since, String reason) {}

  /**
   * What one sweep found and did.
   *
   * @param pending multipart uploads under the media prefix when the sweep began; -1 when the
   *     server cannot list them
   * @param aborted those it aborted (and recorded ones of stored files)
   * @param failures aborts the server refused (tried again next sweep)
   * @param forgotten recorded uploads dropped from the catalog unaborted, because the server cannot
   *     abort uploads at all (their parts stay until the server drops them)
   * @param unlisted why uploads could not be listed (only the catalog's were checked), or null
   */
  public record Sweep(int pending, List<Aborted> aborted, List<String> failures, List<String> forgotten,
                      String unlisted) {
    public String summary() {
      String done = unlisted == null
          ? "aborted " + aborted.size() + " of " + pending + " pending multipart upload(s)"
          : "aborted " + aborted.size() + " recorded multipart upload(s); uploads unknown to the catalog cannot be"
              + " found, as the server does not list them (" + unlisted + ")";
      return done
          + (forgotten.isEmpty() ? "" : "; " + forgotten.size() + " recorded upload(s) forgotten without an abort,"
              + " which this server does not support: " + String.join(", ", forgotten))
          + (failures.isEmpty() ? "" : "; " + failures.size() + " abort(s) failed: " + String.join("; ", failures));
    }
  }

  /** The lists one sweep fills. */
  private record Tally(List<Aborted> aborted, List<String> failures, List<String> forgotten) {
    Tally() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  private final ObjectStore store;
  private final Catalog catalog;
  private final UploadJournal journal;
  private final Clock clock;
  private Instant lastSweep; // guarded by this

  public UploadJanitor(ObjectStore store, Catalog catalog, Clock clock) {
    this.store = store;
    this.catalog = catalog;
    this.journal = catalog.uploadJournal();
    this.clock = clock;
  }

  /** For a backup pass: sweeps unless a sweep ran within the interval; never throws (logged, retried later). */
  public synchronized void sweepIfDue() {
    if (lastSweep != null && lastSweep.plus(INTERVAL).isAfter(clock.instant())) {
      return;
    }
    try {
      run(DEFAULT_UNKNOWN_AGE);
    } catch (RuntimeException e) {
      log.warn("cleanup of stale multipart uploads failed: {}; trying again next run", e.getMessage());
    }
  }

  /**
   * One sweep, recorded as a job run. Uploads unknown to the catalog are aborted once older than
   * {@code unknownAge}. Throws when storage cannot be listed (the run is recorded as failed).
   */
  public synchronized Sweep run(Duration unknownAge) {
    long job = catalog.startJob(JOB);
    String status = "FAILED";
    String message = "interrupted or failed";
    Sweep s = null;
    try {
      s = sweep(clock.instant(), unknownAge);
      lastSweep = clock.instant();
      status = s.failures().isEmpty() ? "OK" : "PROBLEMS";
      message = s.summary();
      if (!s.aborted().isEmpty() || !s.failures().isEmpty() || !s.forgotten().isEmpty() || s.unlisted() != null) {
        log.info("cleanup: {}", message);
      }
      return s;
    } catch (RuntimeException e) {
      message = "cleanup failed: " + e.getMessage();
      throw e;
    } finally {
      catalog.finishJob(job, status, s == null ? 0 : s.aborted().size(), s == null ? 0 : s.failures().size(), 0,
          message);
    }
  }

  /** One sweep as of {@code now}, not recorded. */
  synchronized Sweep sweep(Instant now, Duration unknownAge) {
    Tally tally = new Tally();
    List<PendingUpload> pending = List.of();
    String unlisted = null;
    try {
      String media = ObjectKeys.mediaFolder(store.prefix());
      // media/x/... is another instance's, maybe still sending a large file
      pending = store.listMultipartUploads(media).stream().filter(p -> ObjectKeys.inMediaFolder(media, p.key())).toList();
    } catch (StorageException e) {
      if (!e.unsupported()) {
        throw e;
      }
      unlisted = e.getMessage(); // a minimal S3 server: the catalog's own uploads are still swept
    }
    Set<String> recorded = new HashSet<>();
    journal.all().forEach(u -> recorded.add(u.uploadId()));
    for (UploadJournal.Upload u : journal.ofStoredBlobs()) {
      if (!u.active() || abort(tally, u.objectKey(), u.uploadId(), u.updatedAt(), "its file is stored by now")) {
        journal.forget(u.fileUniqueId());
      }
    }
    for (UploadJournal.Upload u : journal.all()) {
      if (u.active() && u.updatedAt().plus(STALE_RECORDED).isBefore(now)
          && abort(tally, u.objectKey(), u.uploadId(), u.updatedAt(), "recorded, untouched since " + u.updatedAt()
              + "; the file starts over")) {
        journal.forget(u.fileUniqueId());
      }
    }
    for (PendingUpload p : pending) {
      if (recorded.contains(p.uploadId())) {
        continue; // handled above, from the catalog's side
      }
      if (p.initiated() == null || !p.initiated().plus(unknownAge).isAfter(now)) {
        abort(tally, p.key(), p.uploadId(), p.initiated(), "unknown to the catalog, started " + p.initiated());
      }
    }
    return new Sweep(unlisted == null ? pending.size() : -1, tally.aborted(), tally.failures(), tally.forgotten(),
        unlisted);
  }

  /**
   * Some servers (Adobe S3Mock) keep one store per key and drop the object with any aborted upload
   * of its key: a file stored there is checked after the abort, and uploaded again by the next
   * backup run if it went. (Nothing is checked when no file is stored at the key.)
   */
  private void checkStoredObject(String key) {
    try {
      Optional<Long> size = catalog.storedSizeAt(key);
      if (size.isEmpty() || store.head(key).map(o -> o.size() == size.get()).orElse(false)) {
        return;
      }
      String why = "the storage server dropped the stored object " + key + " when an unfinished upload of the same key"
          + " was aborted; it is uploaded again";
      if (catalog.requeueStoredAt(key, why)) {
        log.warn("cleanup: {}", why);
      }
    } catch (StorageException e) {
      log.warn("cleanup: could not check {} after aborting an upload of it: {}; `verify` checks it", key,
          e.getMessage());
    }
  }

  /**
   * Aborts one upload; true when the catalog may forget it: aborted, or on a server that cannot
   * abort at all (asking again every hour would change nothing).
   */
  private boolean abort(Tally tally, String key, String uploadId, Instant since, String why) {
    try {
      store.abortMultipartUpload(key, uploadId);
      log.info("cleanup: aborted upload {} of {}: {}", uploadId, key, why);
      tally.aborted().add(new Aborted(key, uploadId, since, why));
      checkStoredObject(key);
      return true;
    } catch (StorageException e) {
      if (e.unsupported()) {
        log.warn("cleanup: the server cannot abort upload {} of {} ({}); forgetting it, its parts stay until the"
            + " server drops them", uploadId, key, e.getMessage());
        tally.forgotten().add(key);
        return true;
      }
      log.warn("cleanup: could not abort upload {} of {}: {}", uploadId, key, e.getMessage());
      tally.failures().add(key + ": " + e.getMessage());
      return false;
    }
  }
}
