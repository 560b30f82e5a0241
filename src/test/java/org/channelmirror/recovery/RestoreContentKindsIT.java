package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.SentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polls, quizzes, places, contacts, dice and paid media are re-posted with the Bot API's own methods, from the
 * bucket alone, in the original order, journaled like every other send.
 */
class RestoreContentKindsIT {
  private static final String POLL = "{\"id\":\"501\",\"question\":\"Lunch?\",\"options\":[{\"text\":\"Soup\","
      + "\"voter_count\":3},{\"text\":\"Salad\",\"voter_count\":1}],\"total_voter_count\":4,\"is_closed\":false,"
      + "\"is_anonymous\":true,\"allows_multiple_answers\":true,\"type\":\"regular\"}";
  /** A closed quiz: the only kind whose correct answer Telegram shows a bot that did not send it. */
  private static final String QUIZ = "{\"id\":\"502\",\"question\":\"Capital of Peru?\",\"options\":[{\"text\":"
      + "\"Lima\",\"voter_count\":5},{\"text\":\"Quito\",\"voter_count\":2}],\"total_voter_count\":7,"
      + "\"is_closed\":true,\"is_anonymous\":true,\"allows_multiple_answers\":false,\"type\":\"quiz\","
      + "\"correct_option_id\":0,\"explanation\":\"Lima, since 1535\",\"explanation_entities\":[{\"type\":\"bold\","
      + "\"offset\":0,\"length\":4}]}";
  private static final String LOCATION = "{\"latitude\":-12.046374,\"longitude\":-77.042793,"
      + "\"horizontal_accuracy\":25.5}";
  private static final String VENUE = "{\"location\":{\"latitude\":41.40338,\"longitude\":2.17403},\"title\":"
      + "\"Harbour café\",\"address\":\"Moll de la Fusta 1\",\"foursquare_id\":\"4b0587f1f964a5205\","
      + "\"google_place_id\":\"ChIJ5TCOcRaYpBIRCmZHTz37sEQ\"}";
  private static final String CONTACT = "{\"phone_number\":\"+34600000000\",\"first_name\":\"Anna\",\"last_name\":"
      + "\"K.\",\"vcard\":\"BEGIN:VCARD\\nVERSION:3.0\\nFN:Anna K.\\nEND:VCARD\"}";

  @TempDir
  Path tmp;

  @Test
  void everyKindIsPostedAgainWithItsOwnMethodInOrderAndOnlyOnce() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      drill.published.add(drill.source.post().text("before").publish());
      drill.published.add(drill.source.post().raw("poll", Drill.json(POLL)).publish());
      drill.published.add(drill.source.post().raw("poll", Drill.json(QUIZ)).publish());
      drill.published.add(drill.source.post().raw("location", Drill.json(LOCATION)).publish());
      // Telegram sends a venue with its location beside it
      drill.published.add(drill.source.post().raw("location", Drill.json(VENUE).get("location"))
          .raw("venue", Drill.json(VENUE)).publish());
      drill.published.add(drill.source.post().raw("contact", Drill.json(CONTACT)).publish());
      drill.published.add(drill.source.post().raw("dice", Drill.json("{\"emoji\":\"🎳\",\"value\":4}")).publish());
      PublishedPost paid = drill.source.post().paidPhoto(50, FileContent.jpeg(301, 800, 600))
          .paidVideo(50, FileContent.random(302, 180_000), "teaser.mp4", "video/mp4", 1280, 720, 12)
          .caption("Backstage, for supporters").publish();
      drill.published.add(paid);
      drill.published.add(drill.source.post().text("after").publish());
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      long target = drill.target(-1002000000401L);
      Drill.Result plan = drill.cli("restore", "--to", Long.toString(target), "--dry-run");
      assertThat(plan.out()).contains("sendPoll", "poll: Lunch?", "sendVenue", "venue: Harbour café", "sendContact",
          "contact: Anna K.", "sendDice", "dice 🎳", "sendLocation", "sendPaidMedia", "paid media, 50 stars: photo")
          .doesNotContain("NOT SENT");
      assertThat(drill.api.sent(target)).isEmpty();

      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("votes cannot be restored: the poll starts again with none (it had 4)",
          "a dice is thrown again: Telegram picks a new value (it showed 4)", "every post was restored");
      List<SentMessage> sent = drill.api.sent(target);
      assertThat(sent).extracting(SentMessage::method).containsExactly("sendmessage", "sendpoll", "sendpoll",
          "sendlocation", "sendvenue", "sendcontact", "senddice", "sendpaidmedia", "sendpaidmedia", "sendmessage");
      assertThat(sent.get(0).text()).isEqualTo("before");
      assertThat(sent.get(9).text()).isEqualTo("after");

      JsonNode poll = sent.get(1).params();
      assertThat(poll.path("question").asText()).isEqualTo("Lunch?");
      assertThat(Drill.json(poll.path("options").asText())).isEqualTo(Drill.json("[{\"text\":\"Soup\"},"
          + "{\"text\":\"Salad\"}]"));
      assertThat(poll.path("is_anonymous").asText()).isEqualTo("true");
      assertThat(poll.path("type").asText()).isEqualTo("regular");
      assertThat(poll.path("allows_multiple_answers").asText()).isEqualTo("true");
      assertThat(poll.has("is_closed")).isFalse();

