package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds one post or edit as the chat owner; {@link #publish()} stores it and queues the update. */
public final class PostBuilder {
  private static final AtomicLong SEEDS = new AtomicLong(1);
  private final FakeBotApi api;
  private final ChatState chat;
  private final MessageModel m;
  private final boolean edit;
  private boolean withoutUpdate;
  private Long at;

  PostBuilder(FakeBotApi api, ChatState chat, MessageModel current) {
    this.api = api;
    this.chat = chat;
    this.edit = current != null;
    this.m = edit ? current.copy() : new MessageModel();
    m.chat = chat;
  }

  public PostBuilder text(String text, MessageEntityJson... entities) {
    m.clearContent();
    m.caption = null;
    m.captionEntities = null;
    m.text = text;
    m.entities = entities(entities);
    return this;
  }

  public PostBuilder caption(String caption, MessageEntityJson... entities) {
    m.caption = caption;
    m.captionEntities = entities(entities);
    return this;
  }

  public PostBuilder photo(FileContent largest) {
    return photoSizes(Media.newPhotoSet(api.files, largest, SEEDS.incrementAndGet()));
  }

  /** A repost of a known photo: same file_unique_id, new file_id. */
  public PostBuilder photo(FileRef largest) {
    return photoSizes(Media.repostPhotoSet(api.files, largest));
  }

  private PostBuilder photoSizes(List<Media.PhotoSize> sizes) {
    media("photo", "photo", Media.photoJson(sizes));
    sizes.forEach(s -> m.files.add(s.file()));
    return this;
  }

  public PostBuilder video(FileContent c, String fileName, String mimeType, int width, int height, int duration) {
    FileRef f = api.files.add(c, "videos", Media.extOf(fileName));
    media("video", "video", Media.video(f, duration, width, height, fileName, mimeType));
    m.files.add(f);
    return this;
  }

  /** Also emits "document" for the same file, like the real server. */
  public PostBuilder animation(FileContent c, String fileName, String mimeType, int w, int h, int duration) {
    FileRef f = api.files.add(c, "animations", Media.extOf(fileName));
    media("animation", "animation", Media.animation(f, duration, w, h, fileName, mimeType));
    m.media.put("document", Media.document(f, fileName, mimeType));
    m.files.add(f);
    return this;
  }

  /**
   * A live photo (Bot API 10.0): live_photo is the video (with the still's sizes inside), and the
   * server also sets photo to the still, like animation and document.
   */
  public PostBuilder livePhoto(FileContent video, FileContent still, int width, int height, int duration) {
    FileRef f = api.files.add(video, "videos", "mp4");
    List<Media.PhotoSize> sizes = Media.newPhotoSet(api.files, still, SEEDS.incrementAndGet());
    ObjectNode live = Media.video(f, duration, width, height, null, "video/mp4");
    live.set("photo", Media.photoJson(sizes));
    media("live_photo", "live_photo", live);
    m.media.put("photo", Media.photoJson(sizes));
    sizes.forEach(s -> m.files.add(s.file()));
    m.files.add(f);
    return this;
  }

  public PostBuilder document(FileContent c, String fileName, String mimeType) {
    return documentRef(api.files.add(c, "documents", Media.extOf(fileName)), fileName, mimeType);
  }

  /** A repost of an existing file as a document: same file_unique_id, new file_id. */
  public PostBuilder document(FileRef existing, String fileName, String mimeType) {
    return documentRef(api.files.alias(existing), fileName, mimeType);
  }

  private PostBuilder documentRef(FileRef f, String fileName, String mimeType) {
    media("document", "document", Media.document(f, fileName, mimeType));
    m.files.add(f);
    return this;
  }

  public PostBuilder audio(FileContent c, String fileName, String mimeType, String title, String performer,
      int duration) {
    FileRef f = api.files.add(c, "music", Media.extOf(fileName));
    media("audio", "audio", Media.audio(f, duration, fileName, mimeType, title, performer));
    m.files.add(f);
    return this;
  }

  public PostBuilder voice(FileContent c, String mimeType, int duration) {
    FileRef f = api.files.add(c, "voice", "oga");
    media("voice", "voice", Media.voice(f, duration, mimeType));
    m.files.add(f);
    return this;
  }

  public PostBuilder videoNote(FileContent c, int length, int duration) {
    FileRef f = api.files.add(c, "video_notes", "mp4");
    media("video_note", "video_note", Media.videoNote(f, duration, length));
    m.files.add(f);
    return this;
  }

  public PostBuilder sticker(FileContent c, String emoji, boolean animated, boolean isVideo) {
    FileRef f = api.files.add(c, "stickers", Media.stickerExt(animated, isVideo));
    media("sticker", "sticker", Media.sticker(f, emoji, animated, isVideo));
    m.files.add(f);
    return this;
  }

  /** Adds a photo to a paid-media post of {@code starCount} stars; an admin bot sees the photo itself. */
  public PostBuilder paidPhoto(int starCount, FileContent largest) {
    ArrayNode items = paidMedia(starCount);
    List<Media.PhotoSize> sizes = Media.newPhotoSet(api.files, largest, SEEDS.incrementAndGet());
    sizes.forEach(s -> m.files.add(s.file()));
    items.addObject().put("type", "photo").set("photo", Media.photoJson(sizes));
    return this;
  }

  /** Adds a video to a paid-media post of {@code starCount} stars. */
  public PostBuilder paidVideo(int starCount, FileContent c, String fileName, String mimeType, int width, int height,
      int duration) {
    ArrayNode items = paidMedia(starCount);
    FileRef f = api.files.add(c, "videos", Media.extOf(fileName));
    m.files.add(f);
    items.addObject().put("type", "video").set("video", Media.video(f, duration, width, height, fileName, mimeType));
    return this;
  }

  /** The items of the post's paid media, made a paid-media post first if it is not one yet. */
  private ArrayNode paidMedia(int starCount) {
    if (!"paid_media".equals(m.kind)) {
      media("paid_media", "paid_media", Json.object().put("star_count", starCount).set("paid_media", Json.array()));
    }
    ObjectNode info = (ObjectNode) m.media.get("paid_media");
    info.put("star_count", starCount);
    return (ArrayNode) info.get("paid_media");
  }

  public PostBuilder mediaGroup(String mediaGroupId) {
    m.mediaGroupId = mediaGroupId;
    return this;
  }

  public PostBuilder authorSignature(String s) {
    m.authorSignature = s;
    return this;
  }

  /**
   * Makes the post a repost of {@code origin} (a Bot API MessageOrigin: {@code {"type":"channel","chat":{..},
   * "message_id":N,"date":D}} or {@code {"type":"user","sender_user":{..},"date":D}}), with the legacy
   * forward_* keys servers still send beside it.
   */
  public PostBuilder forwardOf(ObjectNode origin) {
    ObjectNode fwd = Json.object();
    fwd.set("forward_origin", origin.deepCopy());
    switch (origin.path("type").asText()) {
      case "channel" -> {
        fwd.set("forward_from_chat", origin.path("chat").deepCopy());
        fwd.put("forward_from_message_id", origin.path("message_id").asLong());
        if (origin.hasNonNull("author_signature")) {
          fwd.put("forward_signature", origin.get("author_signature").asText());
        }
      }
      case "user" -> fwd.set("forward_from", origin.path("sender_user").deepCopy());
      case "hidden_user" -> fwd.put("forward_sender_name", origin.path("sender_user_name").asText());
      case "chat" -> fwd.set("forward_from_chat", origin.path("sender_chat").deepCopy());
      default -> { }
    }
    fwd.put("forward_date", origin.path("date").asLong());
    m.forward = fwd;
    return this;
  }

  /** Stores the post without queuing an update (history from before the bot joined). */
  PostBuilder withoutUpdate() {
    this.withoutUpdate = true;
    return this;
  }

  /** Publishes with this date (epoch seconds) instead of now, e.g. for history posts. */
  public PostBuilder at(long epochSecond) {
    this.at = epochSecond;
    return this;
  }

  /** Any extra field in the message JSON (emitted last), e.g. to test tolerance of unknown fields. */
  public PostBuilder raw(String field, JsonNode value) {
    m.raw.put(field, value);
    return this;
  }

  /** Stores the post (or new version), queues its update (waking long-polls) and returns it. */
  public PublishedPost publish() {
    int updateId;
    synchronized (chat) {
      long now = at != null ? at : api.nowSeconds();
      if (edit) {
        MessageModel prev = chat.message(m.messageId);
        Long last = prev == null ? null : prev.editDate;
        m.editDate = last != null && now <= last ? last + 1 : now;
      } else {
        m.messageId = chat.nextMessageId();
        m.date = now;
        if (chat.isChannel()) {
          m.senderIsChat = true;
        } else if (chat.isPrivate()) {
          m.from = Json.object().put("id", chat.id).put("is_bot", false).put("first_name", chat.title);
        } else {
          m.from = api.ownerUser();
        }
      }
      chat.store(m);
      updateId = withoutUpdate ? 0 : api.deliver(chat, m, edit);
    }
    return new PublishedPost(chat.id, m.messageId, updateId, m.render(), List.copyOf(m.files));
  }

  private void media(String kind, String key, JsonNode value) {
    String keepCaption = m.caption;
    ArrayNode keepEntities = m.captionEntities;
    m.clearContent();
    m.caption = keepCaption;
    m.captionEntities = keepEntities;
    m.kind = kind;
    if (value instanceof ObjectNode file && api.faults().omitsFileSizes()) {
      file.remove("file_size");
    }
    m.media.put(key, value);
  }

  private static ArrayNode entities(MessageEntityJson... entities) {
    if (entities == null || entities.length == 0) {
      return null;
    }
    ArrayNode a = Json.array();
    for (MessageEntityJson e : entities) {
      a.add(e.toJson());
    }
    return a;
  }
}
