package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Posts without text or files (a poll, a venue, a location, a contact, a dice) are in the backup
 * as the raw message; the export shows them instead of an empty post, and result.json carries them
 * in Telegram Desktop's fields.
 */
class ExportOtherContentTest {
  private static final long CHAT = -1001111111111L;

  @Test
  void pollVenueContactAndDiceAreInIndexHtmlAndResultJson() throws Exception {
    List<PostManifest> posts = List.of(
        post(1, "{\"poll\":{\"id\":\"1\",\"question\":\"Best <colour>?\",\"options\":[{\"text\":\"Red\",\"voter_count\":3},"
            + "{\"text\":\"Blue\",\"voter_count\":5}],\"total_voter_count\":8,\"is_closed\":true,\"is_anonymous\":true,"
            + "\"type\":\"regular\",\"allows_multiple_answers\":false}}"),
        post(2, "{\"venue\":{\"location\":{\"latitude\":48.8606,\"longitude\":2.3376},\"title\":\"Louvre\","
            + "\"address\":\"Rue de Rivoli\"},\"location\":{\"latitude\":48.8606,\"longitude\":2.3376}}"),
        post(3, "{\"location\":{\"latitude\":-33.5,\"longitude\":151.25}}"),
        post(4, "{\"contact\":{\"phone_number\":\"+15550001111\",\"first_name\":\"Ann\",\"last_name\":\"Lee\"}}"),
        post(5, "{\"dice\":{\"emoji\":\"🎲\",\"value\":3}}"));
    Exporter.ChannelInfo info = new Exporter.ChannelInfo(CHAT, "Chan", null);

    String html = Html.page(info, posts, Map.of(), Instant.EPOCH);
    assertThat(html).contains("Best &lt;colour&gt;?", "Red", "Blue", "Louvre", "Rue de Rivoli", "48.8606",
        "-33.5", "151.25", "Ann Lee", "+15550001111", "🎲 3");

    JsonNode messages = Exporter.desktopJson(info, posts, Map.of()).get("messages");
    JsonNode poll = messages.get(0).get("poll");
    assertThat(poll.get("question").asText()).isEqualTo("Best <colour>?");
    assertThat(poll.get("closed").asBoolean()).isTrue();
    assertThat(poll.get("total_voters").asInt()).isEqualTo(8);
    assertThat(poll.get("answers")).extracting(a -> a.get("text").asText() + "=" + a.get("voters").asInt())
        .containsExactly("Red=3", "Blue=5");
    assertThat(messages.get(1).get("place_name").asText()).isEqualTo("Louvre");
    assertThat(messages.get(1).get("address").asText()).isEqualTo("Rue de Rivoli");
    assertThat(messages.get(1).get("location_information").get("latitude").asDouble()).isEqualTo(48.8606);
    assertThat(messages.get(2).get("location_information").get("longitude").asDouble()).isEqualTo(151.25);
    assertThat(messages.get(3).get("contact_information").get("phone_number").asText()).isEqualTo("+15550001111");
    assertThat(messages.get(3).get("contact_information").get("first_name").asText()).isEqualTo("Ann");
    assertThat(messages.get(4).get("dice").get("value").asInt()).isEqualTo(3);
  }

  @Test
  void contentTheExportCannotShowIsNamedNotLeftBlank() {
    PostManifest story = post(6, "{\"story\":{\"chat\":{\"id\":1,\"type\":\"channel\"},\"id\":7}}");
    String html = Html.page(new Exporter.ChannelInfo(CHAT, "Chan", null), List.of(story), Map.of(), Instant.EPOCH);
    assertThat(html).contains("carries a story");
  }

  @Test
  void kindsOfANewerBotApiAreNamedAndPaidMediaShowsItsPriceNotThatItIsNotShown() {
    // found by the content-kinds sweep: a post of a kind the export did not list (a gift, a forum topic, a field of
    // a newer Bot API) was an empty article, and a paid post whose photo and video the export showed still said
    // "this post carries a paid media, which the export does not show"
    PostManifest hologram = post(8, "{\"hologram\":{\"file_id\":\"h\"}}");
    PostManifest paid = post(9, "{\"paid_media\":{\"star_count\":25,\"paid_media\":[{\"type\":\"photo\","
        + "\"photo\":[{\"file_id\":\"p\",\"file_unique_id\":\"pu\",\"width\":1,\"height\":1}]}]}}");
    PostManifest preview = post(10, "{\"paid_media\":{\"star_count\":10,\"paid_media\":[{\"type\":\"preview\"}]}}");
    String html = Html.page(new Exporter.ChannelInfo(CHAT, "Chan", null), List.of(hologram, paid, preview), Map.of(),
        Instant.EPOCH);
    assertThat(html).contains("carries a hologram, which the export does not show", "paid media · 25 stars",
        "paid media · 10 stars · 1 item(s) the bot was shown only as a preview").doesNotContain("carries a paid");
  }

