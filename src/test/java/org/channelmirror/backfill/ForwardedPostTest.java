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
    JsonNode post = ForwardedPost.toChannelPost(fwd, -1001234567890L, 12);
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
    JsonNode post = ForwardedPost.toChannelPost(fwd, -1001234567890L, 3);
    assertThat(post.path("date").asLong()).isEqualTo(1600000000L);
    assertThat(post.path("text").asText()).isEqualTo("old");
    assertThat(post.has("author_signature")).isFalse();
  }

  @Test
  void refusesAForwardOfSomethingElse() throws Exception {
    JsonNode otherChannel = forward("\"forward_origin\":{\"type\":\"channel\",\"chat\":" + CHANNEL_CHAT
        + ",\"message_id\":5,\"date\":1}", "\"text\":\"x\"");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(otherChannel, -1009999999999L, 5))
        .hasMessageContaining("not from channel -1009999999999");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(otherChannel, -1001234567890L, 6))
        .hasMessageContaining("of message 5, not 6");
    JsonNode user = forward("\"forward_origin\":{\"type\":\"user\",\"sender_user\":{\"id\":1},\"date\":1}",
        "\"text\":\"x\"");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(user, -1001234567890L, 5)).hasMessageContaining("user");
    JsonNode plain = JSON.readTree("{\"message_id\":1,\"chat\":{\"id\":1},\"date\":1,\"text\":\"x\"}");
    assertThatThrownBy(() -> ForwardedPost.toChannelPost(plain, -1001234567890L, 1))
        .hasMessageContaining("not a forward");
  }

  @Test
  void rangesAreCompact() {
    assertThat(Ranges.of(List.of(1L, 2L, 3L, 5L, 7L, 8L))).isEqualTo("1-3, 5, 7-8");
    assertThat(Ranges.of(List.of())).isEmpty();
  }
}
