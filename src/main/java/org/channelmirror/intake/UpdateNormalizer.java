package org.channelmirror.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.catalog.MediaRef;
import org.channelmirror.catalog.PostVersion;

/**
 * Turns one raw Bot API update into what intake acts on. Pure: no I/O, never throws for bad
 * input; anything it cannot understand comes back as {@link Outcome.Reject} with the reason.
 */
final class UpdateNormalizer {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Media fields in the order they are checked: animation before document (both are sent). */
  private static final List<MediaKind> KIND_ORDER = List.of(MediaKind.PHOTO, MediaKind.VIDEO, MediaKind.ANIMATION,
      MediaKind.AUDIO, MediaKind.VOICE, MediaKind.VIDEO_NOTE, MediaKind.STICKER, MediaKind.DOCUMENT);

  /**
   * What else an owner sees change when editing a post, beyond text, captions, files and album. Not
   * polls: their question and options cannot be edited, and their vote counts must not make versions.
   */
  private static final List<String> VISIBLE_FIELDS = List.of("location", "venue", "contact", "dice",
      "checklist", "has_media_spoiler", "show_caption_above_media", "link_preview_options", "reply_markup");

  private final Set<Long> channels;

  UpdateNormalizer(Set<Long> channels) {
    this.channels = channels;
  }

  /** What one update means for intake. */
  sealed interface Outcome {
    /** A post (or edit) of a configured channel. */
    record Post(PostVersion version, String title, String username) implements Outcome {}

    /** The bot's membership changed in a configured channel. */
    record Membership(long chatId, String title, String username, String status, long date) implements Outcome {}

    /** Something from a chat we do not mirror: ignore it, and leave that chat if we can. */
    record Foreign(long chatId, String chatType) implements Outcome {}

    /** A private message to the bot. */
    record Private(long chatId, long fromUserId, String text) implements Outcome {}

    /** Nothing to do (another update type). */
    record Ignore() implements Outcome {}

    /** Not understood: kept verbatim with the reason. */
    record Reject(String reason) implements Outcome {}
  }

  Outcome normalize(JsonNode update) {
    try {
      if (update.has("channel_post") || update.has("edited_channel_post")) {
        JsonNode msg = update.has("channel_post") ? update.get("channel_post") : update.get("edited_channel_post");
        return post(update.path("update_id").asLong(), msg);
      }
      if (update.has("my_chat_member")) {
        return membership(update.get("my_chat_member"));
      }
      for (String field : List.of("message", "edited_message")) {
        if (update.has(field)) {
          return message(update.get(field));
        }
      }
      return new Outcome.Ignore();
    } catch (MalformedUpdate e) {
      return new Outcome.Reject(e.getMessage());
    } catch (RuntimeException e) {
      // a shape nobody foresaw must not stop intake: keep the update and say so
      return new Outcome.Reject("unexpected shape: " + e);
    }
  }

  /** A channel post that came without an update (backfill): normalised as one with update_id 0. */
  Outcome normalizePost(JsonNode msg) {
    return normalize(JsonNodeFactory.instance.objectNode().put("update_id", 0).set("channel_post", msg));
  }

  private Outcome post(long updateId, JsonNode msg) {
    requireObject(msg, "message");
    JsonNode chat = requireObject(msg.get("chat"), "chat");
    long chatId = requireLong(chat, "chat.id");
    if (!channels.contains(chatId)) {
      return new Outcome.Foreign(chatId, chat.path("type").asText("channel"));
    }
    long messageId = requireLong(msg, "message_id");
    long date = msg.path("date").asLong(0);
    long editDate = msg.path("edit_date").asLong(0);
    String group = msg.hasNonNull("media_group_id") ? msg.get("media_group_id").asText() : null;
    List<MediaRef> media = media(msg);
    String raw = msg.toString();
    PostVersion version = new PostVersion(chatId, messageId, editDate, contentHash(msg, media, group),
        date, group, updateId, raw, media);
    return new Outcome.Post(version, text(chat, "title"), text(chat, "username"));
  }

