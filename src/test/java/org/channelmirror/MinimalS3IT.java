package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.storage.MinimalBlobStore;
import org.channelmirror.storage.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An S3-compatible server with only the core of multipart uploads (create, upload part,
 * complete; {@link MinimalBlobStore}): no ListParts, ListMultipartUploads, AbortMultipartUpload or
 * CopyObject, as in several small S3 implementations (they answer 501 or 405). Backups, resume and
 * cleanup still work.
 */
class MinimalS3IT {
  @TempDir
  Path dir;

  /** The S3 server's store of the harness made last. */
  private MinimalBlobStore s3;

  private Harness harness(String extraYaml) throws Exception {
    Harness h = new Harness(dir, FakeBotApi.Options.defaults(), List.of(EndToEndIT.CHANNEL), extraYaml,
        store -> s3 = new MinimalBlobStore(store));
    h.api.cloudDownloadLimit(Long.MAX_VALUE);
    return h;
  }

  /** Runs {@code sync} in a real process and kills it once {@code minParts} parts went up and were recorded. */
  private void killWhenPartsAreRecorded(Harness h, int minParts) throws Exception {
    try (ChildProcess first = ChildProcess.start(dir.resolve("first.log"), List.of(), "--config",
        h.config.toString(), "sync")) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> s3.partUploads.get() >= minParts);
      Thread.sleep(1_200); // part records are committed in batches, at least once a second
      first.kill();
      assertThat(first.output()).doesNotContain("stored as");
    }
  }

  @Test
  void aKilledTransferResumesFromThePartsRecordedInTheCatalogAndCleanupStillRuns() throws Exception {
    try (Harness h = harness("transfer:\n  window: 4\n")) {
      FileRef f = TransferIT.publish(h, 301, 150_000_000L);
      int parts = (int) ((f.size() + TransferIT.PART - 1) / TransferIT.PART);
      h.api.faults().throttleDownloads(8L << 20); // 4 connections of 8 MB/s: about 5 s for the file
      killWhenPartsAreRecorded(h, 8);
      Thread.sleep(200); // a request the killed process had sent reaches the store by now
      int firstRun = s3.partUploads.get();
      assertThat(firstRun).isBetween(8, parts - 1);

      h.api.faults().clear();
      String out = ChildProcess.succeed(dir.resolve("second.log"), h.config, "sync");
      assertThat(out).contains("part(s) recorded in the catalog").contains("resuming upload of");
      TransferIT.PartCounts counts = TransferIT.PartCounts.in(out);
      int uploaded = counts.uploaded();
      assertThat(counts.parts()).isEqualTo(parts);
      assertThat(counts.uploaded() + counts.resumed()).isEqualTo(parts);
      assertThat(counts.resumed()).isPositive();
      // the server saw exactly the missing parts in the second run
      assertThat(s3.partUploads.get() - firstRun).isEqualTo(uploaded);
      // stored without a failure: the hash could not go into the metadata (no CopyObject), so it is
      // in the manifest, and the log says what to set
      assertThat(out).contains("the sha256 metadata could not be added").contains("sha256Metadata: singlePart")
          .doesNotContain("failed:");

      Harness.Run cleanup = h.cli("cleanup");
      assertThat(cleanup.code()).isZero();
      assertThat(cleanup.out()).contains("the server does not list them");

      s3.limited = false; // let the checks below list and read what the server holds
      ObjectInfo o = TransferIT.assertStored(h, f);
      assertThat(o.userMetadata()).doesNotContainKey("sha256");
    }
  }

  @Test
  void aTransferWhoseUploadWasDroppedByTheServerStartsOverInsteadOfFailing() throws Exception {
    try (Harness h = harness("transfer:\n  window: 4\n  sha256Metadata: singlePart\n")) {
      FileRef f = TransferIT.publish(h, 302, 60_000_000L);
      h.api.faults().throttleDownloads(4L << 20);
      killWhenPartsAreRecorded(h, 3);
      // the server forgets the upload (expiry, a restart of a server that keeps uploads in memory)
      s3.limited = false;
      for (var u : h.store.listMultipartUploads("media/")) {
        h.store.abortMultipartUpload(u.key(), u.uploadId());
      }
      s3.limited = true;

      h.api.faults().clear();
      assertThat(ChildProcess.succeed(dir.resolve("second.log"), h.config, "sync"))
          .contains("no longer exists").contains("12 uploaded, 0 resumed");
      s3.limited = false;
      TransferIT.assertStored(h, f);
    }
  }

  /**
   * Found by the reliability sweep: after Adobe S3Mock restarted mid-upload it answered 500 to
   * ListParts for the upload it had lost, and the file failed the same way every run, for ever.
   */
  @Test
  void anUploadTheServerCannotListWhileItAnswersOtherwiseStartsOver() throws Exception {
    try (Harness h = harness("transfer:\n  window: 4\n  sha256Metadata: singlePart\n")) {
      s3.limited = false; // a full server, except for the broken upload below
      FileRef f = TransferIT.publish(h, 303, 60_000_000L);
      h.api.faults().throttleDownloads(4L << 20);
      killWhenPartsAreRecorded(h, 3);
      s3.listPartsBroken = true;

      h.api.faults().clear();
      String out = ChildProcess.succeed(dir.resolve("second.log"), h.config, "sync");
      assertThat(out).contains("cannot list the upload's parts").contains("starting the file over")
          .contains("12 uploaded, 0 resumed");
      TransferIT.assertStored(h, f); // also: no upload left behind
    }
  }

  @Test
  void aFileStorageRefusesWaitsTheNormalBackoffNotTheHoursOfAFileTelegramRefuses() throws Exception {
    try (Harness h = harness("")) {
      s3.refuseMediaPuts = true;
      TransferIT.publish(h, 303, 300_000L);
      Harness.Run sync = h.cli("sync");
      String out = sync.out() + sync.err();
      assertThat(sync.code()).as(out).isEqualTo(1);
      assertThat(out).contains("failed: storage:").contains("501");
      // the first retry across runs comes after about a minute (capped exponential backoff with
      // jitter), not after the half hour at first that a file_id Telegram refuses waits
      Matcher m = Pattern.compile("\\(next attempt in (\\d+) s\\)").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isBetween(1, 300);
      // one attempt in this run: retrying a refusal at once would change nothing
      assertThat(out).doesNotContain("attempt 2 of");
    }
  }
}
