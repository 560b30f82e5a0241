package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.channelmirror.app.Application;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.schedule.Schedules;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify against a real bucket whose objects are deleted, damaged on the server's disk, and added. */
class VerifyIT {
  @TempDir
  Path tmp;

  @Test
  void verifyFindsMissingCorruptAndOrphanObjects() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();

      Drill.Result clean = drill.cli("verify", "--deep", "--json");
      assertThat(clean.exitCode()).as(clean.out()).isZero();
      JsonNode ok = Drill.json(clean.out());
      assertThat(ok.path("ok").asBoolean()).isTrue();
      assertThat(ok.path("objects").asInt()).isEqualTo(14);
      assertThat(ok.path("manifests").asInt()).isEqualTo(17);

      List<String> media = new ArrayList<>();
      for (ObjectInfo o : store.list(store.prefix() + "media/")) {
        media.add(o.key());
      }
      String deleted = media.get(0);
      String flipped = media.get(1);
      String truncated = media.get(2);
      store.delete(deleted);
      try (RandomAccessFile f = new RandomAccessFile(drill.objectFile(flipped).toFile(), "rw")) {
        f.seek(f.length() / 2);
        int b = f.read();
        f.seek(f.length() / 2);
        f.write(b ^ 0xff); // same size, different content: only --deep can tell
      }
      try (RandomAccessFile f = new RandomAccessFile(drill.objectFile(truncated).toFile(), "rw")) {
        f.setLength(f.length() - 100);
      }
      String orphan = store.prefix() + "media/stray-upload.bin";
      store.putBytes(orphan, new byte[] {1, 2, 3}, "application/octet-stream", Map.of());

      // what a backup run still in progress leaves before its manifests: channel-mirror's metadata, its key
      String inFlight = store.prefix() + "media/AgADinflight-1.jpg";
      store.putBytes(inFlight, new byte[] {4, 5, 6}, "image/jpeg",
          Map.of("file-unique-id", "AgADinflight-1", "kind", "photo", "chat-id", "-1", "message-id", "1"));

      // an acceptance test (independent tester, S3Mock) added a stray object and ran verify at once: the
      // grace period for young objects hid it ("0 orphan", exit 0 on an otherwise clean bucket). With
      // no backup run in progress there is no grace at all: both are orphans
      Drill.Result idle = drill.cli("verify", "--json");
      assertThat(idle.exitCode()).isEqualTo(1);
      assertThat(problems(Drill.json(idle.out()), "orphan")).containsExactlyInAnyOrder(orphan, inFlight);

      // while a backup run is in progress (in any process on this catalog), a young object that looks
      // like its upload may still get its manifest; a stray one is still an orphan
      long running;
      try (Catalog catalog = Catalog.open(drill.config().catalog().url(), "", "", 2)) {
        running = catalog.startJob(BackupRun.JOB);
      }
      Drill.Result young = drill.cli("verify", "--json");
      assertThat(young.exitCode()).isEqualTo(1);
      assertThat(problems(Drill.json(young.out()), "orphan"))
          .as("a stray object is an orphan at once; a fresh upload of a run may still get its manifest")
          .containsExactly(orphan);
      try (Catalog catalog = Catalog.open(drill.config().catalog().url(), "", "", 2)) {
        catalog.finishJob(running, "OK", 0, 0, 0, "done");
      }
      store.delete(inFlight);

      Drill.Result shallow = drill.cli("verify", "--json", "--orphan-min-age", "PT0S");
      assertThat(shallow.exitCode()).isEqualTo(1);
      JsonNode s = Drill.json(shallow.out());
      assertThat(problems(s, "missing")).containsExactly(deleted);
      assertThat(problems(s, "corrupt")).containsExactly(truncated);
      assertThat(problems(s, "orphan")).containsExactly(orphan);

      Drill.Result deep = drill.cli("verify", "--deep", "--json", "--orphan-min-age", "PT0S");
      assertThat(deep.exitCode()).isEqualTo(1);
      JsonNode d = Drill.json(deep.out());
      assertThat(problems(d, "missing")).containsExactly(deleted);
      assertThat(problems(d, "corrupt")).containsExactlyInAnyOrder(truncated, flipped);
      assertThat(problems(d, "orphan")).containsExactly(orphan);

      Drill.Result table = drill.cli("verify", "--deep", "--orphan-min-age", "PT0S");
      assertThat(table.out()).contains("PROBLEM", "missing", "corrupt", "orphan", deleted, flipped, orphan,
          "PROBLEMS: 17 manifests, 14 objects hashed; 1 missing, 2 corrupt");