  /**
   * Fields of a message that are a file (an object with file_id and file_unique_id) of a kind this version does
   * not back up, as "field file_unique_id": a media kind of a newer Bot API. Intake names them in a warning, so
   * such a file is not left behind without a word (the manifest keeps the raw message with its file_id).
   */
  static List<String> unknownFiles(JsonNode msg) {
    List<String> out = new ArrayList<>();
    if (msg == null || !msg.isObject()) {
      return out;
    }
    msg.properties().forEach(f -> {
      JsonNode v = f.getValue();
      if (v.isObject() && v.hasNonNull("file_id") && v.hasNonNull("file_unique_id")
          && Arrays.stream(MediaKind.values()).noneMatch(k -> k.field().equals(f.getKey()))) {
        out.add(f.getKey() + " " + v.get("file_unique_id").asText());
      }
    });
    return out;
  }

  /** The media a message carries: the largest photo size, or the one file of its kind. */
  static List<MediaRef> media(JsonNode msg) {
    for (MediaKind kind : KIND_ORDER) {
      JsonNode node = msg.get(kind.field());
      if (node == null || node.isNull()) {
        continue;
      }
      if (kind == MediaKind.PHOTO) {
        return livePhoto(largest(node), msg.get("live_photo"));
      }
      return List.of(ref(kind, node));
    }
    return paidMedia(msg.get("paid_media"));
  }

  /**
   * The files of a paid-media post (paid_media.paid_media[]): the largest size of each "photo" item
   * and the Video of each "video" item; a "live_photo" item gives its still (when sent) and its video.
   * A "preview" (what a bot that may not see the content gets) and kinds this version does not know
   * carry no file to back up.
   */
  private static List<MediaRef> paidMedia(JsonNode paid) {
    if (paid == null || !paid.isObject() || !paid.path("paid_media").isArray()) {
      return List.of();
    }
    List<MediaRef> out = new ArrayList<>();
    for (JsonNode item : paid.get("paid_media")) {
      String type = item.path("type").asText("");
      if (type.equals("photo") && item.hasNonNull("photo")) {
        out.add(ref(MediaKind.PHOTO, largest(item.get("photo"))));
      } else if (type.equals("video") && item.hasNonNull("video")) {
        out.add(ref(MediaKind.VIDEO, item.get("video")));
      } else if (type.equals("live_photo") && item.hasNonNull("live_photo")) {
        JsonNode live = item.get("live_photo");
        if (live.hasNonNull("photo")) {
          out.add(ref(MediaKind.PHOTO, largest(live.get("photo"))));
        }
        out.add(ref(MediaKind.LIVE_PHOTO, live));
      }
    }
    return List.copyOf(out);
  }

  /**
   * A photo, and when the message is a live photo (Bot API 10.0: live_photo is the video, photo its
   * still) that video too: backing up only the still would lose the moving part without a word.
   */
  private static List<MediaRef> livePhoto(JsonNode still, JsonNode live) {
    MediaRef photo = ref(MediaKind.PHOTO, still);
    return live == null || live.isNull() ? List.of(photo) : List.of(photo, ref(MediaKind.LIVE_PHOTO, live));
  }

  /** The largest of a photo's sizes: by pixels, then by bytes (Telegram's order is not a promise). */
  private static JsonNode largest(JsonNode sizes) {
    if (!sizes.isArray() || sizes.isEmpty()) {
      throw new MalformedUpdate("photo is not a non-empty array of sizes");
    }
    JsonNode largest = null;
    for (JsonNode size : sizes) {
      if (largest == null || area(size) > area(largest)
          || (area(size) == area(largest) && size.path("file_size").asLong() > largest.path("file_size").asLong())) {
        largest = size;
      }
    }
    return largest;
  }

  private static long area(JsonNode size) {
    return size.path("width").asLong() * size.path("height").asLong();
  }

