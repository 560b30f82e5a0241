package org.channelmirror.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.function.LongSupplier;
import org.channelmirror.backup.Manifests;

/**
 * Turns the message forwardMessage returned in the staging chat back into the channel post it
 * copies: the channel's chat, message id, date and signature come from {@code forward_origin};
 * the content (text, caption, entities, media with file_ids this bot can download) stays as
 * returned. Pure; no I/O.
 *
 * <p>A post that is itself a forward (a repost from another channel, a user, or an older post of
 * the same channel) keeps its original origin when forwarded again, as in Telegram's apps. Its
 * {@code forward_origin} then describes the original, which is exactly what the live channel post
 * carries too, so it stays in the post; only the repost's own date and signature are not shown.
 */
public final class ForwardedPost {
  /** Fields that describe the forward in the staging chat, not the channel post. */
  private static final Set<String> STAGING_ONLY = Set.of("message_id", "from", "sender_chat", "chat", "date",
      "edit_date", "is_automatic_forward", "message_thread_id", "is_topic_message", "reply_to_message",
      "reply_markup", "via_bot", "author_signature", "has_protected_content", "sender_boost_count",
      "sender_business_bot", "business_connection_id");
  /** Fields that describe the forward's origin: the channel post's own identity, or the original of a repost. */
  private static final Set<String> ORIGIN = Set.of("forward_origin", "forward_from", "forward_from_chat",
      "forward_from_message_id", "forward_signature", "forward_sender_name", "forward_date");

  private ForwardedPost() {}

  /**
   * The channel post {@code messageId} of {@code channelId} that {@code forwarded} copies.
   *
   * @param channelChat the channel as getChat describes it, or null when unknown; the chat of a repost
   * @param repostDate the date to give a repost, whose own date Telegram does not show (at least the original's);
   *     asked only for a repost
   * @throws IllegalArgumentException the answer is not a forward at all
   */
  public static ObjectNode toChannelPost(JsonNode forwarded, JsonNode channelChat, long channelId, long messageId,
      LongSupplier repostDate) {
    if (forwarded == null || !forwarded.isObject()) {
      throw new IllegalArgumentException("forwardMessage returned no message");
    }
    JsonNode origin = forwarded.path("forward_origin");
    String type;
    JsonNode chat;
    long date;
    String signature;
    long originId;
    if (origin.isObject()) {
      type = origin.path("type").asText();
      chat = origin.path("chat");
      date = origin.path("date").asLong(0);
      signature = origin.hasNonNull("author_signature") ? origin.get("author_signature").asText() : null;
      originId = origin.path("message_id").asLong(messageId);
    } else if (forwarded.path("forward_from_chat").isObject()) {
      // servers before Bot API 7.0 only have the legacy fields
      type = "channel";
      chat = forwarded.get("forward_from_chat");
      date = forwarded.path("forward_date").asLong(0);
      signature = forwarded.hasNonNull("forward_signature") ? forwarded.get("forward_signature").asText() : null;
      originId = forwarded.path("forward_from_message_id").asLong(messageId);
    } else if (forwarded.has("forward_from") || forwarded.has("forward_sender_name")) {
      type = "user";
      chat = null;
      date = forwarded.path("forward_date").asLong(0);
      signature = null;
      originId = 0;
    } else {
      throw new IllegalArgumentException("the answer has no forward_origin: it is not a forward");
    }
    boolean thePostItself = type.equals("channel") && chat != null && chat.isObject()
        && chat.path("id").asLong() == channelId && originId == messageId;
    ObjectNode post = JsonNodeFactory.instance.objectNode();
    post.put("message_id", messageId);
    if (thePostItself) {
      if (signature != null) {
        post.put("author_signature", signature);
      }
    } else {
      chat = channelChat(channelChat, channelId);
      date = Math.max(date, repostDate.getAsLong());
    }
    // the key order of a live channel_post, so manifests of both kinds read alike
    post.set("sender_chat", chat.deepCopy());
    post.set("chat", chat.deepCopy());
    post.put("date", date);
    forwarded.properties().forEach(f -> {
      boolean keep = !STAGING_ONLY.contains(f.getKey()) && (!thePostItself || !ORIGIN.contains(f.getKey()));
      if (keep) {
        post.set(f.getKey(), f.getValue().deepCopy());
      }
    });
    post.put(Manifests.SOURCE_FIELD, Manifests.SOURCE_BACKFILL);
    return post;
  }

  /** The channel as a live post's {@code chat} shows it: getChat's answer has many more fields. */
  private static JsonNode channelChat(JsonNode full, long channelId) {
    ObjectNode chat = JsonNodeFactory.instance.objectNode();
    chat.put("id", channelId);
    if (full != null && full.path("id").asLong() == channelId) {
      for (String f : new String[] {"title", "username"}) {
        if (full.hasNonNull(f)) {
          chat.set(f, full.get(f).deepCopy());
        }
      }
    }
    chat.put("type", "channel");
    return chat;
  }
}
