package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.channelmirror.fakebot.MessageEntityJson;
import org.channelmirror.fakebot.SentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fields of a post beyond its text and files that the restore must carry over, found by the
 * recovery sweep against an independent fake Bot API.
 */
class RestoreMessageFieldsIT {
  @TempDir
  Path tmp;

  @Test
  void aTextPostKeepsItsLinkPreviewOptions() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      String text = "Read https://example.com/story first";
      MessageEntityJson url = MessageEntityJson.of("url", 5, "https://example.com/story".length());
      JsonNode options = Drill.json("{\"url\":\"https://example.com/story\",\"prefer_large_media\":true,"
          + "\"show_above_text\":true}");
      drill.published.add(drill.source.post().text(text, url).raw("link_preview_options", options).publish());
      drill.published.add(drill.source.post().text("previews off", MessageEntityJson.of("bold", 0, 8))
          .raw("link_preview_options", Drill.json("{\"is_disabled\":true}")).publish());
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      long target = drill.target(-1002000000303L);
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isZero();
      List<SentMessage> sent = drill.api.sent(target);
      assertThat(sent).extracting(SentMessage::text).containsExactly(text, "previews off");
      assertThat(Drill.json(sent.get(0).params().path("link_preview_options").asText())).isEqualTo(options);
      assertThat(Drill.json(sent.get(1).params().path("link_preview_options").asText()))
          .isEqualTo(Drill.json("{\"is_disabled\":true}"));
    }
  }

  @Test
  void aReplyGoesOutAsAReplyToTheCopyOfThePostItAnswered() throws Exception {
    // found by the content-kinds sweep: a reply to an earlier post of the channel was restored as a plain post,
    // losing the link between the two, though the journal knows the copy's message id
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      org.channelmirror.fakebot.PublishedPost question = drill.source.post().text("question").publish();
      drill.published.add(question);
      drill.published.add(drill.source.post().text("answer").raw("reply_to_message", question.message()).publish());
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      long target = drill.target(-1002000000305L);
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isZero();
      List<SentMessage> sent = drill.api.sent(target);
      assertThat(sent).extracting(SentMessage::text).containsExactly("question", "answer");
      assertThat(sent.get(0).params().has("reply_parameters")).isFalse();
      JsonNode reply = Drill.json(sent.get(1).params().path("reply_parameters").asText());
      assertThat(reply.path("message_id").asInt()).isEqualTo(sent.get(0).messageId());
    }
  }

  @Test
  void theProgressReachesEveryPostAlsoThoseWithNothingToSend() throws Exception {
    // found by the recovery sweep: a poll (then reported as not sent) was never counted, so the bar of a
    // finished restore stopped short ("posts 4/7"); a forwarded story is such a post now
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      drill.published.add(drill.source.post().text("before").publish());
      drill.published.add(drill.source.post().raw("story", Drill.json("{\"chat\":{\"id\":-1001111111111,"
          + "\"type\":\"channel\"},\"id\":5}")).publish());
      drill.published.add(drill.source.post().text("after").publish());
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      long target = drill.target(-1002000000304L);
      java.util.concurrent.atomic.AtomicLong planned = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
      Progress progress = new Progress() {
        @Override
        public void planned(String what, long items, long bytes) {
          planned.set(items);
        }

        @Override
        public void items(long items) {
          done.addAndGet(items);
        }
      };
      org.channelmirror.config.Config config = drill.config();
      try (org.channelmirror.storage.ObjectStore store = drill.store();
          org.channelmirror.telegram.BotApi api = new org.channelmirror.telegram.BotApi(config.telegram(),
              java.time.Clock.systemUTC())) {
        RestoreReport r = new Restorer(new BucketReader(store), api, false, java.time.Clock.systemUTC()).restore(
            new Restorer.Options(null, target, null, null, false, 1000, false, false, drill.dataDir.resolve("restore"),
                false), progress);
        assertThat(r.sentNow()).isEqualTo(2);
      }
      assertThat(planned.get()).isEqualTo(3);
      assertThat(done.get()).isEqualTo(3);
    }
  }
}
