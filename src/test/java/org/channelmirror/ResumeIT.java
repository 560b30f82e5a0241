package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.storage.CompletedPartRef;
import org.channelmirror.storage.PendingUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer engine in a real process: resume after kill -9, and a small heap. */
class ResumeIT {
  @TempDir
  Path dir;

  @Test
  void killedMidTransferResumesTheSameUploadAndSendsOnlyTheMissingParts() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 4\n")) {
      FileRef f = TransferIT.publish(h, 201, 120_000_000L);
      int parts = (int) ((f.size() + TransferIT.PART - 1) / TransferIT.PART);
      // 4 connections of 8 MB/s: ~4 s for the file, so the kill lands mid-transfer
      h.api.faults().throttleDownloads(8L << 20);
      // 10 parts take over a second: the part journal has written a batch, with a hash checkpoint
      List<CompletedPartRef> before = killWhenPartsAreStored(h, dir.resolve("first.log"), 10);
      PendingUpload upload = h.store.listMultipartUploads("media/").get(0);
      assertThat(before.size()).isBetween(10, parts - 1);
      // S3 part ETags are MD5s: the resumed parts' bytes are checked against them, not just their sizes
      assertThat(before).allMatch(p -> p.etag().replace("\"", "").matches("[0-9a-f]{32}"));