      Drill.Result status = drill.cli("status", "--json");
      JsonNode verifyRun = Drill.json(status.out()).path("last_runs").path("verify");
      assertThat(verifyRun.path("status").asText()).isEqualTo("PROBLEMS");
      assertThat(verifyRun.path("message").asText()).contains("1 missing, 2 corrupt");
    }
  }

  /**
   * An object whose {@code sha256} metadata was changed (its bytes were not). Found by an independent
   * acceptance sweep (moto_server): {@code verify --deep} said "OK", though a backup that finds the
   * object again takes its hash from that metadata, and other tools read it as the object's checksum.
   */
  @Test
  void aDeepVerifyFindsSha256MetadataThatIsNotTheContents() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();

      String key = store.list(store.prefix() + "media/").iterator().next().key();
      ObjectInfo before = store.head(key).orElseThrow();
      String real = before.userMetadata().get("sha256");
      assertThat(real).hasSize(64);
      Map<String, String> meta = new java.util.HashMap<>(before.userMetadata());
      meta.put("sha256", "0".repeat(64));
      store.replaceMetadata(key, before.contentType(), meta);

      Drill.Result shallow = drill.cli("verify");
      assertThat(shallow.exitCode()).as("sizes alone cannot tell: " + shallow.out()).isZero();
      Drill.Result deep = drill.cli("verify", "--deep", "--json");
      assertThat(deep.exitCode()).as(deep.out()).isEqualTo(1);
      JsonNode report = Drill.json(deep.out());
      assertThat(problems(report, "conflict")).containsExactly(key);
      assertThat(report.path("problems").get(0).path("detail").asText()).contains("0".repeat(64), real);
      assertThat(report.path("counts").path("corrupt").asInt()).isZero();
      assertThat(drill.cli("verify", "--deep").out()).as("a conflict is not counted as a bad manifest")
          .contains("0 bad manifests, 1 conflicts");
    }
  }

  @Test
  void theScheduledVerifyJobRecordsItsResultForStatus() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      drill.source.post().text("just text").publish();
      drill.backup();
      try (Application app = Application.start(drill.config())) {
        Schedules schedules = Schedules.builder().verify("* * * * * ?",
            new VerifyRun(app.catalog(), new BucketReader(app.store()), Clock.systemUTC())).start();
        try {
          // the run that finished, taken in the same read: with a job every second, reading the last run
          // again may find the next one still RUNNING (seen in the recovery sweep)
          java.util.concurrent.atomic.AtomicReference<JobRun> finished = new java.util.concurrent.atomic.AtomicReference<>();
          await().atMost(Duration.ofSeconds(20)).until(() -> {
            app.catalog().lastRuns().stream().filter(r -> r.job().equals("verify") && r.finishedAt() != null)
                .findFirst().ifPresent(finished::set);
            return finished.get() != null;
          });
          JobRun run = finished.get();
          assertThat(run.status()).isEqualTo("OK");
          assertThat(run.message()).startsWith("OK: 1 manifests, 0 objects");
        } finally {
          schedules.close();
        }
      }
      assertThat(drill.cli("status").out()).contains("verify", "OK: 1 manifests");
    }
  }

  /** The keys of the report's problems of {@code type}. */
  static List<String> problems(JsonNode report, String type) {
    List<String> keys = new ArrayList<>();
    report.path("problems").forEach(p -> {
      if (p.path("type").asText().equals(type)) {
        keys.add(p.path("key").asText());
      }
    });
    return keys;
  }

  /**
   * A mistyped bucket name must not read as an empty, healthy backup: the commands that read a
   * backup used to create the bucket and report 0 manifests, exit 0 (found by an acceptance sweep).
   */
  @Test
  void theCommandsThatReadABackupNeitherCreateNorAcceptAMissingBucket() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      Path typo = tmp.resolve("typo.yaml");
      java.nio.file.Files.writeString(typo, java.nio.file.Files.readString(drill.configFile)
          .replace(Drill.BUCKET, "no-such-backup"));
      List<String[]> commands = List.of(new String[] {"verify"}, new String[] {"verify", "--deep", "--json"},
          new String[] {"reindex"}, new String[] {"export", "--to", tmp.resolve("export").toString()},
          new String[] {"restore", "--to", "-1002000000999", "--dry-run"});
      for (String[] command : commands) {
        Said r = withStderr(drill, typo, command);
        String said = r.result().out() + r.err();
        assertThat(r.result().exitCode()).as("%s: %s", String.join(" ", command), said).isEqualTo(3);
        assertThat(said).contains("bucket 'no-such-backup'", "does not exist", "check storage.bucket");
      }
      assertThat(drill.s3.root().resolve("no-such-backup")).doesNotExist();

      // an existing bucket with nothing under the prefix passes, with a note that names the place
      try (ObjectStore store = drill.store()) {
        store.ensureBucket(true);
      }
      Path elsewhere = tmp.resolve("elsewhere.yaml");
      java.nio.file.Files.writeString(elsewhere, java.nio.file.Files.readString(drill.configFile)
          .replace(Drill.PREFIX, "nothing-here/"));
      Drill.Result empty = drill.cliWith(elsewhere, "verify");
      assertThat(empty.exitCode()).as(empty.out()).isZero();
      assertThat(empty.out()).contains("holds no post manifests under prefix 'nothing-here/'");
      // reindex too (found by a black-box sweep: it said only "read 0 manifest(s)")
      Drill.Result none = drill.cliWith(elsewhere, "reindex");
      assertThat(none.exitCode()).as(none.out()).isZero();
      assertThat(none.out()).contains("holds no post manifests under prefix 'nothing-here/'");
    }
  }

  /**
   * Found by the recovery sweep: manifests record each object's whole key, the prefix included, so a
   * backup copied under another prefix showed every file as missing (and as an orphan), and export and
   * restore left out all media. Readers now find media at {@code <their prefix>media/<name>}.
   */
  @Test
  void aBackupCopiedUnderAnotherPrefixIsWholeThere() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      Path before = tmp.resolve("export-before");
      assertThat(drill.cli("export", "--to", before.toString()).exitCode()).isZero();
      int copied = 0;
      List<ObjectInfo> all = new ArrayList<>();
      store.list(Drill.PREFIX).forEach(all::add);
      for (ObjectInfo o : all) { // what `aws s3 sync s3://b/backups/ s3://b/moved/` and deleting the old did
        store.putBytes("moved/" + o.key().substring(Drill.PREFIX.length()), store.getBytes(o.key()), o.contentType(),
            Map.of());
        store.delete(o.key());
        copied++;
      }
      assertThat(copied).isGreaterThan(14);
      Path moved = tmp.resolve("moved.yaml");
      java.nio.file.Files.writeString(moved, java.nio.file.Files.readString(drill.configFile)
          .replace(Drill.PREFIX, "moved/"));

      Drill.Result verify = drill.cliWith(moved, "verify", "--deep", "--json");
      assertThat(verify.exitCode()).as(verify.out()).isZero();
      assertThat(Drill.json(verify.out()).path("objects").asInt()).isEqualTo(14);
      Path export = tmp.resolve("export");
      Drill.Result exported = drill.cliWith(moved, "export", "--to", export.toString());
      assertThat(exported.exitCode()).as(exported.out()).isZero();
      assertThat(listing(export)).hasSizeGreaterThan(20).isEqualTo(listing(before)); // every media file
    }
  }

  private static List<String> listing(Path dir) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(dir)) {
      return files.map(f -> dir.relativize(f).toString()).sorted().toList();
    }
  }

  /** Storage down: the commands that read a backup stop at once, saying so (exit 3). */
  @Test
  void theCommandsThatReadABackupStopAtOnceWhenStorageIsUnreachable() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      int closed;
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        closed = s.getLocalPort();
      }
      Path down = tmp.resolve("down.yaml");
      java.nio.file.Files.writeString(down, java.nio.file.Files.readString(drill.configFile)
          .replace(drill.s3.endpoint().toString(), "http://127.0.0.1:" + closed));
      for (String[] command : List.of(new String[] {"verify", "--json"}, new String[] {"reindex"})) {
        Said r = withStderr(drill, down, command);
        assertThat(r.result().exitCode()).as("%s: %s", String.join(" ", command), r.err()).isEqualTo(3);
        assertThat(r.err()).as(String.join(" ", command)).contains("127.0.0.1:" + closed);
      }
    }
  }

  /**
   * The service's verify and backup jobs fire at the same second (the defaults do, daily at 03:00:00;
   * seen in the daemon sweep with both every few seconds): the backup run stores media after verify
   * has read the manifests. Its objects are no orphans, whether the run has written its manifests by
   * the time verify lists {@code media/} or is still running then.
   */
  @Test
  void aBackupRunThatStartsWhileVerifyRunsLeavesNoOrphan() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.source.post().text("before the verify").publish();
      drill.backup();
      drill.source.post().photo(FileContent.jpeg(201, 640, 480)).caption("posted just before 03:00").publish();
      try (Application app = Application.start(drill.config())) {
        VerifyRun verify = new VerifyRun(app.catalog(), new BucketReader(app.store()), Clock.systemUTC());

        // a whole run between verify's reading of the manifests and its listing of media/
        VerifyReport whole = verify.run(false, VerifyRun.DEFAULT_ORPHAN_MIN_AGE, afterManifestsRead(() -> {
          assertThat(drill.backup().stored()).isEqualTo(1);
        }));
        assertThat(whole.problems()).as(whole.summary()).isEmpty();

        // a run that began after verify and is still uploading when verify lists media/
        String inFlight = store.prefix() + "media/AgADlate-run.jpg";
        long[] running = new long[1];
        VerifyReport begun = verify.run(false, VerifyRun.DEFAULT_ORPHAN_MIN_AGE, afterManifestsRead(() -> {
          running[0] = app.catalog().startJob(BackupRun.JOB);
          store.putBytes(inFlight, new byte[] {7, 8, 9}, "image/jpeg",
              Map.of("file-unique-id", "AgADlate-run", "kind", "photo", "chat-id", "-1", "message-id", "9"));
        }));
        app.catalog().finishJob(running[0], "OK", 1, 0, 3, "done");
        assertThat(begun.problems()).as(begun.summary()).isEmpty();
      }
    }
  }

  /**
   * A verify pass takes minutes on a channel of tens of thousands of posts (3,000 manifests took 17 s
   * on moto in the daemon sweep), and --deep reads every object: it must keep telling `status` it is
   * alive, which said "no report for 2 min: its process has probably stopped" of every such pass.
   */
  @Test
  void aLongVerifyKeepsItsHeartbeat() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      drill.source.post().text("one post").publish();
      drill.backup();
      try (Application app = Application.start(drill.config())) {
        VerifyRun verify = new VerifyRun(app.catalog(), new BucketReader(app.store()), Clock.systemUTC());
        VerifyReport r = verify.run(false, VerifyRun.DEFAULT_ORPHAN_MIN_AGE, afterManifestsRead(() -> {
          java.time.Instant asked = java.time.Instant.now();
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JobRun running = app.catalog().lastRuns().stream().filter(j -> j.job().equals(VerifyRun.JOB))
                .findFirst().orElseThrow();
            assertThat(running.status()).isEqualTo("RUNNING");
            assertThat(running.updatedAt()).as("the verify run's heartbeat").isAfter(asked);
          });
        }));
        assertThat(r.ok()).as(r.summary()).isTrue();
      }
    }
  }

  /**
   * SIGTERM while the service's verify job runs: the stop waited for the whole pass (in the daemon
   * sweep 16 s for 3,000 manifests on moto; a larger channel ran into the 20 s watchdog, which exits
   * at once and leaves the run recorded as RUNNING). The pass now ends at its next object and is
   * recorded as CANCELLED.
   */
  @Test
  void aStopEndsTheServicesVerifyPassAtOnceAndRecordsIt() throws Exception {
    TestLogs.quiet();
    java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
    try (Drill drill = Drill.start(tmp, s3 -> new org.gaul.s3proxy.blobstore.ForwardingBlobStore(s3) {
      @Override
      public software.amazon.awssdk.core.ResponseInputStream<software.amazon.awssdk.services.s3.model.GetObjectResponse>
          getBlob(software.amazon.awssdk.services.s3.model.GetObjectRequest request) {
        if (slow.get()) {
          try {
            Thread.sleep(300); // a slow or distant bucket: 30 manifests take 9 s to read
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.getBlob(request);
      }
    })) {
      for (int i = 0; i < 30; i++) {
        drill.source.post().text("post " + i).publish();
      }
      drill.backup();
      String at = java.time.format.DateTimeFormatter.ofPattern("s m H d M '?' yyyy")
          .format(java.time.ZonedDateTime.now().plusSeconds(5));
      java.nio.file.Files.writeString(drill.configFile, java.nio.file.Files.readString(drill.configFile)
          + "schedule:\n  backup: \"0 0 0 1 1 ? 2099\"\n  verify: \"" + at + "\"\n");
      slow.set(true);
      try (Application app = Application.start(drill.config())) {
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread service = new Thread(() -> {
          try {
            app.run(stop);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "service");
        service.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> app.catalog().lastRuns().stream()
            .anyMatch(r -> r.job().equals(VerifyRun.JOB) && r.status().equals("RUNNING")));
        long t0 = System.nanoTime();
        stop.countDown(); // SIGTERM
        service.join(20_000);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("time to stop").isLessThan(Duration.ofSeconds(4));
        JobRun verify = app.catalog().lastRuns().stream().filter(r -> r.job().equals(VerifyRun.JOB)).findFirst()
            .orElseThrow();
        assertThat(verify.status()).isEqualTo("CANCELLED");
        assertThat(verify.message()).contains("stopped before the end");
      }
    }
  }

  /** Runs {@code meanwhile} once verify has read every manifest, before it checks and lists objects. */
  private static Progress afterManifestsRead(ThrowingRunnable meanwhile) {
    return new Progress() {
      @Override
      public void planned(String what, long items, long bytes) {
        try {
          meanwhile.run();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** A command's result and what it wrote to stderr. */
  private record Said(Drill.Result result, String err) {}

  private static Said withStderr(Drill drill, Path config, String... command) throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      Drill.Result r = drill.cliWith(config, command);
      return new Said(r, err.toString(java.nio.charset.StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
