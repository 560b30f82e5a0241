package org.channelmirror.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardedPostTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CHANNEL_CHAT = "{\"id\":-1001234567890,\"title\":\"My channel\",\"type\":\"channel\"}";

  /** A forward into the owner's private chat, shaped like Bot API 7+ answers it (BOTAPI §2.5). */
  static JsonNode forward(String origin, String content) throws Exception {
    return JSON.readTree("{\"message_id\":77,\"from\":{\"id\":42,\"is_bot\":true,\"first_name\":\"Bot\"},"
        + "\"chat\":{\"id\":5550001111,\"first_name\":\"Anna\",\"type\":\"private\"},\"date\":1800000000,"
        + origin + "," + content + "}");
  }

  @Test
  void rebuildsTheChannelPostFromTheForwardOrigin() throws Exception {
    JsonNode fwd = forward("\"forward_origin\":{\"type\":\"channel\",\"chat\":" + CHANNEL_CHAT + ",\"message_id\":12,"
            + "\"author_signature\":\"Anna\",\"date\":1700000000},\"forward_from_chat\":" + CHANNEL_CHAT
            + ",\"forward_from_message_id\":12,\"forward_signature\":\"Anna\",\"forward_date\":1700000000",
        "\"photo\":[{\"file_id\":\"A\",\"file_unique_id\":\"u1\",\"width\":90,\"height\":60}],\"caption\":\"hi\","
            + "\"caption_entities\":[{\"offset\":0,\"length\":2,\"type\":\"bold\"}]");
    JsonNode post = ForwardedPost.toChannelPost(fwd, null, -1001234567890L, 12, () -> 0);
    List<String> keys = new ArrayList<>();
    post.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("message_id", "author_signature", "sender_chat", "chat", "date", "photo",
        "caption", "caption_entities", "channel_mirror_source");
    assertThat(post.path("message_id").asLong()).isEqualTo(12);
    assertThat(post.path("date").asLong()).isEqualTo(1700000000L);
    assertThat(post.path("chat")).isEqualTo(JSON.readTree(CHANNEL_CHAT));
    assertThat(post.path("photo")).isEqualTo(fwd.path("photo"));
    assertThat(post.path("caption_entities")).isEqualTo(fwd.path("caption_entities"));
    assertThat(post.path("channel_mirror_source").asText()).isEqualTo("backfill");
  }

  @Test
  void readsTheLegacyForwardFieldsOfOlderServers() throws Exception {
    JsonNode fwd = forward("\"forward_from_chat\":" + CHANNEL_CHAT + ",\"forward_from_message_id\":3,"
        + "\"forward_date\":1600000000", "\"text\":\"old\"");
    JsonNode post = ForwardedPost.toChannelPost(fwd, null, -1001234567890L, 3, () -> 0);
    assertThat(post.path("date").asLong()).isEqualTo(1600000000L);
    assertThat(post.path("text").asText()).isEqualTo("old");
    assertThat(post.has("author_signature")).isFalse();
  }

  /** getChat's answer for the channel: many more fields than a post's chat has. */
  static final String GET_CHAT = "{\"id\":-1001234567890,\"title\":\"My channel\",\"type\":\"channel\","
      + "\"description\":\"all about it\",\"has_protected_content\":false,\"accent_color_id\":3}";

  @Test
  void aRepostKeepsTheOriginalsOriginAndBecomesThisChannelsPost() throws Exception {
    String other = "{\"id\":-1009999999999,\"title\":\"Other\",\"username\":\"other\",\"type\":\"channel\"}";
    JsonNode fromOtherChannel = forward("\"forward_origin\":{\"type\":\"channel\",\"chat\":" + other
        + ",\"message_id\":5,\"author_signature\":\"Bob\",\"date\":1600000000},\"forward_from_chat\":" + other
        + ",\"forward_from_message_id\":5,\"forward_signature\":\"Bob\",\"forward_date\":1600000000",
        "\"text\":\"reposted\"");
    JsonNode post = ForwardedPost.toChannelPost(fromOtherChannel, JSON.readTree(GET_CHAT), -1001234567890L, 40,
        () -> 1700000000L);
    List<String> keys = new ArrayList<>();
    post.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("message_id", "sender_chat", "chat", "date", "forward_origin",
        "forward_from_chat", "forward_from_message_id", "forward_signature", "forward_date", "text",
        "channel_mirror_source");
    assertThat(post.path("message_id").asLong()).isEqualTo(40);
    assertThat(post.path("chat")).isEqualTo(JSON.readTree(CHANNEL_CHAT));
    assertThat(post.path("sender_chat")).isEqualTo(JSON.readTree(CHANNEL_CHAT));
    assertThat(post.path("date").asLong()).as("no older than the post before it").isEqualTo(1700000000L);
    assertThat(post.path("forward_origin")).isEqualTo(fromOtherChannel.path("forward_origin"));
    assertThat(post.has("author_signature")).as("the original's signature is not the repost's").isFalse();

    JsonNode fromUser = forward("\"forward_origin\":{\"type\":\"user\",\"sender_user\":{\"id\":1,\"is_bot\":false,"
        + "\"first_name\":\"Eve\"},\"date\":1750000000},\"forward_from\":{\"id\":1,\"is_bot\":false,"
        + "\"first_name\":\"Eve\"},\"forward_date\":1750000000", "\"text\":\"quoted\"");
    post = ForwardedPost.toChannelPost(fromUser, null, -1001234567890L, 41, () -> 1700000000L);
    assertThat(post.path("chat").toString()).isEqualTo("{\"id\":-1001234567890,\"type\":\"channel\"}");
    assertThat(post.path("date").asLong()).as("no older than the original").isEqualTo(1750000000L);
    assertThat(post.path("forward_from").path("first_name").asText()).isEqualTo("Eve");

    JsonNode hidden = forward("\"forward_origin\":{\"type\":\"hidden_user\",\"sender_user_name\":\"Anon\","
        + "\"date\":1},\"forward_sender_name\":\"Anon\",\"forward_date\":1", "\"text\":\"x\"");
    assertThat(ForwardedPost.toChannelPost(hidden, null, -1001234567890L, 42, () -> 5).path("forward_sender_name")
        .asText()).isEqualTo("Anon");
    JsonNode legacyUserOnly = forward("\"forward_sender_name\":\"Anon\",\"forward_date\":1", "\"text\":\"x\"");
    assertThat(ForwardedPost.toChannelPost(legacyUserOnly, null, -1001234567890L, 43, () -> 5).path("message_id")
        .asLong()).isEqualTo(43);
  }

  @Test
  void aRepostOfTheChannelsOwnOlderPostIsThePostAskedFor() throws Exception {
    JsonNode ownOlder = forward("\"forward_origin\":{\"type\":\"channel\",\"chat\":" + CHANNEL_CHAT
        + ",\"message_id\":5,\"date\":1600000000}", "\"text\":\"again\"");
    JsonNode post = ForwardedPost.toChannelPost(ownOlder, JSON.readTree(GET_CHAT), -1001234567890L, 6,
        () -> 1650000000L);
    assertThat(post.path("message_id").asLong()).isEqualTo(6);
    assertThat(post.path("date").asLong()).isEqualTo(1650000000L);
    assertThat(post.path("forward_origin").path("message_id").asLong()).as("still says which post it repeats")
        .isEqualTo(5);
  }

  @Test
  void refusesAnAnswerThatIsNoForward() throws Exception {
    JsonNode plain = JSON.readTree("{\"message_id\":1,\"chat\":{\"id\":1},\"date\":1,\"text\":\"x\"}");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(plain, null, -1001234567890L, 1, () -> 0))
        .hasMessageContaining("not a forward");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(null, null, -1001234567890L, 1, () -> 0))
        .hasMessageContaining("no message");
  }

  @Test
  void rangesAreCompact() {
    assertThat(Ranges.of(List.of(1L, 2L, 3L, 5L, 7L, 8L))).isEqualTo("1-3, 5, 7-8");
    assertThat(Ranges.of(List.of())).isEmpty();
  }
}
