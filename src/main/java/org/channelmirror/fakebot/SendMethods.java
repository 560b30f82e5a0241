package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * sendMessage, send{Photo,Video,Document,Audio,Voice,Animation,VideoNote,Sticker}, sendMediaGroup and sendPaidMedia
 * ({@link ContentMethods} has the sends without files). Sent messages get fresh ids in the chat, are recorded as
 * {@link SentMessage}s and never come back as updates.
 */
final class SendMethods {
  static final Set<String> UPLOAD_METHODS = Set.of("sendphoto", "sendvideo", "senddocument", "sendaudio",
      "sendvoice", "sendanimation", "sendvideonote", "sendsticker", "sendmediagroup", "sendpaidmedia");
  private static final Set<String> ALBUM_TYPES = Set.of("photo", "video", "document", "audio");
  /** sendPaidMedia's star_count range (DOCS §sendpaidmedia). */
  private static final int MAX_STARS = 25_000;

  private final FakeBotApi api;
  private final InputFiles inputs;
  private final Messages messages;

  SendMethods(FakeBotApi api) {
    this.api = api;
    this.inputs = new InputFiles(api);
    this.messages = new Messages(api);
  }

  void register(Map<String, Router.Method> m) {
    m.put("sendmessage", this::sendMessage);
    m.put("sendphoto", p -> sendMedia(p, "sendphoto", "photo", "photos"));
    m.put("sendvideo", p -> sendMedia(p, "sendvideo", "video", "videos"));
    m.put("senddocument", p -> sendMedia(p, "senddocument", "document", "documents"));
    m.put("sendaudio", p -> sendMedia(p, "sendaudio", "audio", "music"));
    m.put("sendvoice", p -> sendMedia(p, "sendvoice", "voice", "voice"));
    m.put("sendanimation", p -> sendMedia(p, "sendanimation", "animation", "animations"));
    m.put("sendvideonote", p -> sendMedia(p, "sendvideonote", "video_note", "video_notes"));
    m.put("sendsticker", p -> sendMedia(p, "sendsticker", "sticker", "stickers"));
    m.put("sendmediagroup", this::sendMediaGroup);
    m.put("sendpaidmedia", this::sendPaidMedia);
    m.put("sendlivephoto", this::sendLivePhoto);
    messages.register(m);
    new ContentMethods(api).register(m);
  }

  private ObjectNode sendMessage(Params p) {
    ChatState chat = messages.targetChat(p);
    String text = p.str("text");
    if (text == null || text.isEmpty()) {
      throw ApiException.badRequest("message text is empty");
    }
    MessageModel m = messages.newMessage(chat);
    m.text = text;
    m.entities = array(p.json("entities"));
    chat.store(m);
    chat.recordSent(new SentMessage("sendmessage", m.messageId, null, "text", null, text, p.json("entities"), null,
        0, null, null, p.recorded()));
    return m.render();
  }

  private ObjectNode sendMedia(Params p, String method, String kind, String kindDir) {
    ChatState chat = messages.targetChat(p);
    InputFiles.Resolved r = inputs.resolve(p, p.str(kind), kind, kindDir);
    MessageModel m = messages.newMessage(chat);
    fill(m, kind, r, p.values);
    if (!kind.equals("video_note") && !kind.equals("sticker")) {
      m.caption = p.str("caption");
      m.captionEntities = array(p.json("caption_entities"));
    }
    chat.store(m);
    chat.recordSent(sent(method, m, r, p.json("caption_entities"), p.recorded()));
    return m.render();
  }