      h.api.faults().clear();
      int requestsBefore = TransferIT.fileRequests(h).size();
      String out = ChildProcess.succeed(dir.resolve("second.log"), h.config, "sync");
      assertThat(out).contains("resuming upload of " + upload.key() + " with " + before.size());
      assertThat(TransferIT.PartCounts.in(out))
          .isEqualTo(new TransferIT.PartCounts(parts, parts - before.size(), before.size()));
      // the hash was saved with the recorded parts: only the parts after it, those the server
      // lacks, and the last stored one before it (a check that the file did not change) are
      // downloaded again
      java.util.regex.Matcher saved = java.util.regex.Pattern.compile("hash saved after part (\\d+)").matcher(out);
      assertThat(saved.find()).as("resume line in:%n%s", out).isTrue();
      int hashed = Integer.parseInt(saved.group(1));
      assertThat(hashed).isPositive();
      java.util.Set<Integer> stored = before.stream().map(CompletedPartRef::partNumber)
          .collect(java.util.stream.Collectors.toSet());
      java.util.Set<String> expected = new java.util.TreeSet<>();
      for (int n = 1; n <= parts; n++) {
        int lastStoredBeforeHash = stored.stream().filter(p -> p <= hashed).max(Integer::compare).orElse(0);
        if (n > hashed || !stored.contains(n) || n == lastStoredBeforeHash) {
          expected.add("bytes=" + (n - 1) * TransferIT.PART + "-" + (Math.min(n * TransferIT.PART, f.size()) - 1));
        }
      }
      List<String> fetched = TransferIT.fileRequests(h).subList(requestsBefore, TransferIT.fileRequests(h).size())
          .stream().map(r -> r.params().path("range").asText("none")).toList();
      assertThat(new java.util.TreeSet<>(fetched)).isEqualTo(expected);
      assertThat(fetched).hasSameSizeAs(expected).hasSizeLessThan(parts);
      TransferIT.assertStored(h, f);
      assertThat(h.objects("media/").get(0).key()).isEqualTo(upload.key());
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      // the killed run is over: status shows nothing moving and no backup running
      com.fasterxml.jackson.databind.JsonNode status = Harness.JSON.readTree(h.cli("status", "--json").out());
      assertThat(status.path("transfers")).as(status.toString()).isEmpty();
      assertThat(status.path("last_runs").path("backup").path("status").asText()).isEqualTo("OK");
      assertThat(out).contains("recorded as interrupted");
    }
  }

  @Test
  void aSyncStartedWhileAnotherProcessBacksUpWaitsForItInsteadOfRacingIt() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 2\n")) {
      FileRef f = TransferIT.publish(h, 205, 40_000_000L);
      // 2 connections of 1 MB/s: about 20 s for the file, time for status JVMs on a busy machine
      h.api.faults().throttleDownloads(1L << 20);
      try (ChildProcess service = ChildProcess.start(dir.resolve("first.log"), List.of(), "--config",
          h.config.toString(), "sync")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !h.store.listMultipartUploads("media/").isEmpty());
        java.util.concurrent.CompletableFuture<Harness.Run> second =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> h.cli("sync"));
        Thread.sleep(3_000);
        assertThat(second).as("waits while the other process's run holds the backup lease").isNotDone();
        h.api.faults().clear();
        assertThat(service.waitFor(120)).isZero();
        Harness.Run run = second.get(120, java.util.concurrent.TimeUnit.SECONDS);
        Harness.assertExit(run, 0);
        assertThat(run.out() + run.err()).contains("waiting for it to finish: a backup run of process "
            + service.pid()).contains("stored 0 media file(s)").contains("everything is stored");
        assertThat(service.output()).contains("stored as");
      }
      TransferIT.assertStored(h, f);
    }
  }

  @Test
  void anUploadThatCanNoLongerBeResumedIsAbortedNotLeftBehind() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 4\n")) {
      FileRef f = TransferIT.publish(h, 204, 80_000_000L);
      h.api.faults().throttleDownloads(8L << 20);
      ChildProcess first = ChildProcess.start(dir.resolve("first.log"), List.of(), "--config",
          h.config.toString(), "sync");
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
          List<PendingUpload> ups = h.store.listMultipartUploads("media/");
          return ups.size() == 1 && !h.store.listParts(ups.get(0).key(), ups.get(0).uploadId()).isEmpty();
        });
        first.kill();
      } finally {
        first.close();
      }
      assertThat(h.store.listMultipartUploads("media/")).hasSize(1);

      // Telegram no longer accepts the file_id: the recorded upload can never be completed
      h.api.faults().clear();
      h.api.faults().rejectFile(f.fileUniqueId());
      ChildProcess second = ChildProcess.start(dir.resolve("second.log"), List.of(), "--config",
          h.config.toString(), "sync");
      try {
        assertThat(second.waitFor(120)).isNotZero();
        assertThat(second.output()).contains("aborting multipart upload")
            .contains("wrong file_id or the file is temporarily unavailable");
      } finally {
        second.close();
      }
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      assertThat(h.objects("media/")).isEmpty();
      String status = runStatus(h, "status.log", false);
      assertThat(status).contains("failed").contains("wrong file_id");
    }
  }

  @Test
  void statusInAnotherProcessShowsTheRunningTransferWithBytesAndRate() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 2\n")) {
      FileRef f = TransferIT.publish(h, 203, 40_000_000L);
      // 2 connections of 1 MB/s: about 20 s for the file, time for status JVMs on a busy machine
      h.api.faults().throttleDownloads(1L << 20);
      ChildProcess sync = ChildProcess.start(dir.resolve("sync.log"), List.of(), "--config", h.config.toString(), "sync");
      try {
        // status opened alongside sync's first start would race it for the new catalog (both
        // creating the schema, H2 handing the file from one process to the other); here status
        // reads a catalog the transfer already uses, as it does beside a running service
        await().atMost(Duration.ofSeconds(60)).until(() -> !h.store.listMultipartUploads("media/").isEmpty());
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
          JsonNode st = status(h, "status.log");
          for (JsonNode t : st.path("transfers")) {
            if (t.path("file_unique_id").asText().equals(f.fileUniqueId()) && t.path("bytes_done").asLong() > 0) {
              seen[0] = st;
              return true;
            }
          }
          return false;
        });
        JsonNode t = seen[0].path("transfers").get(0);
        assertThat(t.path("total_bytes").asLong()).isEqualTo(f.size());
        assertThat(t.path("bytes_done").asLong()).isBetween(1L, f.size());
        assertThat(t.path("bytes_per_second").asLong()).isPositive();
        assertThat(t.path("kind").asText()).isEqualTo("document");
        assertThat(seen[0].path("last_runs").path("backup").path("status").asText()).isEqualTo("RUNNING");
        String text = runStatus(h, "status-text.log", false);
        assertThat(text).contains("transferring now:").contains(f.fileUniqueId()).contains("/s");

        h.api.faults().clear();
        await().atMost(Duration.ofSeconds(120)).until(() -> !sync.alive());
        assertThat(sync.output()).contains("stored as");
      } finally {
        sync.close();
      }
      JsonNode after = status(h, "status-after.log");
      assertThat(after.path("transfers")).isEmpty();
      assertThat(after.path("last_runs").path("backup").path("status").asText()).isEqualTo("OK");
      TransferIT.assertStored(h, f);
    }
  }

  /**
   * Starts {@code sync} in a real process and kills it (SIGKILL) once the file's multipart upload
   * holds at least {@code minParts} parts; returns the parts the server holds then.
   */
  static List<CompletedPartRef> killWhenPartsAreStored(Harness h, Path log, int minParts) throws Exception {
    try (ChildProcess first = ChildProcess.start(log, List.of(), "--config", h.config.toString(), "sync")) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        List<PendingUpload> ups = h.store.listMultipartUploads("media/");
        return ups.size() == 1 && h.store.listParts(ups.get(0).key(), ups.get(0).uploadId()).size() >= minParts;
      });
      first.kill();
      assertThat(first.output()).doesNotContain("stored as");
      PendingUpload upload = h.store.listMultipartUploads("media/").get(0);
      return h.store.listParts(upload.key(), upload.uploadId());
    }
  }

  private JsonNode status(Harness h, String log) throws Exception {
    return new ObjectMapper().readTree(runStatus(h, log, true));
  }

  private String runStatus(Harness h, String log, boolean json) throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--config", h.config.toString(), "status"));
    if (json) {
      args.add("--json");
    }
    ChildProcess p = ChildProcess.start(dir.resolve(log), List.of(), args.toArray(String[]::new));
    try {
      assertThat(p.waitFor(60)).as("status exit code, output:\n%s", p.output()).isZero();
      String out = p.output();
      return json ? out.substring(out.indexOf("{\n")) : out;
    } finally {
      p.close();
    }
  }

  @Test
  void aLargeFileTransfersWithinASmallHeap() throws Exception {
    try (Harness h = TransferIT.harness(dir, "")) {
      FileRef f = TransferIT.publish(h, 202, 400_000_000L);
      ChildProcess p = ChildProcess.start(dir.resolve("sync.log"), List.of("-Xmx32m"), "--config",
          h.config.toString(), "sync");
      try {
        await().atMost(Duration.ofSeconds(180)).until(() -> !p.alive());
        // 32 MB of heap leaves room for one 5 MiB part buffer: parts move one at a time, and do move
        assertThat(p.output()).contains("at most 1 part buffer(s)").contains("stored as")
            .doesNotContain("OutOfMemoryError");
      } finally {
        p.close();
      }
      TransferIT.assertStored(h, f);
    }
  }
}
