package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.channelmirror.fakebot.PublishedPost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` as a real process: journals posts as they arrive, backs up on schedule, survives kill -9. */
class DaemonIT {
  @TempDir
  Path dir;

  private static int journaledPosts(Harness h) throws Exception {
    Harness.Run status = h.cli("status", "--json");
    JsonNode channels = Harness.JSON.readTree(status.out()).path("channels");
    return channels.isEmpty() ? 0 : channels.get(0).path("versions").asInt();
  }

  @Test
  void processKilledBetweenIntakeAndBackupLosesNothing() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      List<PublishedPost> posts = new ArrayList<>();
      Map<String, String> expected = EndToEndIT.publishChannel(h, posts);
      // the schedule never fires (2099): the daemon only journals
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        // the daemon owns the H2 file first; `status` then reads it through the daemon's server
        await().atMost(Duration.ofSeconds(60)).until(() -> h.calls("getUpdates") > 0);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> journaledPosts(h) == posts.size());
        // every update is confirmed to Telegram only after it was committed
        await().atMost(Duration.ofSeconds(10)).until(() -> h.api.pendingUpdates() == 0);
        daemon.kill();
      }
      assertThat(h.objects("media/")).isEmpty();
      Harness.Run sync = h.cli("sync");
      assertExit(sync, 1); // the 30 MB file is refused in cloud mode, everything else stored
      assertThat(h.objects("media/")).hasSize(expected.size() - 1);
      assertThat(h.manifests(EndToEndIT.CHANNEL)).hasSize(posts.size());
    }
  }

  @Test
  void daemonBacksUpOnScheduleAndStopsGracefullyOnSigterm() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.writeConfig(List.of(EndToEndIT.CHANNEL), false, "");
      h.editConfig("0 0 0 1 1 ? 2099", "*/2 * * * * ?");
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        var ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
        ch.post().photo(org.channelmirror.fakebot.FileContent.jpeg(5, 320, 200)).caption("live").publish();
        await().atMost(Duration.ofSeconds(60)).until(() -> h.objects("media/").size() == 1
            && h.objects("channels/" + EndToEndIT.CHANNEL + "/posts/").size() == 1);
        ch.post().text("second").publish();
        await().atMost(Duration.ofSeconds(60)).until(() -> h.objects("channels/" + EndToEndIT.CHANNEL + "/posts/").size() == 2);
        int code = daemon.terminate(30);
        assertThat(code).as("exit code after SIGTERM; log:\n%s", daemon.output()).isNotEqualTo(-1);
        assertThat(daemon.output()).doesNotContain(h.api.token());
      }
    }
  }

  /**
   * Telegram ends a waiting long poll with 409 when another getUpdates comes in (a `sync` beside the
   * service, a restarted process whose old poll is still open, a second instance): a passing
   * conflict. The service polls again within seconds, not after a fixed 30 s pause in which
   * nothing is journaled.
   */
  @Test
  void aLongPollEndedByAnotherGetUpdatesIsFollowedAtOnceNotAfter30s() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.editConfig("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 30\n");
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().contains("channel-mirror is running"));
        Thread.sleep(1_000); // the service's long poll is waiting now
        // a second poller: its own long poll ends the service's with 409
        var http = java.net.http.HttpClient.newHttpClient();
        var other = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            h.api.baseUrl() + "/bot" + h.api.token() + "/getUpdates?timeout=1")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.output().contains("409"));
        h.api.channel(EndToEndIT.CHANNEL, "c", null).post().text("right after the conflict").publish();
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> journaledPosts(h) == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("journaled after the 409; log:%n%s", daemon.output())
            .isLessThan(Duration.ofSeconds(10));
      }
    }
  }

  /**
   * telegram.pollTimeoutSeconds: 0 (short polling, allowed by the config) and a server that answers
   * an empty long poll at once must not make the service a tight loop of getUpdates calls, which
   * the long poll's exemption from the request budget allowed: an empty poll is followed by the next
   * one second after it began at the earliest. A post is still journaled within about a second.
   */
  @Test
  void shortPollingAsksAtMostAboutOncePerSecondWhileNothingArrives() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.editConfig("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 0\n");
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().contains("channel-mirror is running"));
        long before = h.calls("getUpdates");
        Thread.sleep(4_000);
        long calls = h.calls("getUpdates") - before;
        assertThat(calls).as("getUpdates calls in 4 s of short polling").isBetween(2L, 7L);
        h.api.channel(EndToEndIT.CHANNEL, "c", null).post().text("short polled").publish();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).until(() -> journaledPosts(h) == 1);
      }
    }
  }

  @Test
  void aBackupMissedWhileDownRunsOnceAtStart() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      var ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().text("before the downtime").publish();
      assertExit(h.cli("sync"), 0);
      // pretend the last backup ran two days ago, with a daily schedule in between
      try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data/catalog") + ";AUTO_SERVER=TRUE");
           var st = c.createStatement()) {
        st.executeUpdate("update job_runs set started_at = dateadd('DAY', -2, started_at)");
      }
      h.editConfig("0 0 0 1 1 ? 2099", "0 0 0 * * ?");
      ch.post().document(org.channelmirror.fakebot.FileContent.random(9, 4096), "x.bin", "application/octet-stream").publish();
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> h.objects("media/").size() == 1);
        assertThat(daemon.output()).contains("missed");
      }
    }
  }

  /**
   * Two instances on one catalog with the same cron fire at the same second, and the backup lease
   * lets one of them run. In the daemon sweep (two bots, one PostgreSQL catalog, both every 5 s) the
   * instance that lost skipped 8 scheduled runs in a row while its own files waited: the other bot
   * cannot download them (file_ids are per bot), and every next fire lost again. A scheduled run
   * that finds another process's run in progress now waits for it, then runs.
   */
  @Test
  void aScheduledRunThatFindsAnotherInstanceBackingUpRunsWhenThatRunEnds() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      var ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().document(org.channelmirror.fakebot.FileContent.random(11, 4096), "y.bin", "application/octet-stream")
          .publish();
      // another instance, on another host (so no process check frees its lease), is backing up
      var other = new org.channelmirror.catalog.Leases.Holder("other-instance", "other-host", 4242);
      try (var catalog = org.channelmirror.catalog.Catalog.open(
          "jdbc:h2:file:" + dir.resolve("data/catalog") + ";AUTO_SERVER=TRUE", "", "", 2)) {
        assertThat(catalog.leases().claim("backup", other, java.time.Instant.now(), Duration.ofSeconds(30))).isEmpty();
        // one fire time, a few seconds after the service has started
        java.time.ZonedDateTime at = java.time.ZonedDateTime.now().plusSeconds(10);
        h.editConfig("0 0 0 1 1 ? 2099", java.time.format.DateTimeFormatter.ofPattern("s m H d M '?' yyyy").format(at));
        try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config", h.config.toString(),
            "run")) {
          await().atMost(Duration.ofSeconds(25)).until(() -> daemon.output().contains("(sharing this catalog) is in progress"));
          catalog.leases().release("backup", other); // its run ended
          await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
              assertThat(h.objects("media/")).as("log:\n%s", daemon.output()).hasSize(1));
        }
      }
    }
  }
}
