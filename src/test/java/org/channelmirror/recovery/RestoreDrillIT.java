package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.channelmirror.Chromium;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.fakebot.RecordedRequest;
import org.channelmirror.fakebot.SentMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disaster drill: a channel is backed up through the fake Bot API into S3, the server (data
 * directory, catalog) is lost, and the channel is restored into new chats from the bucket alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreDrillIT {
  @TempDir
  static Path tmp;
  Drill drill;

  @BeforeAll
  void backUpThenLoseTheServer() throws Exception {
    TestLogs.quiet();
    drill = Drill.start(tmp);
    drill.publishEverything();
    BackupReport report = drill.backup();
    assertThat(report.problems()).isEmpty();
    assertThat(report.stored()).as("every distinct media file").isEqualTo(14);
    drill.loseServer();
    assertThat(drill.dataDir).doesNotExist();
  }

  @AfterAll
  void stop() {
    drill.close();
  }

  @Test
  void restoreRepostsEveryPostByteIdenticalInOrderWithEntitiesAndAlbums() {
    long target = drill.target(-1002000000001L);

    Drill.Result dry = drill.cli("restore", "--to", Long.toString(target), "--dry-run");
    assertThat(dry.exitCode()).as(dry.out()).isZero();
    assertThat(dry.out()).contains("sendMediaGroup", "sendVideoNote", "sendSticker", "m10+11+12", "m13+14");
    assertThat(drill.api.sent(target)).as("a dry run sends nothing").isEmpty();

    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("every post was restored");
    assertRestored(target);
    assertThat(drill.api.sent(target)).allSatisfy(s -> assertThat(s.fileIdUsed()).as("uploaded, not by file_id")
        .isNull());

    Drill.Result again = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(again.exitCode()).as(again.out()).isZero();
    assertThat(again.out()).contains("0 call(s) sent now", "11 done before");
    assertRestored(target);
  }

  @Test
  void aChannelCanBeNamedByItsUsername() {
    long target = -1002000000009L;
    drill.api.channel(target, "Restored by username", "restored_copy");
    Drill.Result r = drill.cli("restore", "--to", "@restored_copy", "--rate", "1000");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("into chat " + target);
    assertRestored(target);
    // a name Telegram does not know, and a value that is neither: usage errors, nothing sent
    assertThat(drill.cli("restore", "--to", "@no_such_channel").exitCode()).isEqualTo(2);
    assertThat(drill.cli("restore", "--to", "my channel").exitCode()).isEqualTo(2);
    assertThat(drill.api.sent(target)).hasSize(drill.expected().size());
  }

  @Test
  void aRestoreKilledMidwayContinuesWithoutPostingAnythingTwice() throws Exception {
    long target = drill.target(-1002000000002L);
    drill.api.faults().delay("*", Duration.ofMillis(300), 1000);
    Path log = tmp.resolve("child.log");
    Process child = startRestoreProcess(target, log);
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
          .until(() -> drill.api.sent(target).size() >= 5 || !child.isAlive());
      assertThat(child.isAlive()).as("still restoring when killed; log:\n" + Files.readString(log)).isTrue();
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      child.waitFor();
    } finally {
      drill.api.faults().clear();
    }
    // a request the killed process had sent whole may still sit in the fake's 300 ms delay; it posts
    // after that. The owner looks at the chat later still: so must this test (CI caught the test
    // deciding "not there", resending, and the held request then posting a second copy)
    Thread.sleep(1_000);
    int postedBeforeKill = drill.api.sent(target).size();
    assertThat(postedBeforeKill).isLessThan(drill.expected().size());

    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    if (r.exitCode() != 0 && r.out().contains("--skip-uncertain")) {
      // the kill fell between the last byte of a request and the journal's record of the answer:
      // the owner looks at the target chat and decides
      boolean there = drill.api.sent(target).size() > journaledMessages(target);
      r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000",
          there ? "--skip-uncertain" : "--resend-uncertain");
    }
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertRestored(target);
  }

  @Test
  void aRestoreStoppedWithSigtermFinishesTheCurrentPostAndTheRerunContinues() throws Exception {
    long target = drill.target(-1002000000005L);
    drill.api.faults().delay("*", Duration.ofMillis(300), 1000);
    Path log = tmp.resolve("child-term.log");
    Process child = startRestoreProcess(target, log);
    int code;
    try {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10))
          .until(() -> drill.api.sent(target).size() >= 3 || !child.isAlive());
      assertThat(child.isAlive()).as("still restoring; log:\n" + Files.readString(log)).isTrue();
      child.destroy(); // SIGTERM: the shutdown hook asks the restore to stop after the current post
      assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      code = child.exitValue();
    } finally {
      drill.api.faults().clear();
    }
    assertThat(Files.readString(log)).contains("STOPPED: interrupted");
    assertThat(code).isNotZero();
    assertThat(drill.api.sent(target).size()).isLessThan(drill.expected().size());

    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(r.exitCode()).as("no uncertain post after a clean stop: " + r.out()).isZero();
    assertRestored(target);
  }

  @Test
  void aConnectionLostAfterSendingStopsTheRunUntilTheOwnerDecides() {
    long target = drill.target(-1002000000004L);
    drill.api.faults().dropConnection("sendvoice", 1);
    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("STOPPED", "it is unknown whether message 7", "--resend-uncertain");
    int sent = drill.api.sent(target).size();
    assertThat(sent).as("nothing after the uncertain post").isEqualTo(6);

    Drill.Result again = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.out()).contains("may or may not be in the target chat");
    assertThat(drill.api.sent(target)).hasSize(sent);

    // the owner sees the voice message is missing
    Drill.Result resend = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000", "--resend-uncertain");
    assertThat(resend.exitCode()).as(resend.out()).isZero();
    assertRestored(target);
  }

  @Test
  void telegramUnreachableStopsTheRunWithExitStatus3() throws Exception {
    // acceptance sweep: the Bot API was down for the whole run; every send failed to connect, the run
    // stopped with "nothing was posted" but exited 1, where README's table says 3 for "storage or
    // Telegram unreachable" (1 is for posts Telegram refused, or a run that needs the owner)
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Path down = tmp.resolve("telegram-down.yaml");
    Files.writeString(down, Files.readString(drill.configFile)
        .replace(drill.api.baseUrl(), "http://127.0.0.1:" + closedPort));
    Drill.Result r = drill.cliWith(down, "restore", "--to", "-1002000000078", "--rate", "1000");
    assertThat(r.exitCode()).as(r.out()).isEqualTo(3);
    assertThat(r.out()).contains("STOPPED", "nothing was posted", "run the same command again");
    assertThat(drill.api.sent(-1002000000078L)).isEmpty();
  }

  @Test
  void floodControlIsObeyedDuringRestore() {
    long target = drill.target(-1002000000003L);
    Map<String, Integer> retryAfter = Map.of("sendvideo", 2, "sendmediagroup", 1, "sendmessage", 1);
    drill.api.faults().floodWait("sendvideo", 2, 2);
    drill.api.faults().floodWait("sendmediagroup", 1, 1);
    drill.api.faults().floodWait("sendmessage", 1, 1);
    Instant start = Instant.now();

    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertRestored(target);

    List<RecordedRequest> toTarget = new ArrayList<>();
    for (RecordedRequest q : drill.api.requests()) {
      if (q.method().startsWith("send") && !q.at().isBefore(start)
          && Long.toString(target).equals(q.params().path("chat_id").asText())) {
        toTarget.add(q);
      }
    }
    List<RecordedRequest> floods = toTarget.stream().filter(q -> q.httpStatus() == 429).toList();
    assertThat(floods).hasSize(4);
    for (RecordedRequest flood : floods) {
      Instant free = flood.at().plusSeconds(retryAfter.get(flood.method()));
      for (RecordedRequest q : toTarget) {
        if (q.at().isAfter(flood.at())) {
          assertThat(q.at()).as("%s at %s came inside the retry_after window of a 429 at %s", q.method(), q.at(),
              flood.at()).isAfterOrEqualTo(free);
        }
      }
    }
  }

  @Test
  void exportIsABrowsableOfflineCopy() throws Exception {
    Path out = tmp.resolve("export");
    Drill.Result r = drill.cli("export", "--to", out.toString());
    assertThat(r.exitCode()).as(r.out()).isZero();

    String dom = Chromium.dumpDom(out.resolve("index.html"), tmp.resolve("chromium-profile"));
    List<String> sources = Chromium.mediaSources(dom);
    // 3 photos and a sticker as <img>; video, animation, video note, album video as <video>; audio and voice
    assertThat(sources).hasSize(10);
    List<String> links = Chromium.fileLinks(dom);
    assertThat(links).as("documents as links").hasSize(3);
    sources.addAll(links);
    for (String src : sources) {
      Path file = out.resolve(java.net.URLDecoder.decode(src, java.nio.charset.StandardCharsets.UTF_8)).normalize();
      assertThat(file).as(src).startsWith(out).isRegularFile();
    }
    String text = Chromium.visibleText(dom);
    for (Drill.Expected e : drill.expected()) {
      if (e.text() != null) {
        assertThat(text).as("text of message %d", e.messageId()).contains(e.text());
      }
    }
    assertThat(dom).contains("<strong>Sunset</strong>", "<em>Weekend</em>");
    assertThat(dom).containsPattern("<article class=\"post album\" id=\"m10\">");

    JsonNode result = Drill.json(Files.readString(out.resolve("result.json")));
    assertThat(result.path("messages")).hasSize(drill.expected().size());
    assertThat(result.path("name").asText()).isEqualTo("Harbour Diaries");
    Set<Path> files = new HashSet<>();
    try (var walk = Files.walk(out)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    assertThat(files).allSatisfy(f -> assertThat(f.normalize()).startsWith(out));
    assertThat(out.resolve("files/report-v2.pdf")).isRegularFile();
    for (JsonNode m : result.path("messages")) {
      for (String field : List.of("photo", "file")) {
        if (m.has(field)) {
          assertThat(out.resolve(m.get(field).asText())).as("message %s %s", m.get("id"), field).isRegularFile();
        }
      }
    }
  }

  /** Every expected post arrived exactly once, in order, byte-identical, with its text and entities. */
  private void assertRestored(long target) {
    List<SentMessage> sent = drill.api.sent(target);
    List<Drill.Expected> expected = drill.expected();
    assertThat(sent).as("one message per post, nothing twice").hasSize(expected.size());
    Map<String, String> albums = new HashMap<>();
    Set<String> newAlbumIds = new HashSet<>();
    for (int i = 0; i < expected.size(); i++) {
      Drill.Expected e = expected.get(i);
      SentMessage s = sent.get(i);
      String what = "message " + e.messageId() + " (sent #" + i + ")";
      if (e.kind() == null) {
        assertThat(s.method()).as(what).isEqualTo("sendmessage");
        assertThat(s.text()).as(what).isEqualTo(e.text());
      } else {
        assertThat(s.kind()).as(what).isEqualTo(e.kind());
        assertThat(s.sha256Hex()).as(what + ": bytes").isEqualTo(e.sha256());
        assertThat(s.caption()).as(what).isEqualTo(e.text());
      }
      assertThat(s.entities()).as(what + ": entities").isEqualTo(e.entities());
      if (e.mediaGroupId() == null) {
        assertThat(s.mediaGroupId()).as(what).isNull();
      } else {
        assertThat(s.method()).as(what).isEqualTo("sendmediagroup");
        String known = albums.putIfAbsent(e.mediaGroupId(), s.mediaGroupId());
        if (known == null) {
          assertThat(newAlbumIds.add(s.mediaGroupId())).as(what + ": a new album").isTrue();
        } else {
          assertThat(s.mediaGroupId()).as(what + ": same album as its siblings").isEqualTo(known);
        }
      }
    }
    assertThat(albums).hasSize(2);
  }

  /** channel-mirror restore in a child JVM with this test's class path. */
  private Process startRestoreProcess(long target, Path log) throws IOException {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.channelmirror.Main", "-c", drill.configFile.toString(),
        "restore", "--to", Long.toString(target), "--rate", "1000")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private long journaledMessages(long target) throws IOException {
    Path journal = drill.dataDir.resolve("restore").resolve("restore_" + Drill.SOURCE + "_to_" + target + ".jsonl");
    long n = 0;
    for (String line : Files.readAllLines(journal)) {
      if (line.contains("\"state\":\"sent\"")) {
        n += Drill.json(line).path("message_ids").size();
      }
    }
    return n;
  }
}
