package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.channelmirror.recovery.RestorePlan.Item;
import org.channelmirror.recovery.RestorePlan.Note;
import org.channelmirror.recovery.RestorePlan.Send;
import org.channelmirror.recovery.RestorePlan.Severity;

/**
 * Turns the latest post versions into Bot API calls, within the upload limits of the configured
 * server (BOTAPI §8): cloud 10 MB photos and 50 MB other files, self-hosted {@code --local}
 * 2000 MB. Albums (consecutive posts sharing a media_group_id) become one sendMediaGroup in the
 * same order with each item's caption; what sendMediaGroup cannot take is split off and noted.
 * Paid media becomes one sendPaidMedia at the same price; a poll, a venue, a location, a contact
 * or a dice its own send method ({@link ContentSend}), noted with what the copy cannot have.
 * With {@code reuseFileIds}, an item over the upload limit goes by its original file_id (no size
 * limit, but only the bot that received the file can use it); everything else is still uploaded.
 */
final class RestorePlanner {
  /** The video of a live photo (Bot API 10.0): backed up beside its still, which is what a restore sends. */
  private static final String LIVE_PHOTO = "live_photo";
  private static final String LIVE_PHOTO_NOTE = "a live photo in an album, paid, or with a file the bot cannot upload:"
      + " its still photo is sent as a photo (its moving part"
      + " is in the backup, but a restore does not send it)";

  static final long CLOUD_PHOTO_LIMIT = 10L * 1024 * 1024;
  static final long CLOUD_FILE_LIMIT = 50L * 1024 * 1024;
  static final long LOCAL_FILE_LIMIT = 2000L * 1024 * 1024;
  static final int MAX_CAPTION = 1024;
  static final int MAX_TEXT = 4096;
  static final int MAX_ALBUM = 10;

  /** MessageEntity types the Bot API server accepts in a send (the auto-detected ones it recomputes itself). */
  private static final Set<String> SENDABLE_ENTITIES = Set.of("bold", "italic", "underline", "strikethrough",
      "spoiler", "code", "pre", "text_link", "text_mention", "custom_emoji", "blockquote", "expandable_blockquote",
      "date_time", "mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bank_card_number");

  /** Upload limits of one Bot API server. */
  record Limits(long photoBytes, long fileBytes, boolean localMode) {
    static Limits of(boolean localMode) {
      return localMode ? new Limits(LOCAL_FILE_LIMIT, LOCAL_FILE_LIMIT, true)
          : new Limits(CLOUD_PHOTO_LIMIT, CLOUD_FILE_LIMIT, false);
    }

    /** "the 50.0 MB upload limit of the cloud Bot API", for reports. */
    String describe() {
      return "the " + mb(fileBytes) + " upload limit of " + (localMode ? "the self-hosted Bot API server"
          : "the cloud Bot API");
    }
  }

  private final Limits limits;
  private final boolean reuseFileIds;
  private final List<Send> sends = new ArrayList<>();
  private final List<Note> notes = new ArrayList<>();
  private final Set<String> ids = new LinkedHashSet<>();
  /** The posts restored together: a reply to one of them goes as a reply to its copy. */
  private final Set<Long> postIds = new java.util.HashSet<>();

  private RestorePlanner(Limits limits, boolean reuseFileIds) {
    this.limits = limits;
    this.reuseFileIds = reuseFileIds;
  }

  static RestorePlan plan(long sourceChat, List<PostManifest> posts, Limits limits) {
    return plan(sourceChat, posts, limits, false);
  }

  /** @param reuseFileIds send items over the upload limit by their original file_id instead of noting them */
  static RestorePlan plan(long sourceChat, List<PostManifest> posts, Limits limits, boolean reuseFileIds) {
    RestorePlanner p = new RestorePlanner(limits, reuseFileIds);
    posts.forEach(post -> p.postIds.add(post.messageId()));
    for (List<PostManifest> run : PostManifest.albums(posts)) {
      // paid media is planned apart where posts are grouped, so no path can send it free
      List<PostManifest> free = run.stream().filter(post -> !p.paidMedia(post)).toList();
      if (free.isEmpty()) {
        continue;
      }
      if (free.size() == 1 && free.get(0).mediaGroupId() == null) {
        p.single(free.get(0));
      } else {
        p.album(free);
      }
    }
    return new RestorePlan(sourceChat, posts, p.sends, p.notes);
  }

