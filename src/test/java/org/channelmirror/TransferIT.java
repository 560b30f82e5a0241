package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.RecordedRequest;
import org.channelmirror.storage.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer engine end to end: `sync` against the fake Bot API (files served with Range) and
 * a real S3 server, with the fake's download faults. Parts are 5 MiB (the harness config).
 */
class TransferIT {
  static final long PART = 5L * 1024 * 1024;

  @TempDir
  Path dir;

  /** A harness whose fake hands out big files over HTTP (the cloud's 20 MB getFile limit lifted). */
  static Harness harness(Path dir, String extraYaml) throws Exception {
    Harness h = new Harness(dir, org.channelmirror.fakebot.FakeBotApi.Options.defaults(),
        List.of(EndToEndIT.CHANNEL), extraYaml);
    h.api.cloudDownloadLimit(Long.MAX_VALUE);
    return h;
  }

  static FileRef publish(Harness h, long seed, long size) {
    PublishedPost p = h.api.channel(EndToEndIT.CHANNEL, "c", null).post()
        .document(FileContent.random(seed, size), "big.bin", "application/octet-stream").publish();
    return EndToEndIT.fileOf(p);
  }

  /** The stored object of {@code f}, checked against the fake's content and the manifest. */
  static ObjectInfo assertStored(Harness h, FileRef f) throws Exception {
    String sha = f.content().sha256Hex();
    List<ObjectInfo> media = h.objects("media/");
    assertThat(media).hasSize(1);
    ObjectInfo o = media.get(0);
    assertThat(o.size()).isEqualTo(f.size());
    assertThat(h.sha256(o.key())).isEqualTo(sha);
    JsonNode item = h.manifests(EndToEndIT.CHANNEL).get(0).path("media").get(0);
    assertThat(item.path("sha256").asText()).isEqualTo(sha);
    assertThat(item.path("size").asLong()).isEqualTo(f.size());
    assertThat(h.store.listMultipartUploads("")).isEmpty();
    return o;
  }

  /** The "stored as N parts (U uploaded, R resumed)" line a multipart transfer logs. */
  record PartCounts(int parts, int uploaded, int resumed) {
    static PartCounts in(String output) {
      Matcher m = Pattern.compile("stored as (\\d+) parts \\((\\d+) uploaded, (\\d+) resumed\\)").matcher(output);
      assertThat(m.find()).as("summary line in:%n%s", output).isTrue();
      return new PartCounts(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    }
  }

  static List<RecordedRequest> fileRequests(Harness h) {
    return h.api.requests().stream().filter(r -> r.method().equals("file")).toList();
  }

  static Map<String, Long> rangeCounts(Harness h) {
    return fileRequests(h).stream().collect(Collectors.groupingBy(r -> r.params().path("range").asText("none"),
        Collectors.counting()));
  }