  /**
   * sendLivePhoto (Bot API 10.0): live_photo is the video, photo its still; the message carries both,
   * as a live photo posted in an app does. The record is the video's; the still's upload is in its params.
   */
  private ObjectNode sendLivePhoto(Params p) {
    ChatState chat = messages.targetChat(p);
    InputFiles.Resolved video = inputs.resolve(p, p.str("live_photo"), "live_photo", "videos");
    InputFiles.Resolved still = inputs.resolve(p, p.str("photo"), "photo", "photos");
    MessageModel m = messages.newMessage(chat);
    m.kind = "live_photo";
    List<Media.PhotoSize> sizes = still.photoSizes();
    ObjectNode live = Media.video(video.file(), p.values.path("duration").asInt(0), p.values.path("width").asInt(0),
        p.values.path("height").asInt(0), null, "video/mp4");
    live.set("photo", Media.photoJson(sizes));
    m.media.put("live_photo", live);
    m.media.put("photo", Media.photoJson(sizes));
    sizes.forEach(sz -> m.files.add(sz.file()));
    m.files.add(video.file());
    m.caption = p.str("caption");
    m.captionEntities = array(p.json("caption_entities"));
    chat.store(m);
    chat.recordSent(sent("sendlivephoto", m, video, p.json("caption_entities"), p.recorded()));
    return m.render();
  }

  private ArrayNode sendMediaGroup(Params p) {
    ChatState chat = messages.targetChat(p);
    JsonNode media = p.json("media");
    if (media == null || !media.isArray()) {
      throw ApiException.badRequest("can't parse media JSON object");
    }
    if (media.size() > 10) {
      throw ApiException.badRequest("too much messages to send as an album");
    }
    if (media.size() < 2) {
      throw ApiException.badRequest("media must contain 2-10 items");
    }
    boolean docs = false;
    boolean audio = false;
    boolean other = false;
    for (JsonNode item : media) {
      String type = item.path("type").asText("");
      if (type.equals("animation")) {
        throw ApiException.badRequest("can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup");
      }
      if (!ALBUM_TYPES.contains(type)) {
        throw ApiException.badRequest("can't parse InputMedia: unsupported media type \"" + type + "\"");
      }
      docs |= type.equals("document");
      audio |= type.equals("audio");
      other |= type.equals("photo") || type.equals("video");
    }
    if (docs && (audio || other)) {
      throw ApiException.badRequest("document can't be mixed with other media types");
    }
    if (audio && other) {
      throw ApiException.badRequest("audio can't be mixed with other media types");
    }
    // resolve every file first: a bad item fails the call before anything is posted
    List<InputFiles.Resolved> files = new ArrayList<>();
    for (JsonNode item : media) {
      String type = item.get("type").asText();
      files.add(inputs.resolve(p, item.path("media").asText(null), type, kindDir(type)));
    }
    String groupId = Long.toString(ThreadLocalRandom.current().nextLong(10_000_000_000_000_000L,
        99_999_999_999_999_999L));
    ArrayNode out = Json.array();
    for (int i = 0; i < media.size(); i++) {
      ObjectNode item = (ObjectNode) media.get(i);
      String type = item.get("type").asText();
      MessageModel m = messages.newMessage(chat);
      m.mediaGroupId = groupId;
      fill(m, type, files.get(i), item);
      m.caption = item.hasNonNull("caption") ? item.get("caption").asText() : null;
      m.captionEntities = array(item.get("caption_entities"));
      chat.store(m);
      chat.recordSent(sent("sendmediagroup", m, files.get(i), item.get("caption_entities"), item));
      out.add(m.render());
    }
    return out;
  }

