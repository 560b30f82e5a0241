package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.SentMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore --reuse-file-ids} on real servers: files over the cloud Bot API's 50 MB upload
 * limit (backed up as if through a self-hosted server) go back by their original file_id, the rest
 * is uploaded from the bucket; another bot's restore is refused those file_ids and says what to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreByFileIdIT {
  private static final long OVER_CLOUD_LIMIT = (50L << 20) + 1024;

  @TempDir
  static Path tmp;
  Drill drill;
  PublishedPost filmA;
  PublishedPost behindTheScenes;
  PublishedPost albumPhoto;
  PublishedPost filmC;

  @BeforeAll
  void backUpThenLoseTheServer() throws Exception {
    TestLogs.quiet();
    drill = Drill.start(tmp);
    // the backup went through a server that serves big files (a self-hosted one, in real life)
    drill.api.cloudDownloadLimit(Long.MAX_VALUE);
    var source = drill.source;
    drill.published.add(source.post().text("Films of the week").publish());
    filmA = source.post().document(FileContent.random(201, OVER_CLOUD_LIMIT), "film-a.mkv", "video/x-matroska")
        .caption("Film A").publish();
    drill.published.add(filmA);
    // three big files in a row: another bot is refused all three, and the restore goes on
    behindTheScenes = source.post().mediaGroup("cut").video(FileContent.random(202, OVER_CLOUD_LIMIT + 1),
        "behind.mp4", "video/mp4", 1280, 720, 300).caption("Behind the scenes").publish();
    drill.published.add(behindTheScenes);
    albumPhoto = source.post().mediaGroup("cut").photo(FileContent.jpeg(203, 800, 600)).publish();
    drill.published.add(albumPhoto);
    filmC = source.post().document(FileContent.random(204, OVER_CLOUD_LIMIT + 2), "film-c.mkv", "video/x-matroska")
        .caption("Film C").publish();
    drill.published.add(filmC);
    drill.published.add(source.post().photo(FileContent.jpeg(205, 640, 480)).caption("Poster").publish());
    drill.published.add(source.post().text("That's all").publish());

    BackupReport report = drill.backup();
    assertThat(report.problems()).isEmpty();
    assertThat(report.stored()).isEqualTo(5);
    drill.loseServer();
  }

  @AfterAll
  void stop() {
    drill.close();
  }

  @Test
  void withoutTheFlagFilesOverTheUploadLimitAreReportedAsBefore() {
    long target = drill.target(-1003000000001L);
    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
    assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
    assertThat(r.out()).contains("message " + filmA.messageId() + ": NOT SENT: document",
        "message " + behindTheScenes.messageId() + ": NOT SENT: video",
        "message " + filmC.messageId() + ": NOT SENT: document", "this Bot API server takes uploads up to 50.0 MB");
    assertThat(r.out()).doesNotContain("file_id");
    assertThat(drill.api.sent(target)).extracting(SentMessage::method).containsExactly("sendmessage",
        "sendmessage", "sendphoto", "sendmessage", "sendmessage", "sendphoto", "sendmessage");
    assertThat(drill.api.sent(target)).extracting(SentMessage::fileIdUsed).containsOnlyNulls();
  }

  @Test
  void withTheFlagBigFilesGoByTheirFileIdAndTheRestIsUploadedFromTheBucket() {
    long target = drill.target(-1003000000002L);
    Drill.Result dry = drill.cli("restore", "--to", Long.toString(target), "--dry-run", "--reuse-file-ids");
    assertThat(dry.exitCode()).as(dry.out()).isZero();
    assertThat(dry.out()).contains("and sending 3 item(s) by file_id:");
    assertThat(occurrences(dry.out(), "MiB by file_id")).as(dry.out()).isEqualTo(3);
    assertThat(dry.out()).doesNotContain("NOT SENT");
    assertThat(drill.api.sent(target)).as("a dry run sends nothing").isEmpty();

    Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000", "--reuse-file-ids");
    assertThat(r.exitCode()).as(r.out()).isZero();
    assertThat(r.out()).contains("3 item(s) by file_id", "every post was restored");
    Matcher uploaded = Pattern.compile("sent now \\(([0-9.,]+) (\\w+) uploaded").matcher(r.out());
    assertThat(uploaded.find()).as(r.out()).isTrue();
    assertThat(uploaded.group(2)).as("only the photos were uploaded: %s", uploaded.group()).isIn("B", "KiB");

    List<SentMessage> sent = drill.api.sent(target);
    List<Drill.Expected> expected = drill.expected();
    assertThat(sent).as("one message per post, in order").hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Drill.Expected e = expected.get(i);
      SentMessage s = sent.get(i);
      String what = "message " + e.messageId();
      if (e.kind() == null) {
        assertThat(s.text()).as(what).isEqualTo(e.text());
        continue;
      }
      assertThat(s.kind()).as(what).isEqualTo(e.kind());
      assertThat(s.sha256Hex()).as(what + ": content").isEqualTo(e.sha256());
      assertThat(s.caption()).as(what).isEqualTo(e.text());
      assertThat(s.mediaGroupId() != null).as(what + ": in an album").isEqualTo(e.mediaGroupId() != null);
    }
    assertThat(sent.get(1).fileIdUsed()).isEqualTo(filmA.files().get(0).fileId());
    assertThat(sent.get(2).fileIdUsed()).isEqualTo(behindTheScenes.files().get(0).fileId());
    assertThat(sent.get(3).fileIdUsed()).as("the album's photo was uploaded").isNull();
    assertThat(sent.get(2).mediaGroupId()).as("one album").isEqualTo(sent.get(3).mediaGroupId());
    assertThat(sent.get(4).fileIdUsed()).isEqualTo(filmC.files().get(0).fileId());
    assertThat(sent.get(5).fileIdUsed()).isNull();

    Drill.Result again = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000", "--reuse-file-ids");
    assertThat(again.exitCode()).as(again.out()).isZero();
    assertThat(again.out()).contains("0 call(s) sent now", "0 item(s) by file_id", "6 done before");
    assertThat(drill.api.sent(target)).hasSize(expected.size());
  }

  @Test
  void anotherBotIsRefusedTheFileIdsAndTheRestoreSaysWhatToDoAndPostsNothingTwice() throws Exception {
    try (FakeBotApi otherBot = FakeBotApi.start(FakeBotApi.Options.defaults()
        .withToken("987654321:OTHER-fake-token_abcdefghijklmnopqrs"))) {
      long target = -1003000000003L;
      otherBot.channel(target, "Restored by a new bot", null);
      Path config = drill.configFor(otherBot, "other-bot.yaml");

      Drill.Result r = drill.cliWith(config, "restore", "--to", Long.toString(target), "--rate", "1000",
          "--reuse-file-ids");
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).as("three refusals in a row of file_ids do not stop the run").doesNotContain("STOPPED");
      assertThat(r.out()).contains("not sent (refused by Telegram",
          "message " + filmA.messageId() + " (sendDocument): document ",
          "messages [" + behindTheScenes.messageId() + ", " + albumPhoto.messageId() + "] (sendMediaGroup): video ",
          "message " + filmC.messageId() + " (sendDocument): document ",
          "is over the 50.0 MB upload limit of the cloud Bot API; its original file_id was refused (Bad Request:"
              + " wrong file identifier/HTTP URL specified): file_ids work only for the bot that received the file,"
              + " while Telegram keeps it; restore with that bot's token, or run a self-hosted Bot API server"
              + " (telegram.localMode) to upload it from the bucket",
          "its other items were not sent either", "3 refused");
      assertThat(occurrences(r.out(), "its original file_id was refused")).isEqualTo(3);
      assertThat(otherBot.sent(target)).extracting(SentMessage::text)
          .containsExactly("Films of the week", null, "That's all");
      assertThat(otherBot.sent(target).get(1).caption()).isEqualTo("Poster");

      Drill.Result again = drill.cliWith(config, "restore", "--to", Long.toString(target), "--rate", "1000",
          "--reuse-file-ids");
      assertThat(again.exitCode()).as(again.out()).isEqualTo(1);
      assertThat(again.out()).contains("0 call(s) sent now", "3 done before", "3 refused");
      assertThat(otherBot.sent(target)).as("nothing posted twice").hasSize(3);
    }
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
