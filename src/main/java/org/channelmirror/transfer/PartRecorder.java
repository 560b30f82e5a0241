package org.channelmirror.transfer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.catalog.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the accepted parts of one upload in the resume journal a batch at a time: once a
 * second or every {@link #BATCH} parts, whichever comes first, and what is left when the transfer
 * fails. A commit per part is one every 30 ms at 250 MB/s, each a round trip and a log flush on a
 * part thread's path when the catalog is PostgreSQL (on H2 here the CPU difference was within
 * noise, docs/benchmarks.md). Parts a crash leaves unrecorded are not lost to resume: it lists the
 * server's parts (ListParts) and keeps unrecorded ones of the right size, whose bytes are checked
 * against their ETag when they are read again for the hash.
 *
 * <p>Each batch also saves the latest checkpoint of the running SHA-256, if any: a resumed upload
 * reads again only the parts after it, plus those the server does not hold.
 */
final class PartRecorder implements PartWindow.PartJournal {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);
  static final int BATCH = 16;
  static final Duration EVERY = Duration.ofSeconds(1);

  private final UploadJournal journal;
  private final String fileUniqueId;
  private final WriteBatch<UploadJournal.Part> parts;
  private final AtomicReference<UploadJournal.HashCheckpoint> hashed = new AtomicReference<>();
  private volatile boolean anyPart;

  PartRecorder(UploadJournal journal, String fileUniqueId, LongSupplier nanoTime) {
    this.journal = journal;
    this.fileUniqueId = fileUniqueId;
    this.parts = new WriteBatch<>(BATCH, EVERY, batch -> journal.partsDone(fileUniqueId, batch, hashed.get()),
        nanoTime);
  }

  @Override
  public void hashedThrough(int partCount, String state) {
    hashed.set(new UploadJournal.HashCheckpoint(partCount, state));
  }

  @Override
  public void partDone(int number, String etag, long size) {
    anyPart = true;
    parts.add(new UploadJournal.Part(number, etag, size));
  }

  /** Whether a part was stored through this recorder. */
  boolean anyPartDone() {
    return anyPart;
  }

  /**
   * For a transfer that failed: records what it can for the next attempt, unless the upload was
   * given up (aborted and forgotten) meanwhile. Never throws: the failure at hand matters more.
   */
  void flushQuietly() {
    try {
      if (journal.find(fileUniqueId).filter(UploadJournal.Upload::active).isPresent()) {
        parts.flush();
        UploadJournal.HashCheckpoint h = hashed.get();
        if (h != null) {
          journal.hashedThrough(fileUniqueId, h);
        }
      }
    } catch (RuntimeException e) {
      log.debug("media {}: could not record its last parts ({}); resume finds them on the server", fileUniqueId,
          e.getMessage());
    }
  }
}