  @Test
  void aFloodWaitOnDownloadsIsWaitedOutBeforeThePartIsAskedAgain() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  window: 2\n")) {
      FileRef f = publish(h, 108, 12_000_000L);
      h.api.faults().floodWait("file", 2, 2);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      List<RecordedRequest> files = fileRequests(h);
      List<RecordedRequest> flooded = files.stream().filter(r -> r.httpStatus() == 429).toList();
      assertThat(flooded).hasSize(2);
      for (RecordedRequest r : flooded) {
        assertThat(files).filteredOn(o -> o.at().isAfter(r.at()) && o.at().isBefore(r.at().plusSeconds(2)))
            .as("file requests inside the 2 s window after the 429 at %s", r.at()).isEmpty();
      }
    }
  }

  /**
   * Flood control on the file server holds every download, not just the one that met it: other
   * files' downloads (and other parts) used to keep going inside the window.
   */
  @Test
  void aFloodWaitOnOneDownloadHoldsEveryDownloadForItsWindow() throws Exception {
    try (Harness h = harness(dir, "")) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().document(FileContent.random(120, 12_000_000L), "big.bin", "application/octet-stream").publish();
      for (int i = 0; i < 6; i++) {
        ch.post().document(FileContent.random(121 + i, 200_000L), "s" + i + ".bin", "application/octet-stream")
            .publish();
      }
      h.api.faults().floodWait("file", 2, 1);
      assertExit(h.cli("sync"), 0);
      assertThat(h.objects("media/")).hasSize(7);
      List<RecordedRequest> files = fileRequests(h);
      RecordedRequest flooded = files.stream().filter(r -> r.httpStatus() == 429).findFirst().orElseThrow();
      assertThat(files).filteredOn(o -> o.at().isAfter(flooded.at()) && o.at().isBefore(flooded.at().plusSeconds(2)))
          .as("file requests inside the 2 s window after the 429 at %s", flooded.at()).isEmpty();
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aServiceUnavailableAskingForAnHourIsRetriedOnTheEnginesOwnSchedule() throws Exception {
    // the HTTP client's default strategy slept out any Retry-After of a 503 (or 429) before the
    // engine saw the answer, so a proxy in maintenance could hold a part thread for an hour
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 111, 3_000_000L);
      h.api.faults().unavailable("file", 3600, 1);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      assertThat(fileRequests(h)).extracting(RecordedRequest::httpStatus).containsExactly(503, 200);
    }
  }

  @Test
  void twoHundredMegabytesInRangedPartsArriveByteIdentical() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 101, 200_000_000L);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      long parts = (f.size() + PART - 1) / PART;
      Map<String, Long> ranges = rangeCounts(h);
      // one ranged GET per part, each asked once, together covering the file
      assertThat(ranges).hasSize((int) parts).doesNotContainKey("none");
      assertThat(ranges.values()).allMatch(n -> n == 1);
      assertThat(ranges).containsKey("bytes=0-" + (PART - 1))
          .containsKey("bytes=" + (parts - 1) * PART + "-" + (f.size() - 1));
      assertThat(fileRequests(h)).allMatch(r -> r.httpStatus() == 206);
    }
  }

  @Test
  void filesAtThePartBoundariesAndAnEmptyFileArriveByteIdentical() throws Exception {
    try (Harness h = harness(dir, "")) {
      long[] sizes = {0, 1, PART - 1, PART, PART + 1, 2 * PART, 2 * PART + 1};
      Map<Long, FileRef> bySize = new java.util.HashMap<>();
      for (int i = 0; i < sizes.length; i++) {
        bySize.put(sizes[i], publish(h, 300 + i, sizes[i]));
      }
      assertExit(h.cli("sync"), 0);
      List<ObjectInfo> media = h.objects("media/");
      assertThat(media).hasSize(sizes.length);
      for (ObjectInfo o : media) {
        FileRef f = bySize.get(o.size());
        assertThat(f).as("object %s of %d bytes", o.key(), o.size()).isNotNull();
        assertThat(h.sha256(o.key())).isEqualTo(f.content().sha256Hex());
      }
      for (JsonNode manifest : h.manifests(EndToEndIT.CHANNEL)) {
        JsonNode item = manifest.path("media").get(0);
        assertThat(item.path("sha256").asText()).isEqualTo(bySize.get(item.path("size").asLong()).content().sha256Hex());
      }
      assertThat(h.store.listMultipartUploads("")).isEmpty();
    }
  }

  @Test
  void serverIgnoringRangeIsReadAsOneStream() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 102, 200_000_000L);
      h.api.faults().ignoreRange(true);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      // the first ranged GET got the whole file (200): no further request
      assertThat(fileRequests(h)).hasSize(1);
      assertThat(fileRequests(h).get(0).httpStatus()).isEqualTo(200);
    }
  }

  @Test
  void aServerThatStopsHonouringRangeAfterTheFirstPartIsReadAsOneStreamWithinTheAttempt() throws Exception {
    // one attempt only: the switch to one stream must not cost an attempt (it used to fail here)
    try (Harness h = harness(dir, "transfer:\n  maxAttempts: 1\n")) {
      FileRef f = publish(h, 109, 41_000_000L);
      h.api.faults().ignoreRangeAfter(1); // the probe gets its 206, every later ranged GET a 200
      Harness.Run run = h.cli("sync");
      assertExit(run, 0);
      assertStored(h, f);
      Map<String, Long> ranges = rangeCounts(h);
      // a 200 to a ranged GET is not asked again part by part (it would get the same answer)
      assertThat(ranges.entrySet()).filteredOn(e -> !e.getKey().equals("none")).allMatch(e -> e.getValue() == 1);
      // then the whole file, once, without a Range
      assertThat(ranges).containsEntry("none", 1L);
      assertThat(run.out() + run.err()).contains("reading the file again as one stream");
    }
  }

  @Test
  void aFileOfUnknownSizeWhoseLinkAnswers403IsAskedForAgainWithGetFile() throws Exception {
    // found by the transfer sweep: ranged downloads took 401/403/410 for an expired link, the
    // stream of a file without file_size took them as a refusal for good and gave the file up
    try (Harness h = harness(dir, "")) {
      h.api.faults().omitFileSizes(true);
      FileRef f = publish(h, 110, 3_000_000L);
      h.api.faults().serverError("file", 403, 1);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      assertThat(fileRequests(h)).extracting(RecordedRequest::httpStatus).containsExactly(403, 200);
    }
  }

  @Test
  void aMultipartFileWhoseDownloadFailsBeforeAnyPartLeavesNoIncompleteUpload() throws Exception {
    // found by the transfer sweep: the upload is created before the first ranged request, and a
    // file that failed there kept an empty incomplete upload until the cleanup job a day later
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 113, 2 * PART + 5);
      h.api.faults().serverError("file", 500, 1000);
      Harness.Run run = h.cli("sync");
      assertThat(run.code()).as(run.out() + run.err()).isNotZero();
      assertThat(fileRequests(h)).isNotEmpty().allMatch(r -> r.httpStatus() == 500);
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      h.api.faults().clear();
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
    }
  }

  @Test
  void rangesWithoutContentRangeAreNotTrustedAndTheFileIsReadAsOneStream() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 104, 41_000_000L);
      h.api.faults().omitContentRange(true);
      Harness.Run run = h.cli("sync");
      assertExit(run, 0);
      assertStored(h, f);
      // the ranged probe (206, unverifiable), then one GET of the whole file
      List<RecordedRequest> gets = fileRequests(h);
      assertThat(gets).extracting(RecordedRequest::httpStatus).containsExactly(206, 200);
      assertThat(gets.get(1).params().path("range").isNull()).isTrue();
      assertThat(run.out() + run.err()).contains("reading the file as one stream instead of parts");
    }
  }

  @Test
  void bandwidthLimitsHoldTheRateAndEveryByteArrives() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  uploadLimit: 6MB\n  downloadLimit: 6MB/s\n")) {
      FileRef f = publish(h, 105, 12_000_000L);
      long start = System.nanoTime();
      Harness.Run run = h.cli("sync");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertExit(run, 0);
      assertStored(h, f);
      assertThat(run.out() + run.err()).contains("bandwidth limit: uploads 6.00 MB/s, downloads 6.00 MB/s");
      // a lower bound only, which a loaded machine cannot break: 12 MB at 6 MB/s, less the
      // quarter-second burst each direction starts with (unlimited, the fake and S3Proxy on
      // loopback move them in a fraction of a second)
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1_700));
    }
  }

  @Test
  void partsCompletingOutOfOrderStillGiveTheRightObjectAndHash() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  window: 6\n")) {
      FileRef f = publish(h, 103, 41_000_000L);
      // every even part waits: odd parts finish (and upload) first
      h.api.faults().delayRanges(start -> (start / PART) % 2 == 0, Duration.ofMillis(400));
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
    }
  }

  @Test
  void aPartThatBreaksOffIsRetriedAlone() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 104, 41_000_000L);
      // the next two downloads send half their body, then close the connection
      h.api.faults().truncateDownloads(2);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      long parts = (f.size() + PART - 1) / PART;
      Map<String, Long> ranges = rangeCounts(h);
      assertThat(ranges).hasSize((int) parts);
      assertThat(ranges.values().stream().filter(n -> n == 2)).hasSize(2);
      assertThat(fileRequests(h)).hasSize((int) parts + 2);
    }
  }

  /**
   * Found by the transfer sweep: a download cut off mid-body was recorded with the HTTP client's
   * bare "Premature end of Content-Length delimited message body", which does not say that the
   * Bot API's file download (not storage) broke off, nor where.
   */
  @Test
  void aDownloadThatKeepsBreakingOffIsRecordedAsSuch() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  maxAttempts: 1\n")) {
      FileRef f = publish(h, 106, 1_000_000L);
      h.api.faults().truncateDownloads(4);
      Harness.Run run = h.cli("sync");
      assertExit(run, 1);
      assertThat(run.out()).contains("download of ").contains("/file/bot<redacted>/")
          .contains("broke off after 500000 of 1000000 bytes");
      assertThat(h.objects("media/")).isEmpty();
      assertThat(f.size()).isEqualTo(1_000_000L);
    }
  }

  /** The same for a server that ignores Range, read as one stream. */
  @Test
  void aStreamThatKeepsBreakingOffIsRecordedAsSuch() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  maxAttempts: 1\n")) {
      publish(h, 107, 12_000_000L);
      h.api.faults().ignoreRange(true);
      h.api.faults().truncateDownloads(4);
      Harness.Run run = h.cli("sync");
      assertExit(run, 1);
      assertThat(run.out()).contains("download broke off in part 2 after 6000000 of 12000000 bytes");
      assertThat(h.objects("media/")).isEmpty();
    }
  }

  @Test
  void aConnectionDroppedMidTransferCostsOneRetry() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 105, 30_000_000L);
      h.api.faults().dropConnection("file", 1);
      assertExit(h.cli("sync"), 0);
      assertStored(h, f);
      long parts = (f.size() + PART - 1) / PART;
      assertThat(fileRequests(h)).hasSize((int) parts + 1);
    }
  }

  @Test
  void anExpiredFileLinkIsRefreshedWithGetFileMidTransfer() throws Exception {
    try (Harness h = harness(dir, "transfer:\n  window: 2\n")) {
      FileRef f = publish(h, 106, 41_000_000L);
      h.api.faults().throttleDownloads(20L << 20);
      CompletableFuture<Harness.Run> sync = CompletableFuture.supplyAsync(() -> h.cli("sync"));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fileRequests(h).size() >= 3);
      h.api.faults().expireFileLinks();
      Harness.Run run = sync.get();
      assertExit(run, 0);
      assertStored(h, f);
      assertThat(fileRequests(h)).anyMatch(r -> r.httpStatus() == 404);
      assertThat(h.calls("getFile")).isGreaterThanOrEqualTo(2);
      // the file was not started over: each part's bytes were served (206) once
      Map<String, Long> served = fileRequests(h).stream().filter(r -> r.httpStatus() == 206)
          .collect(Collectors.groupingBy(r -> r.params().path("range").asText(), Collectors.counting()));
      assertThat(served.values()).allMatch(n -> n == 1);
    }
  }

  @Test
  void statusShowsBytesArrivingOnASlowLinkBeforeAnyPartIsStored() throws Exception {
    // found by the README sweep: progress counted stored parts only, so at 512 KB/s per
    // connection status said "0 B ... at 0 B/s" for the 10 s each 5 MiB part took
    try (Harness h = harness(dir, "")) {
      h.api.faults().throttleDownloads(512L << 10);
      FileRef f = publish(h, 112, 2 * PART);
      try (ChildProcess sync = ChildProcess.start(dir.resolve("sync.log"), List.of(), "--config", h.config.toString(),
          "sync")) {
        // a loaded 2-core CI machine took 10 s just to start the child JVM; once bytes flow, the
        // first MiB arrives after 2 s and is published within 2 s more, well before a part is stored
        JsonNode moving = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .failFast("sync ended early", () -> !sync.alive())
            .until(() -> Harness.JSON.readTree(h.cli("status", "--json").out()).path("transfers").path(0),
                t -> t.path("bytes_done").asLong() > 0);
        assertThat(moving.path("file_unique_id").asText()).isEqualTo(f.fileUniqueId());
        assertThat(moving.path("bytes_done").asLong()).isLessThan(PART); // no part of 5 MiB is stored yet
        assertThat(moving.path("bytes_per_second").asLong()).isPositive();
        assertThat(h.store.listMultipartUploads("")).singleElement()
            .satisfies(u -> assertThat(h.store.listParts(u.key(), u.uploadId())).isEmpty());
        assertThat(sync.waitFor(60)).as(sync.output()).isZero();
      }
      assertStored(h, f);
    }
  }

  @Test
  void anUploadLeftUnrecordedByAKilledRunIsAbortedOnceTheFileIsStored() throws Exception {
    try (Harness h = harness(dir, "")) {
      FileRef f = publish(h, 107, 12_000_000L);
      // what a run killed between CreateMultipartUpload and recording it leaves: an upload of the
      // file's key that the catalog does not know (the cleanup job would wait an hour for it)
      String key = "media/" + f.fileUniqueId() + ".bin";
      String stray = h.store.createMultipartUpload(key, "application/octet-stream", Map.of());
      Harness.Run run = h.cli("sync");
      assertExit(run, 0);
      assertThat(run.out() + run.err()).contains("aborting stray multipart upload " + stray);
      assertThat(assertStored(h, f).key()).isEqualTo(key); // includes: no multipart upload is left
    }
  }
}
