package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** sendPoll, sendVenue, sendDice and sendPaidMedia check what the real server checks and answer a Message. */
class ContentSendsIT extends FakeBotFixture {
  static final long CH = -1001112223335L;
  Channel channel;

  @BeforeEach
  void createChannel() {
    channel = api.channel(CH, "Target", "target_channel");
  }

  @Test
  void aChannelTakesAnonymousPollsAndAQuizNeedsItsCorrectOption() throws Exception {
    String options = "\"options\":[{\"text\":\"Lima\"},{\"text\":\"Quito\"}]";
    assertThat(error("sendPoll", "\"question\":\"Capital?\"," + options + ",\"is_anonymous\":false"))
        .isEqualTo("Bad Request: Non-anonymous polls can't be sent to channel chats");
    assertThat(error("sendPoll", "\"question\":\"Capital?\"," + options + ",\"type\":\"quiz\""))
        .isEqualTo("Bad Request: quiz must have a correct option");
    assertThat(error("sendPoll", "\"question\":\"\"," + options)).startsWith("Bad Request:");
    assertThat(api.sent(CH)).isEmpty();

    JsonNode m = ok("sendPoll", "\"question\":\"Capital?\"," + options + ",\"type\":\"quiz\","
        + "\"correct_option_ids\":[0],\"explanation\":\"since 1535\",\"is_closed\":true");
    assertThat(m.get("sender_chat").get("id").asLong()).isEqualTo(CH);
    JsonNode poll = m.get("poll");
    assertThat(poll.get("question").asText()).isEqualTo("Capital?");
    assertThat(poll.get("options")).extracting(o -> o.get("text").asText() + "/" + o.get("voter_count").asInt())
        .containsExactly("Lima/0", "Quito/0");
    assertThat(poll.get("type").asText()).isEqualTo("quiz");
    assertThat(poll.get("correct_option_id").asInt()).isZero();
    assertThat(poll.get("is_closed").asBoolean()).isTrue();
    assertThat(poll.get("is_anonymous").asBoolean()).isTrue();
    assertThat(api.sent(CH)).singleElement().satisfies(s -> assertThat(s.method()).isEqualTo("sendpoll"));
  }

  @Test
  void aVenueNeedsItsTitleAndComesBackWithItsLocationAndADiceWithItsEmoji() throws Exception {
    String place = "\"latitude\":41.4,\"longitude\":2.17,\"address\":\"Moll de la Fusta 1\"";
    assertThat(error("sendVenue", place)).isEqualTo("Bad Request: Parameter \"title\" is required");
    assertThat(error("sendLocation", "\"latitude\":95,\"longitude\":2")).isEqualTo("Bad Request: LOCATION_INVALID");
    JsonNode venue = ok("sendVenue", place + ",\"title\":\"Harbour café\",\"google_place_id\":\"ChIJ5\"");
    List<String> keys = new java.util.ArrayList<>();
    venue.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsSubsequence("location", "venue");
    assertThat(venue.get("venue").get("title").asText()).isEqualTo("Harbour café");
    assertThat(venue.get("venue").get("google_place_id").asText()).isEqualTo("ChIJ5");
    assertThat(venue.get("location").get("latitude").asDouble()).isEqualTo(41.4);

    assertThat(error("sendDice", "\"emoji\":\"🍕\"")).isEqualTo("Bad Request: DICE_EMOJI_INVALID");
    JsonNode dice = ok("sendDice", "\"emoji\":\"🏀\"").get("dice");
    assertThat(dice.get("emoji").asText()).isEqualTo("🏀");
    assertThat(dice.get("value").asInt()).isBetween(1, 5);
  }

  @Test
  void paidMediaTakesPhotosAndVideosAtAPriceAsOneMessage() throws Exception {
    FileRef photo = last(channel.post().photo(FileContent.jpeg(7, 400, 300)).publish().files());
    FileRef doc = channel.post().document(FileContent.random(8, 100), "a.pdf", "application/pdf").publish()
        .files().get(0);
    FileRef video = channel.post().video(FileContent.random(9, 5000), "v.mp4", "video/mp4", 640, 360, 5).publish()
        .files().get(0);
    String media = "\"media\":[{\"type\":\"photo\",\"media\":\"" + photo.fileId() + "\"},{\"type\":\"video\","
        + "\"media\":\"" + video.fileId() + "\",\"width\":640,\"height\":360}]";
    assertThat(error("sendPaidMedia", "\"star_count\":0," + media))
        .isEqualTo("Bad Request: star_count must be between 1 and 25000");
    assertThat(error("sendPaidMedia", "\"star_count\":5,\"media\":[{\"type\":\"document\",\"media\":\""
        + doc.fileId() + "\"}]")).startsWith("Bad Request: Can't parse InputPaidMedia");
    int before = api.sent(CH).size();

    JsonNode m = ok("sendPaidMedia", "\"star_count\":25,\"caption\":\"for supporters\"," + media);
    JsonNode info = m.get("paid_media");
    assertThat(info.get("star_count").asInt()).isEqualTo(25);
    assertThat(info.get("paid_media")).extracting(i -> i.get("type").asText()).containsExactly("photo", "video");
    assertThat(info.get("paid_media").get(1).get("video").get("width").asInt()).isEqualTo(640);
    assertThat(m.get("caption").asText()).isEqualTo("for supporters");
    List<SentMessage> sent = api.sent(CH).subList(before, api.sent(CH).size());
    assertThat(sent).extracting(SentMessage::messageId).containsOnly(m.get("message_id").asInt());
    assertThat(sent).extracting(SentMessage::sha256Hex).containsExactly(photo.content().sha256Hex(),
        video.content().sha256Hex());
  }

  private JsonNode ok(String method, String fields) throws Exception {
    BotHttp.Resp r = http.json(method, "{\"chat_id\":" + CH + "," + fields + "}");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    return r.result();
  }

  private String error(String method, String fields) throws Exception {
    BotHttp.Resp r = http.json(method, "{\"chat_id\":" + CH + "," + fields + "}");
    assertThat(r.status()).as(r.json().toString()).isEqualTo(400);
    return r.json().get("description").asText();
  }

  private static FileRef last(List<FileRef> files) {
    return files.get(files.size() - 1);
  }
}
