package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.RecordedRequest;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.PendingUpload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flood control, storage outages, shutdown mid-transfer, and secrets under debug logging. */
class FaultsIT {
  @TempDir
  Path dir;

  @Test
  void floodControlIsObeyedToTheSecond() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      for (int i = 0; i < 4; i++) {
        ch.post().document(FileContent.random(100 + i, 5000), "f" + i + ".bin", "application/octet-stream").publish();
      }
      h.api.faults().floodWait("getUpdates", 2, 1);
      h.api.faults().floodWait("getFile", 3, 2);
      assertExit(h.cli("sync"), 0);
      assertThat(h.objects("media/")).hasSize(4);
      List<RecordedRequest> log = h.api.requests();
      int floods = 0;
      for (RecordedRequest r : log) {
        if (r.httpStatus() != 429) {
          continue;
        }
        floods++;
        int retryAfter = r.method().equals("getupdates") ? 2 : 3;
        Instant until = r.at().plusSeconds(retryAfter);
        assertThat(log).as("no %s inside the %d s window after %s", r.method(), retryAfter, r.at())
            .noneMatch(o -> o.method().equals(r.method()) && o.at().isAfter(r.at()) && o.at().isBefore(until));
      }
      assertThat(floods).isEqualTo(3);
    }
  }

  /**
   * A 409 on getUpdates that passes (Telegram ended this poll for another one: the service's long
   * poll beside this `sync`, say) is asked again after a short wait, as the service does, instead of
   * ending `sync` with "could not run" before it backed up anything.
   */
  @Test
  void aGetUpdatesConflictThatPassesCostsSyncNothing() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.api.channel(EndToEndIT.CHANNEL, "c", null).post()
          .document(FileContent.random(77, 3000), "a.bin", "application/octet-stream").publish();
      h.api.faults().serverError("getUpdates", 409, 1);
      Harness.Run sync = h.cli("sync");
      assertExit(sync, 0);
      assertThat(h.objects("media/")).hasSize(1);
      assertThat(h.api.requests()).filteredOn(r -> r.method().equals("getupdates") && r.httpStatus() == 409).hasSize(1);
    }
  }

  /**
   * The backoff across runs paces the service's scheduled runs; a `sync` the owner starts tries
   * failed items again at once, so fixing the cause and running it again is enough.
   */
  @Test
  void failedItemsAreTriedAgainByTheNextSyncOnceTheCauseIsGone() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      PublishedPost refused = ch.post().document(FileContent.random(201, 7000), "refused.bin",
          "application/octet-stream").publish();
      ch.post().document(FileContent.random(202, 9000), "broken.bin", "application/octet-stream").publish();
      h.api.faults().rejectFile(EndToEndIT.fileOf(refused).fileUniqueId()); // a refusal: 15-30 min
      h.api.faults().serverError("file", 500, 1000); // every download: 30-60 s
      Harness.Run first = h.cli("sync");
      assertExit(first, 1);
      Matcher waits = Pattern.compile("next attempt in (\\d+) s")
          .matcher(first.out() + first.err());
      List<Integer> seconds = new ArrayList<>();
      while (waits.find()) {
        seconds.add(Integer.parseInt(waits.group(1)));
      }
      assertThat(seconds).hasSize(2).anyMatch(w -> w >= 30 && w <= 60).anyMatch(w -> w >= 900 && w <= 1800);
      assertThat(h.objects("media/")).isEmpty();

      h.api.faults().clear();
      assertExit(h.cli("sync"), 0);
      assertThat(h.objects("media/")).hasSize(2);
    }
  }

  @Test
  void intakeKeepsJournalingThroughAStorageOutageAndBackupsResumeByThemselves() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      String endpoint = h.s3.endpoint();
      int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
      String yaml = Files.readString(h.config).replace("0 0 0 1 1 ? 2099", "*/2 * * * * ?");
      Files.writeString(h.config, yaml);
      h.s3.close(); // S3 is down before the daemon even starts
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        for (int i = 0; i < 3; i++) {
          ch.post().document(FileContent.random(200 + i, 20_000), "o" + i + ".bin", "application/octet-stream").publish();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> h.api.pendingUpdates() == 0 && h.calls("getUpdates") > 1);
        Thread.sleep(5000); // several scheduled runs fail against the dead storage
        // a run may be in progress at the moment we look: wait for one that has finished
        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
          status[0] = Harness.JSON.readTree(h.cli("status", "--json").out());
          return status[0].path("last_runs").path("backup").path("finished_at").isTextual();
        });
        assertThat(status[0].path("channels").get(0).path("posts").asInt()).isEqualTo(3);
        assertThat(status[0].path("channels").get(0).path("media").path("pending").asInt()).isEqualTo(3);
        assertThat(status[0].path("last_runs").path("backup").path("message").asText()).contains("storage unavailable");
        try (EmbeddedS3 back = EmbeddedS3.start(dir.resolve("s3server"), port)) {
          assertThat(back.endpoint()).isEqualTo(endpoint);
          await().atMost(Duration.ofSeconds(60)).until(() -> h.objects("media/").size() == 3);
          assertThat(daemon.alive()).isTrue();
        }
      }
    }
  }

  @Test
  void sigtermMidTransferStopsWithin30sAndLeavesNothingHalfDone() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      String yaml = Files.readString(h.config).replace("0 0 0 1 1 ? 2099", "*/2 * * * * ?");
      Files.writeString(h.config, yaml);
      h.api.faults().throttleDownloads(2L * 1024 * 1024); // 19 MB at 2 MB/s: ~10 s per connection
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      PublishedPost big = ch.post().document(FileContent.random(300, 19L * 1024 * 1024), "big.bin", "application/octet-stream").publish();
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.downloads() > 0);
        Thread.sleep(1500);
        long t0 = System.nanoTime();
        int code = daemon.terminate(30);
        assertThat(code).as("stopped within 30 s; log:\n%s", daemon.output()).isNotEqualTo(-1);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        // the stop is graceful: the run's own bookkeeping still reaches the catalog (H2's own
        // shutdown hook used to close it under the stopping run)
        assertThat(daemon.output()).as("log:\n%s", daemon.output()).doesNotContain("already closed");
        assertThat(code).as("SIGTERM's exit status, which deploy/channel-mirror.service counts as success").isEqualTo(143);
      }
      // in-flight work is finished or left resumable: an upload still open is recorded in the
      // catalog (so the next run continues it), never orphaned
      List<PendingUpload> left = h.store.listMultipartUploads("");
      try (Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("data/catalog"), "", "", 1)) {
        Set<String> recorded = new HashSet<>();
        catalog.uploadJournal().all().forEach(u -> recorded.add(u.uploadId()));
        assertThat(left).allMatch(u -> recorded.contains(u.uploadId()));
        // a stopped service shows no backup as still running, and holds no lease
        assertThat(catalog.lastRuns()).filteredOn(r -> r.job().equals("backup")).first()
            .satisfies(r -> assertThat(r.status()).isEqualTo("CANCELLED"));
        assertThat(catalog.runInProgress("backup", java.time.Instant.now())).isFalse();
      }
      h.api.faults().throttleDownloads(0);
      assertExit(h.cli("sync"), 0);
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      String key = h.objects("media/").get(0).key();
      assertThat(h.sha256(key)).isEqualTo(EndToEndIT.fileOf(big).content().sha256Hex());
    }
  }

  /**
   * Parts still uploading when the stop comes (a slow uplink, or `transfer.uploadLimit`) are
   * interrupted too: the window's part threads used to be left to finish their parts, so a stop
   * under the upload limit always ended by the 20 s watchdog, with the run left RUNNING.
   */
  @Test
  void sigtermWhilePartsAreUploadingUnderTheUploadLimitIsAGracefulStop() throws Exception {
    try (Harness h = new Harness(dir, FakeBotApi.Options.defaults(), List.of(EndToEndIT.CHANNEL),
        "transfer:\n  uploadLimit: 256KB\n")) {
      String yaml = Files.readString(h.config).replace("0 0 0 1 1 ? 2099", "*/2 * * * * ?");
      Files.writeString(h.config, yaml);
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      PublishedPost big = ch.post().document(FileContent.random(302, 19L * 1024 * 1024), "big.bin",
          "application/octet-stream").publish();
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.downloads() > 0);
        Thread.sleep(3000); // 19 MB at 256 KB/s: parts upload for over a minute
        int code = daemon.terminate(30);
        assertThat(code).as("SIGTERM's exit status; log:\n%s", daemon.output()).isEqualTo(143);
        assertThat(daemon.output()).doesNotContain("still stopping after");
      }
      try (Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("data/catalog"), "", "", 1)) {
        assertThat(catalog.lastRuns()).filteredOn(r -> r.job().equals("backup")).first()
            .satisfies(r -> assertThat(r.status()).isEqualTo("CANCELLED"));
        Set<String> recorded = new HashSet<>();
        catalog.uploadJournal().all().forEach(u -> recorded.add(u.uploadId()));
        assertThat(h.store.listMultipartUploads("")).isNotEmpty().allMatch(u -> recorded.contains(u.uploadId()));
      }
      assertExit(h.cli("sync"), 0);
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      assertThat(h.sha256(h.objects("media/").get(0).key())).isEqualTo(EndToEndIT.fileOf(big).content().sha256Hex());
    }
  }

  @Test
  void sigtermStopsSyncMidTransferAndRecordsItsRunAsCancelled() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.api.faults().throttleDownloads(2L * 1024 * 1024); // 19 MB at 2 MB/s per connection
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      PublishedPost big = ch.post().document(FileContent.random(301, 19L * 1024 * 1024), "big.bin", "application/octet-stream").publish();
      try (ChildProcess sync = ChildProcess.start(dir.resolve("sync.log"), List.of(), "--config", h.config.toString(), "sync")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.downloads() > 0);
        Thread.sleep(1000);
        int code = sync.terminate(30);
        assertThat(code).as("SIGTERM's exit status; log:\n%s", sync.output()).isEqualTo(143);
        assertThat(sync.output()).contains("stopped: ").doesNotContain("already closed");
      }
      try (Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("data/catalog"), "", "", 1)) {
        // status shows how the pass ended, not a backup still RUNNING
        assertThat(catalog.lastRuns()).filteredOn(r -> r.job().equals("backup")).first()
            .satisfies(r -> assertThat(r.status()).isEqualTo("CANCELLED"));
        assertThat(catalog.runInProgress("backup", Instant.now())).isFalse();
        Set<String> recorded = new HashSet<>();
        catalog.uploadJournal().all().forEach(u -> recorded.add(u.uploadId()));
        assertThat(h.store.listMultipartUploads("")).allMatch(u -> recorded.contains(u.uploadId()));
      }
      h.api.faults().throttleDownloads(0);
      assertExit(h.cli("sync"), 0);
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      assertThat(h.sha256(h.objects("media/").get(0).key())).isEqualTo(EndToEndIT.fileOf(big).content().sha256Hex());
    }
  }

  @Test
  void aStopThatComesBeforeTheBackupRunKeepsItFromStarting() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().document(FileContent.random(302, 12L * 1024 * 1024), "late.bin", "application/octet-stream").publish();
      try (var app = org.channelmirror.app.Application.start(org.channelmirror.config.ConfigLoader.fromSystem().load(h.config))) {
        app.stop(); // SIGTERM while `sync` is still fetching updates, or just before a scheduled run fires
        var report = app.backupPass(org.channelmirror.transfer.TransferListener.NONE);
        // the run used to forget the stop as it started, and ran whole while the process waited for it
        assertThat(report.skipped()).isEqualTo(org.channelmirror.backup.BackupRun.STOPPING);
      }
      assertThat(h.downloads()).isZero();
      assertThat(h.objects("media/")).isEmpty();
    }
  }

  @Test
  void sigtermWhileCatchingUpWithTelegramUnreachableStopsAtOnce() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      int closed;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      Files.writeString(h.config, Files.readString(h.config).replace(h.api.baseUrl().toString(), "http://127.0.0.1:" + closed));
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        // the catch-up at start retries getUpdates with growing waits (the 4th is 8-16 s)
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().split("trying again in", -1).length > 4);
        long t0 = System.nanoTime();
        int code = daemon.terminate(30);
        assertThat(code).as("stopped; log:\n%s", daemon.output()).isNotEqualTo(-1);
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds to stop; log:\n%s", daemon.output()).isLessThan(5);
      }
    }
  }

  /**
   * An S3 server that accepts connections and answers nothing for minutes (in the daemon sweep, moto
   * stopped with SIGSTOP): the run's first request, the bucket check, waits out the read timeout
   * and the SDK's retries. Meanwhile the run must keep its heartbeat: without it `status` said "no
   * report for 2 min: its process has probably stopped" of a live service, and the backup lease
   * lapsed after 30 s, free for another instance on the same catalog to take.
   */
  @Test
  void aRunWaitingForAStalledBucketCheckKeepsItsHeartbeat() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean stall = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
    try (Harness h = new Harness(dir, org.channelmirror.fakebot.FakeBotApi.Options.defaults(),
        List.of(EndToEndIT.CHANNEL), "", store -> new org.gaul.s3proxy.blobstore.ForwardingBlobStore(store) {
          @Override
          public software.amazon.awssdk.services.s3.model.HeadBucketResponse headBucket(
              software.amazon.awssdk.services.s3.model.HeadBucketRequest request) {
            if (stall.get()) {
              stalled.countDown();
              try {
                resume.await(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.headBucket(request);
          }
        })) {
      try (var app = org.channelmirror.app.Application.start(org.channelmirror.config.ConfigLoader.fromSystem().load(h.config))) {
        stall.set(true);
        Thread run = new Thread(() -> {
          try {
            app.backupPass(org.channelmirror.transfer.TransferListener.NONE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "backup-pass");
        run.start();
        try {
          assertThat(stalled.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
          Instant asked = Instant.now();
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var backup = app.catalog().lastRuns().stream().filter(r -> r.job().equals("backup")).findFirst().orElseThrow();
            assertThat(backup.status()).isEqualTo("RUNNING");
            assertThat(backup.updatedAt()).as("the run's heartbeat while the bucket check waits").isAfter(asked);
          });
        } finally {
          resume.countDown();
          run.join(30_000);
        }
        assertThat(app.catalog().lastRuns().stream().filter(r -> r.job().equals("backup")).findFirst().orElseThrow()
            .status()).isEqualTo("OK");
      }
    }
  }

  @Test
  void sigtermWithStorageHangingStopsWithin30s() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL);
         java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      // a storage server that accepts connections and never answers (hung, or a black-holed route)
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (java.io.IOException e) {
          // closed
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Files.writeString(h.config, Files.readString(h.config)
          .replace(h.s3.endpoint().toString(), "http://127.0.0.1:" + silent.getLocalPort())
          .replace("0 0 0 1 1 ? 2099", "*/2 * * * * ?"));
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !held.isEmpty());
        Thread.sleep(3000);
        long t0 = System.nanoTime();
        int code = daemon.terminate(60);
        double took = (System.nanoTime() - t0) / 1e9;
        assertThat(code).as("stopped; log:\n%s", daemon.output()).isNotEqualTo(-1);
        assertThat(took).as("seconds to stop; log:\n%s", daemon.output()).isLessThan(30);
      } finally {
        for (java.net.Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void tokenNeverAppearsEvenAtDebugLevel() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      List<PublishedPost> posts = new ArrayList<>();
      EndToEndIT.publishChannel(h, posts);
      h.api.faults().serverError("getFile", 500, 2);
      h.api.faults().dropConnection("file", 1);
      h.api.faults().expireFileLinks();
      Map<String, String> env = Map.of("CHANNEL_MIRROR_LOG_LEVEL", "DEBUG", "CHANNEL_MIRROR_ROOT_LOG_LEVEL", "DEBUG",
          "CHANNEL_MIRROR_DEBUG", "1");
      Path log = dir.resolve("sync.log");
      try (ChildProcess sync = ChildProcess.start(log, List.of(), env, "--config", h.config.toString(), "sync")) {
        assertThat(sync.waitFor(120)).isEqualTo(1); // the 30 MB file is refused in cloud mode
      }
      String output = Files.readString(log);
      assertThat(output).contains("DEBUG").contains("too big");
      String token = h.api.token();
      assertThat(output).doesNotContain(token).doesNotContain(token.substring(token.indexOf(':') + 1));
      assertThat(output).doesNotContain(h.s3.secretAccessKey());
      for (JsonNode m : h.manifests(EndToEndIT.CHANNEL)) {
        assertThat(m.toString()).doesNotContain(token);
      }
      Path status = dir.resolve("status.log");
      try (ChildProcess st = ChildProcess.start(status, List.of(), env, "--config", h.config.toString(), "status", "--json")) {
        assertThat(st.waitFor(60)).isZero();
      }
      assertThat(Files.readString(status)).doesNotContain(token).doesNotContain(h.s3.secretAccessKey());
    }
  }
}