  @Test
  void aForwardSaysWhereFromAReplyWhatToAndACaptionAboveItsMediaStaysAbove() {
    // found by the content-kinds sweep: a forwarded post was exported as the channel's own words, a reply
    // without its link, and a caption the author placed above the photo below it
    PostManifest channel = post(11, "{\"text\":\"news\",\"forward_origin\":{\"type\":\"channel\",\"date\":1,"
        + "\"chat\":{\"id\":-1002,\"title\":\"Other <Chan>\",\"type\":\"channel\"},\"message_id\":5,"
        + "\"author_signature\":\"Bob\"}}");
    PostManifest hidden = post(12, "{\"text\":\"quote\",\"forward_origin\":{\"type\":\"hidden_user\",\"date\":1,"
        + "\"sender_user_name\":\"Secret Person\"}}");
    PostManifest reply = post(13, "{\"text\":\"answer\",\"reply_to_message\":{\"message_id\":11,\"date\":1,"
        + "\"chat\":{\"id\":" + CHAT + ",\"type\":\"channel\"}}}");
    MediaEntry photo = new MediaEntry("photo", "stored", "u14", "f14", "media/u14.jpg", 10L, "00", null, null, 10, 10,
        null, null);
    PostManifest above = new PostManifest("k14", CHAT, 14, 1_767_268_814L, 0, "h", null, null, null, "look up", null,
        true, false, null, List.of(photo), true, Instant.EPOCH, Drill.json("{\"message_id\":14}"));
    Exporter.ChannelInfo info = new Exporter.ChannelInfo(CHAT, "Chan", null);
    List<PostManifest> posts = List.of(channel, hidden, reply, above);

    String html = Html.page(info, posts, Map.of("media/u14.jpg", "photos/p.jpg"), Instant.EPOCH);
    assertThat(html).contains("forwarded from Other &lt;Chan&gt; (Bob)", "forwarded from Secret Person",
        "in reply to <a href=\"#m11\">#11</a>");
    String article = html.substring(html.indexOf("id=\"m14\""));
    assertThat(article.indexOf("look up")).isLessThan(article.indexOf("photos/p.jpg"));

    JsonNode messages = Exporter.desktopJson(info, posts, Map.of()).get("messages");
    assertThat(messages.get(0).get("forwarded_from").asText()).isEqualTo("Other <Chan> (Bob)");
    assertThat(messages.get(1).get("forwarded_from").asText()).isEqualTo("Secret Person");
    assertThat(messages.get(2).get("reply_to_message_id").asLong()).isEqualTo(11);
    assertThat(messages.get(2).has("forwarded_from")).isFalse();
  }

  @Test
  void aServiceMessageIsShownAsOneAndWrittenAsTelegramDesktopsServiceEntry() {
    PostManifest pin = post(7, "{\"pinned_message\":{\"message_id\":2,\"date\":1,\"chat\":{\"id\":-1,\"type\":\"channel\"}}}");
    Exporter.ChannelInfo info = new Exporter.ChannelInfo(CHAT, "Chan", null);
    assertThat(Html.page(info, List.of(pin), Map.of(), Instant.EPOCH)).contains("<div class=\"service\">pinned message 2");
    JsonNode m = Exporter.desktopJson(info, List.of(pin), Map.of()).get("messages").get(0);
    assertThat(m.get("type").asText()).isEqualTo("service");
    assertThat(m.get("action").asText()).isEqualTo("pin_message");
    assertThat(m.get("message_id").asLong()).isEqualTo(2);
    assertThat(m.get("actor").asText()).isEqualTo("Chan");
  }

  private static PostManifest post(long id, String content) {
    ObjectNode msg = (ObjectNode) Drill.json(content);
    msg.put("message_id", id).put("date", 1_767_268_800L + id);
    msg.putObject("chat").put("id", CHAT).put("title", "Chan").put("type", "channel");
    ObjectNode manifest = BucketReader.JSON.createObjectNode();
    manifest.put("format", "channel-mirror/manifest/v1").put("chat_id", CHAT).put("message_id", id)
        .put("date", 1_767_268_800L + id).put("edit_date", 0).put("complete", true);
    manifest.putArray("media");
    manifest.set("message", msg);
    return BucketReader.parse("channels/" + CHAT + "/posts/" + id + ".json", manifest);
  }
}