  /**
   * One message whose photos and videos are shown blurred until its star_count is paid. The sender sees the media
   * itself (PaidMediaPhoto/PaidMediaVideo); each item is recorded as a {@link SentMessage} of the one message, with
   * the request's params.
   */
  private ObjectNode sendPaidMedia(Params p) {
    ChatState chat = messages.targetChat(p);
    Long stars = p.longOrNull("star_count");
    if (stars == null || stars < 1 || stars > MAX_STARS) {
      throw ApiException.badRequest("star_count must be between 1 and " + MAX_STARS);
    }
    JsonNode media = p.json("media");
    if (media == null) {
      throw ApiException.badRequest("Can't parse paid media JSON object");
    }
    if (!media.isArray() || media.isEmpty() || media.size() > 10) {
      throw ApiException.badRequest("Expected an Array of InputPaidMedia");
    }
    List<InputFiles.Resolved> files = new ArrayList<>();
    for (JsonNode item : media) {
      String type = item.path("type").asText("");
      if (!type.equals("photo") && !type.equals("video")) {
        throw ApiException.badRequest("Can't parse InputPaidMedia: unsupported media type \"" + type + "\"");
      }
      files.add(inputs.resolve(p, item.path("media").asText(null), type, kindDir(type)));
    }
    MessageModel m = messages.newMessage(chat);
    m.kind = "paid_media";
    ObjectNode info = Json.object();
    info.put("star_count", stars);
    ArrayNode items = info.putArray("paid_media");
    for (int i = 0; i < media.size(); i++) {
      MessageModel one = new MessageModel(); // fill() builds the item's Photo or Video as for sendPhoto/sendVideo
      String type = media.get(i).get("type").asText();
      fill(one, type, files.get(i), media.get(i));
      items.addObject().put("type", type).set(type, one.media.get(type));
      m.files.addAll(one.files);
    }
    m.media.put("paid_media", info);
    m.caption = p.str("caption");
    m.captionEntities = array(p.json("caption_entities"));
    if (p.bool("show_caption_above_media")) {
      m.raw.put("show_caption_above_media", BooleanNode.TRUE);
    }
    chat.store(m);
    for (int i = 0; i < media.size(); i++) {
      InputFiles.Resolved r = files.get(i);
      chat.recordSent(new SentMessage("sendpaidmedia", m.messageId, null, media.get(i).get("type").asText(),
          m.caption, null, p.json("caption_entities"), r.fileName(), r.size(), r.sha256Hex(), r.fileIdUsed(),
          p.recorded()));
    }
    return m.render();
  }

  private static String kindDir(String type) {
    return switch (type) {
      case "photo" -> "photos";
      case "video" -> "videos";
      case "audio" -> "music";
      default -> "documents";
    };
  }

  /** Sets the media object for the kind, using request params (duration, width, ...) where given. */
  private static void fill(MessageModel m, String kind, InputFiles.Resolved r, JsonNode params) {
    m.kind = kind;
    FileRef f = r.file();
    int duration = params.path("duration").asInt(0);
    int width = params.path("width").asInt(0);
    int height = params.path("height").asInt(0);
    switch (kind) {
      case "photo" -> m.media.put("photo", Media.photoJson(r.photoSizes()));
      case "video" -> m.media.put("video", Media.video(f, duration, width, height, r.fileName(), r.mimeType()));
      case "animation" -> {
        m.media.put("animation", Media.animation(f, duration, width, height, r.fileName(), r.mimeType()));
        m.media.put("document", Media.document(f, r.fileName(), r.mimeType()));
      }
      case "audio" -> m.media.put("audio", Media.audio(f, duration, r.fileName(), r.mimeType(),
          params.path("title").asText(null), params.path("performer").asText(null)));
      case "voice" -> m.media.put("voice", Media.voice(f, duration, r.mimeType()));
      case "video_note" -> m.media.put("video_note", Media.videoNote(f, duration, params.path("length").asInt(240)));
      case "sticker" -> m.media.put("sticker", Media.sticker(f, null, false, false));
      default -> m.media.put("document", Media.document(f, r.fileName(), r.mimeType()));
    }
    if (r.photoSizes() != null) {
      r.photoSizes().forEach(s -> m.files.add(s.file()));
    } else {
      m.files.add(f);
    }
  }

  private static SentMessage sent(String method, MessageModel m, InputFiles.Resolved r, JsonNode entities,
      JsonNode params) {
    return new SentMessage(method, m.messageId, m.mediaGroupId, m.kind, m.caption, null, entities, r.fileName(),
        r.size(), r.sha256Hex(), r.fileIdUsed(), params);
  }

  static ArrayNode array(JsonNode n) {
    return n != null && n.isArray() ? (ArrayNode) n : null;
  }
}
