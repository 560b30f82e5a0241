package org.channelmirror.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PendingUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts multipart uploads that nobody will complete, so none lingers (and bills) forever:
 * <ul>
 *   <li>recorded uploads of files that are stored by now;</li>
 *   <li>recorded uploads untouched for {@link #STALE_RECORDED} (the file is started over);</li>
 *   <li>uploads under {@code <prefix>media/} the catalog does not know, older than
 *       {@link #STALE_UNKNOWN}: left by a crash between creating an upload and recording it, or
 *       by a catalog that was reset. The age guards uploads another process is still creating.</li>
 * </ul>
 * Runs at the start of a backup pass, at most once per {@link #INTERVAL}.
 */
public final class UploadJanitor {
  private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);
  static final Duration STALE_RECORDED = Duration.ofHours(24);
  static final Duration STALE_UNKNOWN = Duration.ofHours(1);
  static final Duration INTERVAL = Duration.ofHours(1);

  private final ObjectStore store;
  private final UploadJournal journal;
  private final Clock clock;
  private Instant lastSweep; // guarded by this

  public UploadJanitor(ObjectStore store, UploadJournal journal, Clock clock) {
    this.store = store;
    this.journal = journal;
    this.clock = clock;
  }

  /** Sweeps unless a sweep ran within the interval; never throws (a failure is logged and retried later). */
  public synchronized void sweepIfDue() {
    Instant now = clock.instant();
    if (lastSweep != null && lastSweep.plus(INTERVAL).isAfter(now)) {
      return;
    }
    try {
      int aborted = sweep(now);
      lastSweep = now;
      if (aborted > 0) {
        log.info("cleanup: aborted {} stale multipart upload(s)", aborted);
      }
    } catch (RuntimeException e) {
      log.warn("cleanup of stale multipart uploads failed: {}; trying again next run", e.getMessage());
    }
  }

  /** One sweep; returns the number of uploads aborted. */
  synchronized int sweep(Instant now) {
    int aborted = 0;
    for (UploadJournal.Upload u : journal.ofStoredBlobs()) {
      if (u.state() == UploadJournal.State.ACTIVE) {
        store.abortMultipartUpload(u.objectKey(), u.uploadId());
        aborted++;
      }
      journal.forget(u.fileUniqueId());
    }
    Set<String> known = new HashSet<>();
    for (UploadJournal.Upload u : journal.all()) {
      if (u.state() == UploadJournal.State.ACTIVE && u.updatedAt().plus(STALE_RECORDED).isBefore(now)) {
        log.info("cleanup: upload {} of {} untouched since {}; aborting it", u.uploadId(), u.objectKey(), u.updatedAt());
        store.abortMultipartUpload(u.objectKey(), u.uploadId());
        journal.forget(u.fileUniqueId());
        aborted++;
      } else {
        known.add(u.uploadId());
      }
    }
    List<PendingUpload> pending = store.listMultipartUploads(store.prefix() + "media/");
    for (PendingUpload p : pending) {
      if (known.contains(p.uploadId())) {
        continue;
      }
      if (p.initiated() == null || p.initiated().plus(STALE_UNKNOWN).isBefore(now)) {
        log.info("cleanup: upload {} of {} (started {}) is unknown to the catalog; aborting it", p.uploadId(),
            p.key(), p.initiated());
        store.abortMultipartUpload(p.key(), p.uploadId());
        aborted++;
      }
    }
    return aborted;
  }
}
