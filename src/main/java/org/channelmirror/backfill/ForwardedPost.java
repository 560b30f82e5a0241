package org.channelmirror.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.channelmirror.backup.Manifests;

/**
 * Turns the message forwardMessage returned in the staging chat back into the channel post it
 * copies: the channel's chat, message id, date and signature come from {@code forward_origin};
 * the content (text, caption, entities, media with file_ids this bot can download) stays as
 * returned. Pure; no I/O.
 */
public final class ForwardedPost {
  /** Fields that describe the forward in the staging chat, not the channel post. */
  private static final Set<String> STAGING_ONLY = Set.of("message_id", "from", "sender_chat", "chat", "date",
      "edit_date", "forward_origin", "forward_from", "forward_from_chat", "forward_from_message_id",
      "forward_signature", "forward_sender_name", "forward_date", "is_automatic_forward", "message_thread_id",
      "is_topic_message", "reply_to_message", "reply_markup", "via_bot", "author_signature", "has_protected_content",
      "sender_boost_count", "sender_business_bot", "business_connection_id");

  private ForwardedPost() {}

  /**
   * The channel post {@code messageId} of {@code channelId} that {@code forwarded} copies.
   *
   * @throws IllegalArgumentException the forward is not of that post (no channel origin, another chat or id)
   */
  public static ObjectNode toChannelPost(JsonNode forwarded, long channelId, long messageId) {
    if (forwarded == null || !forwarded.isObject()) {
      throw new IllegalArgumentException("forwardMessage returned no message");
    }
    JsonNode origin = forwarded.path("forward_origin");
    JsonNode chat;
    long date;
    String signature;
    long originId;
    if (origin.isObject()) {
      if (!origin.path("type").asText().equals("channel")) {
        throw new IllegalArgumentException("the forward's origin is a " + origin.path("type").asText("?")
            + ", not a channel post");
      }
      chat = origin.path("chat");
      date = origin.path("date").asLong(0);
      signature = origin.hasNonNull("author_signature") ? origin.get("author_signature").asText() : null;
      originId = origin.path("message_id").asLong(messageId);
    } else if (forwarded.path("forward_from_chat").isObject()) {
      // servers before Bot API 7.0 only have the legacy fields
      chat = forwarded.get("forward_from_chat");
      date = forwarded.path("forward_date").asLong(0);
      signature = forwarded.hasNonNull("forward_signature") ? forwarded.get("forward_signature").asText() : null;
      originId = forwarded.path("forward_from_message_id").asLong(messageId);
    } else {
      throw new IllegalArgumentException("the answer has no forward_origin: it is not a forward");
    }
    if (!chat.isObject() || chat.path("id").asLong() != channelId) {
      throw new IllegalArgumentException("the forward comes from chat " + chat.path("id").asText("?")
          + ", not from channel " + channelId);
    }
    if (originId != messageId) {
      throw new IllegalArgumentException("the forward is of message " + originId + ", not " + messageId);
    }
    // the key order of a live channel_post, so manifests of both kinds read alike
    ObjectNode post = JsonNodeFactory.instance.objectNode();
    post.put("message_id", messageId);
    if (signature != null) {
      post.put("author_signature", signature);
    }
    post.set("sender_chat", chat.deepCopy());
    post.set("chat", chat.deepCopy());
    post.put("date", date);
    forwarded.properties().forEach(f -> {
      if (!STAGING_ONLY.contains(f.getKey())) {
        post.set(f.getKey(), f.getValue().deepCopy());
      }
    });
    post.put(Manifests.SOURCE_FIELD, Manifests.SOURCE_BACKFILL);
    return post;
  }
}
