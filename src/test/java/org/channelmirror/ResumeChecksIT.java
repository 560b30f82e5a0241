package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.storage.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorded uploads that must not be resumed: parts whose bytes differ from the file (the file
 * changed), and an upload the server no longer has. Both end with the right object and no
 * multipart upload left behind.
 */
class ResumeChecksIT {
  static final int PART = (int) TransferIT.PART;

  @TempDir
  Path dir;

  /** A file of three parts and a bit, published once the catalog exists (created by `status`). */
  private static FileRef publishAfterCatalogExists(Harness h, long seed) {
    assertExit(h.cli("status"), 0);
    return TransferIT.publish(h, seed, 3L * PART + 1000);
  }

  private static Catalog catalog(Harness h) {
    return Catalog.open("jdbc:h2:file:" + h.dir.resolve("data/catalog"), "", "", 2);
  }

  @Test
  void partsWithOtherBytesAreAbortedAndTheFileStartsOver() throws Exception {
    try (Harness h = TransferIT.harness(dir, "")) {
      FileRef f = publishAfterCatalogExists(h, 301);
      String key = "media/" + f.fileUniqueId() + ".bin";
      // an earlier upload of "the same" file whose first two parts hold other bytes of the right size
      String uploadId = h.store.createMultipartUpload(key, null, Map.of());
      byte[] other = new byte[PART];
      new Random(7).nextBytes(other);
      try (Catalog c = catalog(h)) {
        c.uploadJournal().start(f.fileUniqueId(), key, uploadId, PART, f.size());
        for (int n = 1; n <= 2; n++) {
          String etag = h.store.uploadPart(key, uploadId, n, other, 0, PART);
          c.uploadJournal().partDone(f.fileUniqueId(), n, etag, PART);
        }
      }
      assertExit(h.cli("sync"), 0);
      TransferIT.assertStored(h, f); // right bytes and hash, no upload left (the old one aborted)
    }
  }

  /**
   * The file changed (same size, other bytes) after a killed run uploaded its first parts and saved
   * the hash after them. Those parts are not read again for the hash, so without a check the object
   * would be completed from old and new parts, with a SHA-256 of that mix: one of them is read
   * again and compared with its ETag, and the upload is started over.
   */
  @Test
  void aFileChangedBeforeTheSavedHashIsNotCompletedFromOldAndNewParts() throws Exception {
    try (Harness h = TransferIT.harness(dir, "")) {
      FileRef f = publishAfterCatalogExists(h, 305);
      String key = "media/" + f.fileUniqueId() + ".bin";
      byte[] old = new byte[2 * PART]; // what the file held when the killed run read its first two parts
      new Random(8).nextBytes(old);
      String uploadId = h.store.createMultipartUpload(key, null, Map.of());
      try (Catalog c = catalog(h)) {
        c.uploadJournal().start(f.fileUniqueId(), key, uploadId, PART, f.size());
        java.util.List<org.channelmirror.catalog.UploadJournal.Part> parts = new java.util.ArrayList<>();
        for (int n = 1; n <= 2; n++) {
          String etag = h.store.uploadPart(key, uploadId, n, old, (n - 1) * PART, PART);
          parts.add(new org.channelmirror.catalog.UploadJournal.Part(n, etag, PART));
        }
        c.uploadJournal().partsDone(f.fileUniqueId(), parts, new org.channelmirror.catalog.UploadJournal.HashCheckpoint(
            2, org.channelmirror.transfer.Sha256Checkpoints.after(old, 2 * PART)));
      }
      Harness.Run run = h.cli("sync");
      assertExit(run, 0);
      assertThat(run.out() + run.err()).contains("the file changed since the upload began");
      TransferIT.assertStored(h, f); // the new file's bytes and hash, no upload left
    }
  }

  @Test
  void aRecordedUploadTheServerNoLongerHasIsStartedAnew() throws Exception {
    try (Harness h = TransferIT.harness(dir, "")) {
      FileRef f = publishAfterCatalogExists(h, 302);
      String key = "media/" + f.fileUniqueId() + ".bin";
      String uploadId = h.store.createMultipartUpload(key, null, Map.of());
      try (Catalog c = catalog(h)) {
        c.uploadJournal().start(f.fileUniqueId(), key, uploadId, PART, f.size());
      }
      h.store.abortMultipartUpload(key, uploadId);
      assertExit(h.cli("sync"), 0);
      TransferIT.assertStored(h, f);
      try (Catalog c = catalog(h)) {
        // completed and recorded: the journal keeps only the hash until the blob is pruned
        assertThat(c.uploadJournal().find(f.fileUniqueId()).orElseThrow().state())
            .isEqualTo(org.channelmirror.catalog.UploadJournal.State.COMPLETED);
      }
    }
  }

  /**
   * A process killed right after CompleteMultipartUpload: before recording it (an active record
   * holding the hash) or after, but before the CopyObject that adds the {@code sha256} metadata.
   * The next run finds the object without sending the file again and adds the metadata.
   */
  @ParameterizedTest(name = "completion recorded: {0}")
  @ValueSource(booleans = {false, true})
  void aFileCompletedByAKilledProcessIsNotSentAgainAndGetsItsMetadata(boolean completionRecorded) throws Exception {
    try (Harness h = TransferIT.harness(dir, "")) {
      FileRef f = publishAfterCatalogExists(h, completionRecorded ? 303 : 304);
      String key = storedWithoutMetadata(h, f);
      try (Catalog c = catalog(h)) {
        c.uploadJournal().start(f.fileUniqueId(), key, "completed-upload", PART, f.size());
        if (completionRecorded) {
          c.uploadJournal().completed(f.fileUniqueId(), f.content().sha256Hex());
        } else {
          c.uploadJournal().completing(f.fileUniqueId(), f.content().sha256Hex());
        }
      }
      syncTakesItAsStored(h, f, key);
    }
  }

  /** The file's bytes under its key without the {@code sha256} metadata, as a completed multipart upload leaves them. */
  private static String storedWithoutMetadata(Harness h, FileRef f) throws IOException {
    String key = "media/" + f.fileUniqueId() + ".bin";
    try (InputStream in = f.content().open(0)) {
      h.store.putStream(key, in, "application/octet-stream", Map.of(), ProgressListener.NONE);
    }
    h.store.replaceMetadata(key, "application/octet-stream", Map.of()); // putStream adds the hash
    assertThat(h.store.head(key).orElseThrow().userMetadata()).doesNotContainKey("sha256");
    return key;
  }

  /** The next sync takes the object as stored without fetching the file again, and adds the metadata. */
  private static void syncTakesItAsStored(Harness h, FileRef f, String key) throws Exception {
    Harness.Run run = h.cli("sync");
    assertExit(run, 0);
    assertThat(run.out()).contains("1 already present");
    assertThat(TransferIT.fileRequests(h)).isEmpty(); // not downloaded, so not uploaded either
    assertThat(h.store.head(key).orElseThrow().userMetadata()).containsEntry("sha256", f.content().sha256Hex());
    TransferIT.assertStored(h, f);
  }
}
