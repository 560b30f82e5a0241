package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.UploadJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parts reach the resume journal in batches: by count, by time, and what is left after a failure. */
class PartRecorderTest {
  @TempDir
  Path dir;

  @Test
  void recordsPartsInBatchesByCountAndTimeAndTheRestAfterAFailure() {
    try (Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("catalog"), "", "", 2)) {
      UploadJournal journal = catalog.uploadJournal();
      journal.start("f1", "media/f1.bin", "up-1", 8 << 20, 400L << 20);
      AtomicLong clock = new AtomicLong();
      PartRecorder rec = new PartRecorder(journal, "f1", clock::get);

      for (int n = 1; n < PartRecorder.BATCH; n++) {
        rec.partDone(n, "\"etag" + n + "\"", 8 << 20);
      }
      assertThat(parts(journal)).isZero(); // within a second and below a batch: not written yet
      rec.partDone(PartRecorder.BATCH, "\"etag16\"", 8 << 20);
      assertThat(parts(journal)).isEqualTo(PartRecorder.BATCH);

      rec.partDone(17, "\"etag17\"", 8 << 20);
      assertThat(parts(journal)).isEqualTo(16);
      clock.addAndGet(PartRecorder.EVERY.toNanos());
      rec.partDone(18, "\"etag18\"", 8 << 20);
      assertThat(parts(journal)).isEqualTo(18); // a second passed: written with the one before it
      assertThat(journal.find("f1").orElseThrow().parts().get(18).etag()).isEqualTo("\"etag18\"");

      rec.partDone(19, "\"etag19\"", 8 << 20);
      rec.flushQuietly(); // the transfer failed: the next attempt finds every part recorded
      assertThat(parts(journal)).isEqualTo(19);

      rec.partDone(20, "\"etag20\"", 8 << 20);
      journal.forget("f1"); // given up (aborted) meanwhile: nothing is written for it
      rec.flushQuietly();
      assertThat(journal.find("f1")).isEmpty();
    }
  }

  private static int parts(UploadJournal journal) {
    return journal.find("f1").orElseThrow().parts().size();
  }
}