      JsonNode quiz = sent.get(2).params();
      assertThat(quiz.path("type").asText()).isEqualTo("quiz");
      assertThat(Drill.json(quiz.path("correct_option_ids").asText())).isEqualTo(Drill.json("[0]"));
      assertThat(quiz.path("explanation").asText()).isEqualTo("Lima, since 1535");
      assertThat(Drill.json(quiz.path("explanation_entities").asText()))
          .isEqualTo(Drill.json(QUIZ).get("explanation_entities"));
      assertThat(quiz.path("is_closed").asText()).isEqualTo("true");

      JsonNode location = sent.get(3).params();
      assertThat(location.path("latitude").asDouble()).isEqualTo(-12.046374);
      assertThat(location.path("longitude").asDouble()).isEqualTo(-77.042793);
      assertThat(location.path("horizontal_accuracy").asDouble()).isEqualTo(25.5);

      JsonNode venue = sent.get(4).params();
      assertThat(venue.path("latitude").asDouble()).isEqualTo(41.40338);
      assertThat(venue.path("longitude").asDouble()).isEqualTo(2.17403);
      assertThat(venue.path("title").asText()).isEqualTo("Harbour café");
      assertThat(venue.path("address").asText()).isEqualTo("Moll de la Fusta 1");
      assertThat(venue.path("foursquare_id").asText()).isEqualTo("4b0587f1f964a5205");
      assertThat(venue.path("google_place_id").asText()).isEqualTo("ChIJ5TCOcRaYpBIRCmZHTz37sEQ");

      JsonNode contact = sent.get(5).params();
      for (String f : List.of("phone_number", "first_name", "last_name", "vcard")) {
        assertThat(contact.path(f).asText()).as(f).isEqualTo(Drill.json(CONTACT).path(f).asText());
      }
      assertThat(sent.get(6).params().path("emoji").asText()).isEqualTo("🎳");

      // one paid message carrying the backed-up photo (its largest size) and video, byte for byte
      List<FileRef> files = paid.files();
      assertThat(sent.subList(7, 9)).extracting(SentMessage::messageId).containsOnly(sent.get(7).messageId());
      assertThat(sent.subList(7, 9)).extracting(SentMessage::kind).containsExactly("photo", "video");
      assertThat(sent.get(7).sha256Hex()).isEqualTo(files.get(files.size() - 2).content().sha256Hex());
      assertThat(sent.get(8).sha256Hex()).isEqualTo(files.get(files.size() - 1).content().sha256Hex());
      JsonNode paidParams = sent.get(7).params();
      assertThat(paidParams.path("star_count").asText()).isEqualTo("50");
      assertThat(paidParams.path("caption").asText()).isEqualTo("Backstage, for supporters");
      JsonNode media = Drill.json(paidParams.path("media").asText());
      assertThat(media).extracting(m -> m.path("type").asText()).containsExactly("photo", "video");
      assertThat(media.get(1).path("width").asInt()).isEqualTo(1280);
      assertThat(media.get(1).path("duration").asInt()).isEqualTo(12);

      // the journal holds the new kinds like any other send: a rerun posts nothing again
      Drill.Result again = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(again.exitCode()).as(again.out()).isZero();
      assertThat(again.out()).contains("0 call(s) sent now", "9 done before");
      assertThat(drill.api.sent(target)).hasSize(sent.size());
    }
  }

  @Test
  void aLivePhotoIsPostedAgainAsALivePhotoWithItsVideoAndStill() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      FileContent video = FileContent.random(411, 120_000);
      FileContent still = FileContent.jpeg(412, 640, 480);
      drill.published.add(drill.source.post().livePhoto(video, still, 640, 480, 3).caption("moving harbour")
          .publish());
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      long target = drill.target(-1002000000402L);
      Drill.Result plan = drill.cli("restore", "--to", Long.toString(target), "--dry-run");
      assertThat(plan.out()).contains("sendLivePhoto").doesNotContain("NOT SENT", "moving part");
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("every post was restored");
      SentMessage sent = org.assertj.core.api.Assertions.assertThat(drill.api.sent(target)).singleElement().actual();
      assertThat(sent.method()).isEqualTo("sendlivephoto");
      assertThat(sent.caption()).isEqualTo("moving harbour");
      assertThat(sent.sha256Hex()).isEqualTo(video.sha256Hex());
      // the still, byte-identical to the largest size that was backed up
      String stillSha = sent.params().path("file1").path("sha256").asText();
      assertThat(stillSha).isNotEmpty();
      FileRef largest = drill.published.get(0).files().get(drill.published.get(0).files().size() - 2);
      assertThat(stillSha).isEqualTo(largest.content().sha256Hex());
      // a rerun sends nothing more
      assertThat(drill.cli("restore", "--to", Long.toString(target), "--rate", "1000").exitCode()).isZero();
      assertThat(drill.api.sent(target)).hasSize(1);
    }
  }
}