  /**
   * Plans a paid-media post, whether one or (never seen) in an album: sendPaidMedia with the same star_count
   * keeps it paid, where a free send would give its photos and videos away. Its items are uploaded like any
   * photo or video, except that a photo too big for sendPhoto cannot become a document here.
   *
   * @return whether the post was paid media (planned or noted)
   */
  private boolean paidMedia(PostManifest p) {
    if (p.message() == null || !p.message().path("paid_media").isObject()) {
      return false;
    }
    int stars = p.message().path("paid_media").path("star_count").asInt();
    List<Item> items = new ArrayList<>();
    for (MediaEntry m : p.media()) {
      if (m.kind().equals(LIVE_PHOTO)) {
        notes.add(new Note(p.messageId(), Severity.CHANGED, LIVE_PHOTO_NOTE));
        continue;
      }
      String fileId = fileIdToReuse(m);
      String photoRefused = fileId == null && m.stored() && "photo".equals(m.kind()) && m.size() != null
          ? photoProblem(m, m.size()) : null;
      if (photoRefused != null) {
        notes.add(new Note(p.messageId(), Severity.NOT_SENT, "photo " + m.objectKey() + " of the paid media: "
            + photoRefused + ", and paid media takes no documents"));
        continue;
      }
      String sendAs = fileId != null ? m.kind() : sendAs(p, m);
      if (sendAs != null) {
        items.add(new Item(p, m, sendAs, null, null, fileId));
      }
    }
    String notSent = "paid media (" + stars + " stars) is not sent: ";
    if (items.isEmpty()) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, notSent + "none of its photos and videos is in the backup"
          + (p.media().isEmpty() ? " (the bot was shown only a preview)" : "")));
      return true;
    }
    long bytes = items.stream().mapToLong(Item::uploadBytes).sum();
    if (!limits.localMode() && bytes > limits.fileBytes()) {
      // one message cannot be split like an album: its files go in one request, or not at all
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, notSent + "together its files have " + mb(bytes)
          + ", more than one request to the cloud Bot API may carry (" + mb(limits.fileBytes()) + "); a self-hosted"
          + " Bot API server with --local (telegram.localMode: true) takes them"));
      return true;
    }
    ObjectNode params = JsonNodeFactory.instance.objectNode().put("star_count", stars);
    String caption = p.caption();
    boolean captionAlone = caption != null && !captionFits(p);
    if (!captionAlone && caption != null && !caption.isEmpty()) {
      params.put("caption", caption);
      if (p.captionEntities() != null && p.captionEntities().isArray()) {
        params.set("caption_entities", sendable(p, p.captionEntities()));
      }
      if (p.showCaptionAboveMedia()) {
        params.put("show_caption_above_media", true);
      }
    }
    add(new Send("m" + p.messageId(), "sendPaidMedia", List.of(p.messageId()), items, null, null, params));
    noteLosses(p);
    if (captionAlone) {
      captionOnly(p);
    }
    return true;
  }

  private void single(PostManifest p) {
    if (p.media().isEmpty()) {
      String service = OtherContent.describeService(p.message());
      if (service != null && (p.text() == null || p.text().isEmpty())) {
        notes.add(new Note(p.messageId(), Severity.SKIPPED, "a service message (" + service + "), not a post:"
            + " Telegram makes these itself, nothing to send"
            + ("pinned_message".equals(OtherContent.serviceField(p.message()))
            ? "; pins are not restored, pin the restored copy yourself" : "")));
        return;
      }
      ContentSend content = ContentSend.of(p.message());
      if (content != null) {
        content.changes().forEach(c -> notes.add(new Note(p.messageId(), Severity.CHANGED, c)));
        add(new Send("m" + p.messageId(), content.method(), List.of(p.messageId()), List.of(), null, null,
            content.params()));
      } else if (p.text() != null && !p.text().isEmpty()) {
        text("m" + p.messageId(), p, p.text(), p.entities());
      } else if (p.caption() != null && !p.caption().isEmpty()) {
        text("m" + p.messageId(), p, p.caption(), p.captionEntities());
      } else {
        notes.add(new Note(p.messageId(), Severity.NOT_SENT, "nothing channel-mirror can restore in this post"
            + describeOther(p)));
        return;
      }
      noteLosses(p);
      return;
    }
    if (livePhoto(p)) {
      noteLosses(p);
      return;
    }
    List<Item> items = new ArrayList<>();
    List<PostManifest> captionsAfter = new ArrayList<>();
    collect(p, items, captionsAfter);
    for (Item it : items) {
      media(List.of(it));
    }
    captionsAfter.forEach(this::captionOnly);
  }

  /**
   * A live photo outside an album, both its files in the backup and within the upload limits: one
   * sendLivePhoto with the video and its still (false: planned as a still photo, with the note).
   */
  private boolean livePhoto(PostManifest p) {
    if (p.message() == null || !p.message().hasNonNull("live_photo")) {
      return false;
    }
    MediaEntry video = p.media().stream().filter(m -> m.kind().equals(LIVE_PHOTO)).findFirst().orElse(null);
    MediaEntry still = p.media().stream().filter(m -> m.kind().equals("photo")).findFirst().orElse(null);
    if (p.media().size() != 2 || video == null || still == null || !video.stored() || !still.stored()
        || video.size() == null || video.size() <= 0 || video.size() > limits.fileBytes()
        || still.size() == null || still.size() <= 0 || photoProblem(still, still.size()) != null) {
      return false;
    }
    boolean hasCaption = p.caption() != null && !p.caption().isEmpty();
    boolean withCaption = hasCaption && captionFits(p);
    add(new Send("m" + p.messageId(), "sendLivePhoto", List.of(p.messageId()),
        List.of(new Item(p, video, LIVE_PHOTO, withCaption ? p.caption() : null,
            withCaption ? sendable(p, p.captionEntities()) : null, null),
            new Item(p, still, "photo", null, null, null)),
        null, null, null));
    if (hasCaption && !withCaption) {
      captionOnly(p);
    }
    return true;
  }

  /** Whether the post's caption may go with its media; if it is too long, notes that it goes alone. */
  private boolean captionFits(PostManifest p) {
    if (characters(p.caption()) <= MAX_CAPTION) {
      return true;
    }
    notes.add(new Note(p.messageId(), Severity.CHANGED, "the caption has " + characters(p.caption())
        + " characters, more than a bot may send (" + MAX_CAPTION + "): it is sent as a separate message"));
    return false;
  }

  private void album(List<PostManifest> group) {
    List<Item> items = new ArrayList<>();
    List<PostManifest> captionsAfter = new ArrayList<>();
    for (PostManifest p : group) {
      if (p.media().isEmpty()) {
        single(p);
        continue;
      }
      collect(p, items, captionsAfter);
    }
    // consecutive runs of what one sendMediaGroup may carry together
    List<List<Item>> runs = new ArrayList<>();
    String lastCategory = null;
    for (Item it : items) {
      String c = category(it.sendAs());
      if (runs.isEmpty() || c == null || !c.equals(lastCategory)) {
        runs.add(new ArrayList<>());
      }
      runs.get(runs.size() - 1).add(it);
      lastCategory = c;
    }
    int calls = 0;
    List<String> why = new ArrayList<>();
    for (List<Item> run : runs) {
      for (List<Item> chunk : chunks(run, why)) {
        media(chunk);
        calls++;
      }
    }
    if (calls > 1) {
      Set<String> kinds = items.stream().map(Item::sendAs).collect(Collectors.toCollection(LinkedHashSet::new));
      if (runs.size() > 1) {
        why.add(0, kindsReason(kinds));
      }
      notes.add(new Note(group.get(0).messageId(), Severity.CHANGED, "album of messages " + group.get(0).messageId()
          + "-" + group.get(group.size() - 1).messageId() + " is sent as " + calls + " separate posts: "
          + String.join("; ", why)));
    }
    captionsAfter.forEach(this::captionOnly);
  }

  /** Adds the post's sendable media to {@code items}; notes what cannot go, and whose caption must travel alone. */
  private void collect(PostManifest p, List<Item> items, List<PostManifest> captionsAfter) {
    boolean captionPlaced = false;
    noteLosses(p);
    if (p.message() != null && p.message().hasNonNull("live_photo")) {
      notes.add(new Note(p.messageId(), Severity.CHANGED, LIVE_PHOTO_NOTE));
    }
    for (MediaEntry m : p.media()) {
      if (m.kind().equals(LIVE_PHOTO)) {
        continue; // the note above covers it
      }
      String fileId = fileIdToReuse(m);
      // a file_id keeps its kind: Telegram refuses a photo's file_id in sendDocument
      String sendAs = fileId != null ? m.kind() : sendAs(p, m);
      if (sendAs == null) {
        continue;
      }
      String caption = null;
      JsonNode entities = null;
      if (!captionPlaced && p.caption() != null && !p.caption().isEmpty()) {
        if (!takesCaption(sendAs)) {
          notes.add(new Note(p.messageId(), Severity.CHANGED, "a " + sendAs + " carries no caption: the caption is"
              + " sent as a separate message"));
        } else if (captionFits(p)) {
          caption = p.caption();
          entities = sendable(p, p.captionEntities());
          captionPlaced = true;
        }
      }
      items.add(new Item(p, m, sendAs, caption, entities, fileId));
    }
    if (!captionPlaced && p.caption() != null && !p.caption().isEmpty()) {
      captionsAfter.add(p);
    }
  }

  /**
   * The original file_id when the item goes by it: stored (so the backup vouches for it), over
   * the upload limit, and with a file_id recorded. Within the limit the bucket's bytes are
   * uploaded, so the restore does not depend on the bot that received the file.
   */
  private String fileIdToReuse(MediaEntry m) {
    if (!reuseFileIds || !m.stored() || m.fileId() == null || m.fileId().isBlank() || method(m.kind()) == null) {
      return null;
    }
    return m.size() != null && m.size() > limits.fileBytes() ? m.fileId() : null;
  }

  /** The kind to send the item as, or null (noted) when it cannot be sent. */
  private String sendAs(PostManifest p, MediaEntry m) {
    if (!m.stored()) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, m.kind() + " " + m.fileUniqueId()
          + " is not in the backup (" + m.state() + (m.reason() == null ? "" : ": " + m.reason()) + ")"));
      return null;
    }
    long size = m.size() == null ? 0 : m.size();
    if (size <= 0) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, m.kind() + " " + m.objectKey()
          + (m.size() == null ? " has no recorded size" : " is empty (0 bytes)") + "; Telegram refuses empty files"));
      return null;
    }
    String kind = m.kind();
    if ("photo".equals(kind)) {
      String why = photoProblem(m, size);
      if (why != null) {
        notes.add(new Note(p.messageId(), Severity.CHANGED, "photo " + m.objectKey() + " is sent as a document: "
            + why));
        kind = "document";
      }
    }
    if (method(kind) == null) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, "media kind '" + m.kind() + "' cannot be sent by a bot"));
      return null;
    }
    if (size > limits.fileBytes()) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, m.kind() + " " + m.objectKey() + " has " + mb(size)
          + "; this Bot API server takes uploads up to " + mb(limits.fileBytes())
          + (limits.localMode() ? "" : " (a self-hosted telegram-bot-api server with --local and"
          + " telegram.localMode: true takes up to 2000 MB)")
          + (reuseFileIds ? "; its manifest records no file_id to send it by instead" : "")));
      return null;
    }
    return kind;
  }

  private String photoProblem(MediaEntry m, long size) {
    if (size > limits.photoBytes()) {
      return "it has " + mb(size) + " and sendPhoto takes up to " + mb(limits.photoBytes());
    }
    if (m.width() != null && m.height() != null && m.width() > 0 && m.height() > 0) {
      if (m.width() + m.height() > 10_000) {
        return "width + height exceeds 10000 pixels";
      }
      double ratio = Math.max(m.width(), m.height()) / (double) Math.min(m.width(), m.height());
      if (ratio > 20) {
        return "its aspect ratio exceeds 20";
      }
    }
    return null;
  }

  /** Splits a run into album-sized calls: at most 10 items, and in cloud mode at most one upload limit in all. */
  private List<List<Item>> chunks(List<Item> run, List<String> why) {
    List<List<Item>> out = new ArrayList<>();
    if (category(run.get(0).sendAs()) == null) {
      run.forEach(it -> out.add(List.of(it)));
      return out;
    }
    List<Item> cur = new ArrayList<>();
    long bytes = 0;
    for (Item it : run) {
      long size = it.uploadBytes(); // a file_id travels as a short string
      boolean full = cur.size() == MAX_ALBUM;
      boolean heavy = !limits.localMode() && !cur.isEmpty() && bytes + size > limits.fileBytes();
      if (full || heavy) {
        why.add(full ? "sendMediaGroup takes at most 10 items"
            : "together the files exceed the " + mb(limits.fileBytes()) + " a request may carry");
        out.add(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(it);
      bytes += size;
    }
    out.add(cur);
    return out;
  }

  private void media(List<Item> items) {
    List<Long> msgs = items.stream().map(i -> i.post().messageId()).distinct().toList();
    String id = "m" + msgs.stream().map(String::valueOf).collect(Collectors.joining("+"));
    String method = items.size() == 1 ? method(items.get(0).sendAs()) : "sendMediaGroup";
    add(new Send(id, method, msgs, items, null, null, null));
  }

  private void captionOnly(PostManifest p) {
    String caption = p.caption();
    if (characters(caption) > MAX_TEXT) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, "the caption has " + characters(caption)
          + " characters, more than a message may have (" + MAX_TEXT + ")"));
      return;
    }
    text("m" + p.messageId() + "/caption", p, caption, p.captionEntities());
  }

  private void text(String id, PostManifest p, String text, JsonNode entities) {
    if (characters(text) > MAX_TEXT) {
      notes.add(new Note(p.messageId(), Severity.NOT_SENT, "the text has " + characters(text)
          + " characters, more than a bot may send (" + MAX_TEXT + ")"));
      return;
    }
    add(new Send(id, "sendMessage", List.of(p.messageId()), List.of(), text, sendable(p, entities), null));
  }

  /**
   * The formatting as the Bot API takes it back: an entity type its server does not know (one a newer Bot API
   * added, or a damaged manifest's) makes it refuse the whole message ("Can't parse MessageEntity: Unsupported
   * type specified", telegram-bot-api's get_text_entity_type), so such an entity is left out and noted; its text
   * stays, unformatted.
   */
  private JsonNode sendable(PostManifest p, JsonNode entities) {
    if (entities == null || !entities.isArray()) {
      return entities;
    }
    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
    Set<String> left = new LinkedHashSet<>();
    for (JsonNode e : entities) {
      String type = e.path("type").asText("");
      if (SENDABLE_ENTITIES.contains(type)) {
        kept.add(e);
      } else {
        left.add(type.isEmpty() ? "(without a type)" : type);
      }
    }
    if (left.isEmpty()) {
      return entities;
    }
    Note note = new Note(p.messageId(), Severity.CHANGED, "formatting of a type the Bot API does not take ("
        + String.join(", ", left) + ") is left out: its text is sent unformatted");
    if (!notes.contains(note)) {
      notes.add(note);
    }
    return kept;
  }

  private void add(Send s) {
    String id = s.id();
    for (int n = 2; !ids.add(id); n++) {
      id = s.id() + "#" + n;
    }
    sends.add(id.equals(s.id()) ? s : new Send(id, s.method(), s.messageIds(), s.items(), s.text(), s.entities(),
        s.params()));
  }

  /**
   * Characters as the 4096 limit of a text message counts them, at the least: Unicode code points.
   * Telegram posted every text and caption in the backup under that same limit (captions of Premium
   * authors go up to 4096 too), so a count that makes an emoji two (UTF-16 units) would refuse posts
   * Telegram takes; one Telegram does refuse is reported from its answer. Captions sent as captions
   * keep the stricter UTF-16 count: a refused caption would take its media down with it, while one
   * sent as a separate message loses nothing.
   */
  static int characters(String text) {
    return text.codePointCount(0, text.length());
  }

  /** Kinds sendMediaGroup may group together, or null for kinds that are always sent alone. */
  static String category(String kind) {
    return switch (kind) {
      case "photo", "video" -> "visual";
      case "document" -> "document";
      case "audio" -> "audio";
      default -> null;
    };
  }

  static boolean takesCaption(String kind) {
    return !kind.equals("video_note") && !kind.equals("sticker");
  }

  static String method(String kind) {
    return switch (kind) {
      case "photo" -> "sendPhoto";
      case "video" -> "sendVideo";
      case "animation" -> "sendAnimation";
      case "document" -> "sendDocument";
      case "audio" -> "sendAudio";
      case "voice" -> "sendVoice";
      case "video_note" -> "sendVideoNote";
      case "sticker" -> "sendSticker";
      default -> null;
    };
  }

  private static String kindsReason(Set<String> kinds) {
    List<String> alone = kinds.stream().filter(k -> category(k) == null).toList();
    if (!alone.isEmpty()) {
      return String.join(", ", alone) + " cannot be part of an album (sendMediaGroup takes photos, videos,"
          + " documents and audio)";
    }
    return "sendMediaGroup cannot mix " + String.join(" with ", kinds)
        + " (documents only with documents, audio only with audio)";
  }

  private static String describeOther(PostManifest p) {
    List<String> has = OtherContent.unhandled(p.message());
    return has.isEmpty() ? "" : " (it carries " + String.join(", ", has) + ", which channel-mirror does not restore)";
  }

  /**
   * Notes what a post that is sent loses: what it carries besides what is sent of it (a game, a checklist, a
   * field of a newer Bot API, ...), the forward header of a forwarded post, the link of a reply, a video's cover.
   */
  private void noteLosses(PostManifest p) {
    List<String> has = OtherContent.unhandled(p.message());
    if (!has.isEmpty()) {
      notes.add(new Note(p.messageId(), Severity.CHANGED, "it also carries " + String.join(", ", has)
          + ", which channel-mirror does not restore: only the rest is sent"));
    }
    String forwarded = OtherContent.forwardedFrom(p.message());
    if (forwarded != null) {
      notes.add(new Note(p.messageId(), Severity.CHANGED, "forwarded from " + forwarded + ": the copy is a post of"
          + " its own, without the forward header (a bot can forward only what it can still see)"));
    }
    long replyTo = OtherContent.replyTo(p.message());
    if (replyTo > 0 && !postIds.contains(replyTo)) {
      notes.add(new Note(p.messageId(), Severity.CHANGED, "a reply to message " + replyTo + ", which is not"
          + " restored with it: sent as a post of its own, not as a reply"));
    }
    if (p.message() != null && p.message().path("video").has("cover")) {
      notes.add(new Note(p.messageId(), Severity.CHANGED, "the video's cover image is not in the backup: Telegram"
          + " shows a frame of the video instead"));
    }
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