  private static MediaRef ref(MediaKind kind, JsonNode f) {
    requireObject(f, kind.field());
    String unique = requireText(f, kind.field() + ".file_unique_id");
    String fileId = requireText(f, kind.field() + ".file_id");
    // video notes are square: "length" is both width and height
    Integer width = optInt(f, f.has("width") ? "width" : "length");
    Integer height = optInt(f, f.has("height") ? "height" : "length");
    String mime = text(f, "mime_type");
    if (mime == null && kind == MediaKind.PHOTO) {
      mime = "image/jpeg"; // Telegram serves every photo size as JPEG
    }
    return new MediaRef(kind, unique, fileId, f.hasNonNull("file_size") ? f.get("file_size").asLong() : null,
        mime, text(f, "file_name"), width, height, optInt(f, "duration"));
  }

  /**
   * A version's identity beyond (chat, message, edit_date): hash of what the owner sees (text,
   * caption, entities, files, album, and the {@link #VISIBLE_FIELDS}). Replays of an update hash
   * the same; file_ids may differ.
   */
  static String contentHash(JsonNode msg, List<MediaRef> media, String group) {
    ObjectNode p = JSON.createObjectNode();
    for (String f : List.of("text", "entities", "caption", "caption_entities")) {
      if (msg.has(f)) {
        p.set(f, msg.get(f));
      }
    }
    ArrayNode files = p.putArray("files");
    media.forEach(m -> files.add(m.kind().field() + ":" + m.fileUniqueId()));
    if (group != null) {
      p.put("media_group_id", group);
    }
    // after the original fields, and only when present, so a plain post keeps the hash (and the
    // manifest key) it always had: without them two edits within a second that moved a live
    // location or toggled a spoiler hashed alike, and the second was taken for a replay
    for (String f : VISIBLE_FIELDS) {
      if (msg.hasNonNull(f)) {
        p.set(f, msg.get(f));
      }
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(p.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Outcome membership(JsonNode m) {
    JsonNode chat = requireObject(m.get("chat"), "my_chat_member.chat");
    long chatId = requireLong(chat, "my_chat_member.chat.id");
    String status = m.path("new_chat_member").path("status").asText("");
    if (!channels.contains(chatId)) {
      // a user starting (or blocking) the bot in a private chat is no chat to leave: Telegram
      // refuses leaveChat there, and an owner has to press Start for backfill's staging chat
      boolean member = !status.equals("left") && !status.equals("kicked")
          && !chat.path("type").asText("").equals("private");
      return member ? new Outcome.Foreign(chatId, chat.path("type").asText("")) : new Outcome.Ignore();
    }
    return new Outcome.Membership(chatId, text(chat, "title"), text(chat, "username"), status, m.path("date").asLong());
  }

  private Outcome message(JsonNode msg) {
    JsonNode chat = requireObject(msg.get("chat"), "message.chat");
    long chatId = requireLong(chat, "message.chat.id");
    String type = chat.path("type").asText("");
    if (type.equals("private")) {
      return new Outcome.Private(chatId, msg.path("from").path("id").asLong(), msg.path("text").asText(""));
    }
    return channels.contains(chatId) ? new Outcome.Ignore() : new Outcome.Foreign(chatId, type);
  }

  private static Integer optInt(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.canConvertToInt() ? Integer.valueOf(v.asInt()) : null;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode requireObject(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw new MalformedUpdate(what + " is missing or not an object");
    }
    return n;
  }

  private static long requireLong(JsonNode n, String path) {
    JsonNode v = n.get(path.substring(path.lastIndexOf('.') + 1));
    if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
      return v.asLong();
    }
    if (v != null && v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
      return Long.parseLong(v.asText());
    }
    throw new MalformedUpdate(path + " is missing or not an integer");
  }

  private static String requireText(JsonNode n, String path) {
    JsonNode v = n.get(path.substring(path.lastIndexOf('.') + 1));
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new MalformedUpdate(path + " is missing or empty");
    }
    return v.asText();
  }

  private static final class MalformedUpdate extends RuntimeException {
    MalformedUpdate(String message) {
      super(message, null, false, false);
    }
  }
}
