package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.channelmirror.recovery.RestorePlan.Item;
import org.channelmirror.recovery.RestorePlan.Send;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-posts a channel from the bucket into another chat, in the original order: the latest
 * version of each post, media uploaded from the stored bytes (streamed from S3, never whole in
 * memory), text and captions with their entities passed verbatim (no parse_mode), albums as
 * sendMediaGroup, paid media as sendPaidMedia at its price, polls, places, contacts and dice by
 * their own send methods. With {@link Options#reuseFileIds()}, media over the server's upload
 * limit goes by its original file_id, which only the bot that received the file can use. Flood
 * control (429) is obeyed through {@link BotApi}; the pace stays under {@code messagesPerMinute}.
 * Resumable through a {@link RestoreJournal}: see there for the one window where the outcome of
 * a send cannot be known.
 *
 * <p>Telegram answers that leave no doubt (429, 4xx, connection refused) are retried or
 * recorded as not sent. An answer that leaves doubt (5xx, connection lost after sending) stops
 * the run: posting on could put messages out of order or twice.
 */
public final class Restorer {
  private static final Logger log = LoggerFactory.getLogger(Restorer.class);
  private static final int MAX_FLOOD_WAITS = 30;
  private static final int MAX_ATTEMPTS = 6;
  private static final int MAX_REFUSALS_IN_A_ROW = 3;
  /** Telegram's words for a file_id it will not take (TDLib's texts, and the MTProto error names). */
  private static final Pattern FILE_ID_TROUBLE = Pattern.compile(
      "file.?identifier|file_?id|file.?reference|file of type|type of file|media_empty", Pattern.CASE_INSENSITIVE);

  /**
   * What to restore and how.
   *
   * @param since only posts dated at or after this (null: from the first)
   * @param until only posts dated before this (null: to the last)
   * @param journalDir where the journal lives (the data directory)
   * @param reuseFileIds send media over the upload limit by its original file_id instead of reporting it
   */
  public record Options(Long sourceChat, long targetChat, Instant since, Instant until, boolean dryRun,
      int messagesPerMinute, boolean resendUncertain, boolean skipUncertain, Path journalDir,
      boolean reuseFileIds) {}

  private final BucketReader bucket;
  private final BotApi api;
  private final boolean localMode;
  private final Clock clock;
  private volatile boolean stopRequested;

  public Restorer(BucketReader bucket, BotApi api, boolean localMode, Clock clock) {
    this.bucket = bucket;
    this.api = api;
    this.localMode = localMode;
    this.clock = clock;
  }

  /**
   * Asks a running restore to stop before its next send (the one in progress completes and is
   * journaled). Unlike an interrupt, this never cuts an upload or a journal write short.
   */
  public void requestStop() {
    stopRequested = true;
  }

  /** Builds the plan from the bucket: the latest version of each post in range, in message order. */
  public RestorePlan plan(long source, Instant since, Instant until, boolean reuseFileIds) {
    BucketReader.Latest latest = bucket.latestVersions(source);
    RestorePlan plan = RestorePlanner.plan(source, checkedAgainstTheBucket(latest.postsIn(since, until)),
        RestorePlanner.Limits.of(localMode), reuseFileIds);
    if (latest.unreadable().isEmpty()) {
      return plan;
    }
    // a damaged manifest costs its post (or that post's latest edit), not the whole restore; its date is
    // unknown, so it is reported whatever the range
    List<RestorePlan.Note> notes = new ArrayList<>(plan.notes());
    for (BucketReader.Unreadable u : latest.unreadable()) {
      notes.add(new RestorePlan.Note(u.messageId(), u.olderVersionUsed() ? RestorePlan.Severity.CHANGED
          : RestorePlan.Severity.NOT_SENT, u.describe()));
    }
    notes.sort(Comparator.comparingLong(RestorePlan.Note::messageId));
    return new RestorePlan(plan.sourceChat(), plan.posts(), plan.sends(), notes);
  }

  /**
   * The posts with every stored file looked up in one listing of {@code media/}: a file that is gone
   * or has another size than its manifest records is planned as not in the backup. So a dry run
   * lists it, and an album goes without it instead of failing whole at its send. (A file of the
   * right size whose bytes changed is still caught as it is sent: only reading it tells.)
   */
  private List<PostManifest> checkedAgainstTheBucket(List<PostManifest> posts) {
    MediaListing listing = MediaListing.of(bucket.store());
    List<PostManifest> checked = new ArrayList<>(posts.size());
    for (PostManifest p : posts) {
      List<MediaEntry> media = p.media().stream().map(m -> checked(m, listing)).toList();
      checked.add(media.equals(p.media()) ? p : new PostManifest(p.key(), p.chatId(), p.messageId(), p.date(),
          p.editDate(), p.contentHash(), p.mediaGroupId(), p.text(), p.entities(), p.caption(), p.captionEntities(),
          p.showCaptionAboveMedia(), p.hasMediaSpoiler(), p.authorSignature(), media, p.complete(), p.writtenAt(),
          p.message()));
    }
    return checked;
  }

  private static MediaEntry checked(MediaEntry m, MediaListing listing) {
    if (!m.stored()) {
      return m;
    }
    Optional<ObjectInfo> o = listing.find(m.objectKey());
    String problem = o.isEmpty() ? m.objectKey() + " is missing from the bucket"
        : m.size() != null && o.get().size() != m.size() ? m.objectKey() + " is damaged in the bucket ("
            + o.get().size() + " bytes, the manifest says " + m.size() + ")"
        : null;
    return problem == null ? m : new MediaEntry(m.kind(), "unavailable", m.fileUniqueId(), m.fileId(),
        m.objectKey(), m.size(), m.sha256(), m.mimeType(), m.fileName(), m.width(), m.height(), m.duration(),
        problem + "; verify lists it");
  }

  public RestoreReport restore(Options o, Progress progress) throws IOException {
    long source = bucket.resolveChannel(o.sourceChat());
    RestorePlan plan = plan(source, o.since(), o.until(), o.reuseFileIds());
    String journalPath = RestoreJournal.path(o.journalDir(), source, o.targetChat()).toString();
    if (o.dryRun()) {
      Map<String, RestoreJournal.Entry> done = RestoreJournal.readOnly(o.journalDir(), source, o.targetChat());
      int already = 0;
      List<String> uncertain = new ArrayList<>();
      for (Send s : plan.sends()) {
        RestoreJournal.Entry e = done.get(s.id());
        if (e != null && e.state() == RestoreJournal.State.SENT) {
          already++;
        } else if (e != null && e.state() == RestoreJournal.State.UPLOADED) {
          uncertain.add(describe(s));
        }
      }
      return new RestoreReport(plan, o.targetChat(), true, 0, already, uncertain, List.of(), 0, 0, null,
          journalPath, false);
    }
    try (RestoreJournal journal = RestoreJournal.open(o.journalDir(), source, o.targetChat(), clock)) {
      return new Run(plan, o, journal, progress).run();
    }
  }

  /** One restore run over a plan. */
  private final class Run {
    private final RestorePlan plan;
    private final Options o;
    private final RestoreJournal journal;
    private final Progress progress;
    private final Pacer pacer;
    private final List<String> uncertain = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<Long, Send> lastSendOf = new java.util.HashMap<>();
    private final Map<Long, PostManifest> postById = new java.util.HashMap<>();
    private int sentNow;
    private int itemsByFileId;
    private int alreadySent;
    private int refusalsInARow;

    Run(RestorePlan plan, Options o, RestoreJournal journal, Progress progress) {
      this.plan = plan;
      this.o = o;
      this.journal = journal;
      this.progress = progress;
      this.pacer = new Pacer(clock, o.messagesPerMinute());
      plan.sends().forEach(s -> s.messageIds().forEach(id -> lastSendOf.put(id, s)));
      plan.posts().forEach(p -> postById.putIfAbsent(p.messageId(), p));
    }

    /** Set when a send never got through after every retry: exit status 3, as for a server down. */
    private boolean unreachable;

    RestoreReport run() {
      progress.planned("posts", plan.posts().size(), plan.totalBytes());
      // posts with nothing to send (reported in the plan's notes) are done from the start
      progress.items(plan.posts().stream().filter(p -> !lastSendOf.containsKey(p.messageId())).count());
      String stopped = null;
      try {
        for (Send s : plan.sends()) {
          if (Thread.interrupted() || stopRequested) {
            throw new InterruptedException();
          }
          RestoreJournal.Entry e = journal.get(s.id()).orElse(null);
          if (e != null && e.state() == RestoreJournal.State.SENT) {
            alreadySent++;
            progress.bytes(s.bytes());
            done(s);
            continue;
          }
          if (e != null && e.state() == RestoreJournal.State.UPLOADED && !o.resendUncertain()) {
            if (!o.skipUncertain()) {
              throw new Stop("an earlier run stopped right after sending " + describe(s) + ", before Telegram's"
                  + " answer was recorded: it may or may not be in the target chat. Look there, then run the same"
                  + " command again with --skip-uncertain if it is there, or with --resend-uncertain if it is not");
            }
            journal.skipped(s.id(), "the owner confirmed it was posted (--skip-uncertain)");
            uncertain.add(describe(s));
            progress.bytes(s.bytes());
            done(s);
            continue;
          }
          send(s);
          done(s);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = "interrupted; run the same command again to continue";
      } catch (Stop e) {
        stopped = e.getMessage();
      }
      return new RestoreReport(plan, o.targetChat(), false, sentNow, alreadySent, uncertain, failed, bytes.get(),
          itemsByFileId, stopped, journal.file().toString(), unreachable);
    }

    /** Counts a post as done with the last send that carries it (a caption may follow its media). */
    private void done(Send s) {
      progress.items(s.messageIds().stream().filter(id -> lastSendOf.get(id) == s).count());
    }

    private void send(Send s) throws InterruptedException, Stop {
      pacer.await(s.messages());
      int floods = 0;
      int retries = 0;
      while (true) {
        boolean[] complete = {false};
        journal.sending(s.id());
        long before = bytes.get();
        try {
          JsonNode result = call(s, () -> {
            complete[0] = true;
            journal.uploaded(s.id());
          });
          List<Long> ids = new ArrayList<>();
          if (result.isArray()) {
            result.forEach(m -> ids.add(m.path("message_id").asLong()));
          } else {
            ids.add(result.path("message_id").asLong());
          }
          journal.sent(s.id(), ids);
          sentNow++;
          itemsByFileId += s.itemsByFileId();
          progress.byFileId(s.itemsByFileId());
          refusalsInARow = 0;
          log.info("restore: {} -> {} message(s) {}", s.id(), s.method(), ids);
          return;
        } catch (BotApiException e) {
          switch (e.kind()) {
            case FLOOD -> {
              journal.notSent(s.id(), e.getMessage());
              uncount(before);
              if (stopRequested) {
                throw new InterruptedException();
              }
              if (++floods > MAX_FLOOD_WAITS) {
                throw new Stop("Telegram kept answering 'too many requests' for " + describe(s)
                    + "; nothing was lost, run the same command again later to continue");
              }
              log.info("restore: {}; waiting {} s", e.getMessage(), e.retryAfterSeconds());
            }
            case PERMANENT, TOO_BIG -> {
              journal.notSent(s.id(), e.getMessage());
              if (fileIdRefused(s, e)) {
                // like a file the plan reports as too big: expected of another bot or a file Telegram
                // dropped, and no sign that the target chat refuses posts, so not counted as a refusal in a row
                failed.add(describe(s) + ": " + fileIdRefusal(s, e.description()));
                return;
              }
              failed.add(describe(s) + ": " + e.getMessage());
              if (e.errorCode() == 401 || e.errorCode() == 403) {
                throw new Stop(e.getMessage() + hint(e.errorCode()));
              }
              if (++refusalsInARow >= MAX_REFUSALS_IN_A_ROW) {
                throw new Stop("Telegram refused " + refusalsInARow + " sends in a row, the last: " + e.getMessage());
              }
              return;
            }
            default -> throw uncertain(s, e.getMessage());
          }
        } catch (IOException | RuntimeException e) {
          CheckedObject.Damaged damaged = CheckedObject.verdictIn(e);
          if (damaged != null) {
            // a file that is not in the bucket as its manifest recorded it cannot be restored (README): its
            // check cut the request off before its end, so nothing was posted; retrying would change nothing
            String why = damageOf(s, damaged);
            journal.notSent(s.id(), why);
            uncount(before);
            failed.add(describe(s) + ": " + why + "; not sent (verify --deep lists the bucket's damage)");
            return;
          }
          if (complete[0] && !(e instanceof ConnectException)) {
            throw uncertain(s, "the connection failed after the request was sent: " + e);
          }
          // the request never reached the server whole (or the bucket could not be read): not posted
          journal.notSent(s.id(), e.toString());
          uncount(before);
          if (++retries >= MAX_ATTEMPTS) {
            unreachable = true;
            throw new Stop("cannot send " + describe(s) + ": " + e + "; nothing was posted, run the same command"
                + " again to continue");
          }
          if (stopRequested) {
            throw new InterruptedException();
          }
          log.warn("restore: {} did not go out ({}); trying again", s.id(), e.toString());
          Thread.sleep(Math.min(30_000L, 1000L << retries));
        }
      }
    }

    /**
     * A reply goes out as a reply to the copy of the post it answered once that copy is in the target chat (sent
     * by this run or an earlier one: the journal has its message id); an album's copies come back in the order of
     * its items. Without a copy it goes as a post of its own, as the plan says.
     */
    private String replyParameters(Send s) {
      PostManifest p = postOf(s);
      long to = p == null || s.id().contains("/caption") ? 0 : OtherContent.replyTo(p.message());
      if (to <= 0) {
        return null;
      }
      for (Send t : plan.sends()) {
        if (!t.messageIds().contains(to)) {
          continue;
        }
        RestoreJournal.Entry e = journal.get(t.id()).orElse(null);
        if (e == null || e.state() != RestoreJournal.State.SENT || e.messageIds().isEmpty()) {
          return null;
        }
        int item = 0;
        for (int i = 0; i < t.items().size() && t.method().equals("sendMediaGroup"); i++) {
          if (t.items().get(i).post().messageId() == to) {
            item = i;
            break;
          }
        }
        return "{\"message_id\":" + e.messageIds().get(Math.min(item, e.messageIds().size() - 1))
            + ",\"allow_sending_without_reply\":true}";
      }
      return null;
    }

    /** The post a text send comes from. */
    private PostManifest postOf(Send s) {
      return postById.get(s.messageIds().get(0));
    }

    private void uncount(long before) {
      long sent = bytes.getAndSet(before) - before;
      progress.bytes(-sent);
    }

    private Stop uncertain(Send s, String why) {
      return new Stop("it is unknown whether " + describe(s) + " was posted (" + why + "). Look at the target chat,"
          + " then run the same command again with --skip-uncertain if it is there, or with --resend-uncertain if"
          + " it is not");
    }

    private JsonNode call(Send s, Runnable lastFileWritten) throws InterruptedException, IOException {
      Map<String, String> fields = new LinkedHashMap<>();
      List<BotApi.UploadFile> files = new ArrayList<>();
      if (s.method().equals("sendMessage")) {
        fields.put("text", s.text());
        if (s.entities() != null) {
          fields.put("entities", s.entities().toString());
        }
        fields.put("link_preview_options", linkPreviewOptions(postOf(s), s.id().contains("/caption")));
      } else if (s.method().equals("sendMediaGroup") || s.method().equals("sendPaidMedia")) {
        // InputMedia and InputPaidMedia items alike: their captions are the item's, or (paid media) in params
        ArrayNode media = BucketReader.JSON.createArrayNode();
        for (int i = 0; i < s.items().size(); i++) {
          Item it = s.items().get(i);
          ObjectNode m = media.addObject();
          m.put("type", it.sendAs());
          m.put("media", it.byFileId() ? it.fileId() : "attach://file" + i);
          describeItem(it, (k, v) -> putTyped(m, k, v));
          if (!it.byFileId()) {
            files.add(upload("file" + i, it));
          }
        }
        fields.put("media", media.toString());
      } else if (!s.items().isEmpty()) {
        // one item, or a live photo's video and still: each file in its own field, described by the first
        for (int i = 0; i < s.items().size(); i++) {
          Item it = s.items().get(i);
          fields.put(it.sendAs(), it.byFileId() ? it.fileId() : "attach://file" + i);
          if (i == 0) {
            describeItem(it, fields::put);
          }
          if (!it.byFileId()) {
            files.add(upload("file" + i, it));
          }
        }
      }
      String reply = replyParameters(s);
      if (reply != null) {
        fields.put("reply_parameters", reply);
      }
      if (s.params() != null) {
        // form fields are text; nested values (options, entities) travel as JSON text (BOTAPI §1)
        s.params().properties().forEach(e -> fields.put(e.getKey(),
            e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
      }
      return api.sendMultipart(s.method(), o.targetChat(), fields, files, new BotApi.SendListener() {
        @Override
        public void bytes(long n) {
          bytes.addAndGet(n);
          progress.bytes(n);
        }

        @Override
        public void lastFileWritten() {
          lastFileWritten.run();
        }
      });
    }

    /**
     * Everything wrong with the files of {@code s}, given the first that cut its request off: an
     * album's other files are read to the end too (only in this rare case), so the report names all
     * of them at once.
     */
    private String damageOf(Send s, CheckedObject.Damaged first) {
      List<String> all = new ArrayList<>(List.of(first.getMessage()));
      for (Item it : s.items()) {
        if (!it.byFileId() && !it.media().objectKey().equals(first.key)) {
          CheckedObject.Damaged d = CheckedObject.check(bucket.store(), label(it), it.media());
          if (d != null) {
            all.add(d.getMessage());
          }
        }
      }
      return String.join("; ", all);
    }

    private BotApi.UploadFile upload(String part, Item it) {
      MediaEntry m = it.media();
      ObjectStore store = bucket.store();
      // checked as it streams: a missing or damaged file stops its request before the end (CheckedObject)
      return new BotApi.UploadFile(part, uploadName(it), uploadType(it), m.size(),
          () -> CheckedObject.open(store, label(it), m));
    }

    /** How reports name an item's file: "photo backups/media/AQAD….jpg". */
    private static String label(Item it) {
      return it.sendAs() + " " + it.media().objectKey();
    }
  }

  /**
   * Whether Telegram refused a send for the file_id it carries, by the words Telegram uses for that
   * (TDLib: "wrong file identifier/HTTP URL specified", "wrong remote file identifier specified: ...",
   * "can't use file of type ... as ...", FILE_REFERENCE_EXPIRED). The report's wording depends on it, and
   * whether the refusal counts towards the refusals in a row; a text it does not know counts like any other.
   */
  static boolean fileIdRefused(Send s, BotApiException e) {
    return s.itemsByFileId() > 0 && e.errorCode() == 400 && e.description() != null
        && FILE_ID_TROUBLE.matcher(e.description()).find();
  }

  /** What happened to a send whose file_id Telegram refused, and what the owner can do. */
  String fileIdRefusal(Send s, String telegramSays) {
    List<Item> byId = s.items().stream().filter(Item::byFileId).toList();
    boolean one = byId.size() == 1;
    String what = byId.stream().map(it -> it.sendAs() + " " + it.media().objectKey() + " ("
        + RestorePlanner.mb(it.media().size()) + ")").collect(Collectors.joining(" and "));
    return what + (one ? " is" : " are") + " over " + RestorePlanner.Limits.of(localMode).describe() + "; "
        + (one ? "its original file_id was" : "their original file_ids were") + " refused (" + telegramSays
        + "): file_ids work only for the bot that received the file, while Telegram keeps it; restore with that"
        + " bot's token" + (localMode ? "" : ", or run a self-hosted Bot API server (telegram.localMode) to upload "
        + (one ? "it" : "them") + " from the bucket")
        + (s.items().size() > byId.size() ? ". Telegram refuses an album as a whole: its other items were not"
        + " sent either" : "");
  }

  /**
   * The original text post's link preview options (Message.link_preview_options has the shape
   * sendMessage takes), so a preview that was disabled, moved above the text or pointed at another
   * URL comes back the same. A post that recorded none gets no preview: the preview Telegram built
   * then is not in the backup, and one built now may show a page that has changed since.
   */
  static String linkPreviewOptions(PostManifest post, boolean caption) {
    JsonNode options = caption || post == null || post.message() == null ? null
        : post.message().get("link_preview_options");
    return options != null && options.isObject() ? options.toString() : "{\"is_disabled\":true}";
  }

  /** The optional parameters of one item, as the send method (or InputMedia) names them. */
  static void describeItem(Item it, java.util.function.BiConsumer<String, String> put) {
    PostManifest p = it.post();
    MediaEntry m = it.media();
    String kind = it.sendAs();
    if (it.caption() != null) {
      put.accept("caption", it.caption());
      if (it.captionEntities() != null) {
        put.accept("caption_entities", it.captionEntities().toString());
      }
      if (p.showCaptionAboveMedia() && List.of("photo", "video", "animation", "live_photo").contains(kind)) {
        put.accept("show_caption_above_media", "true");
      }
    }
    if (p.hasMediaSpoiler() && List.of("photo", "video", "animation", "live_photo").contains(kind)) {
      put.accept("has_spoiler", "true");
    }
    JsonNode raw = p.message() == null ? null : p.message().path(m.kind());
    switch (kind) {
      case "video", "animation" -> {
        putInt(put, "duration", m.duration());
        putInt(put, "width", m.width());
        putInt(put, "height", m.height());
        if ("video".equals(kind) && raw != null && raw.path("start_timestamp").asInt(0) > 0) {
          put.accept("start_timestamp", Integer.toString(raw.get("start_timestamp").asInt()));
        }
      }
      case "audio" -> {
        putInt(put, "duration", m.duration());
        if (raw != null && raw.hasNonNull("performer")) {
          put.accept("performer", raw.get("performer").asText());
        }
        if (raw != null && raw.hasNonNull("title")) {
          put.accept("title", raw.get("title").asText());
        }
      }
      case "voice" -> putInt(put, "duration", m.duration());
      case "video_note" -> {
        putInt(put, "duration", m.duration());
        putInt(put, "length", raw != null && raw.hasNonNull("length") ? raw.get("length").asInt() : m.width());
      }
      case "sticker" -> {
        if (raw != null && raw.hasNonNull("emoji")) {
          put.accept("emoji", raw.get("emoji").asText());
        }
      }
      case "document" -> put.accept("disable_content_type_detection", "true");
      default -> { }
    }
  }

  private static void putInt(java.util.function.BiConsumer<String, String> put, String name, Integer v) {
    if (v != null && v > 0) {
      put.accept(name, Integer.toString(v));
    }
  }

  /** InputMedia wants real JSON types: numbers, booleans and entity arrays, not strings. */
  private static void putTyped(ObjectNode m, String k, String v) {
    switch (k) {
      case "caption_entities" -> {
        try {
          m.set(k, BucketReader.JSON.readTree(v));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      case "duration", "width", "height", "length", "start_timestamp" -> m.put(k, Integer.parseInt(v));
      case "show_caption_above_media", "has_spoiler", "disable_content_type_detection" -> m.put(k, Boolean.parseBoolean(v));
      default -> m.put(k, v);
    }
  }

  /**
   * The file name Telegram will show: the original name with control characters, quotes and path
   * separators replaced, or the kind and message id; never a path. A slash in a Telegram file name
   * is part of the name ("AC/DC.mp3"; Telegram's apps send no paths), so it is replaced, not cut at.
   */
  static String uploadName(Item it) {
    MediaEntry m = it.media();
    String ext = fileExtension(it.post(), m);
    String original = m.fileName();
    if (original != null && !original.isBlank() && !"photo".equals(m.kind())) {
      String safe = original.replaceAll("[\\p{Cntrl}\"\\\\/]", "_").strip();
      if (!safe.isEmpty() && !safe.equals(".") && !safe.equals("..")) {
        return safe.length() > 120 ? safe.substring(safe.length() - 120) : safe;
      }
    }
    return m.kind() + "-" + it.post().messageId() + (ext.isEmpty() ? "" : "." + ext);
  }

  /**
   * The extension a media file goes by: a sticker's from its format (Telegram tells .webp, .tgs and
   * .webm stickers apart by the name), else the object key's, else the usual one of its kind (stickers
   * and round videos come with no file name or MIME type, so a key may have none).
   */
  static String fileExtension(PostManifest p, MediaEntry m) {
    JsonNode sticker = p == null || p.message() == null ? null : p.message().get("sticker");
    if ("sticker".equals(m.kind()) && sticker != null && sticker.isObject()) {
      return sticker.path("is_animated").asBoolean(false) ? "tgs" : sticker.path("is_video").asBoolean(false) ? "webm"
          : "webp";
    }
    String ext = extension(m.objectKey());
    if (!ext.isEmpty()) {
      return ext;
    }
    return switch (m.kind()) {
      case "photo" -> "jpg";
      case "video", "animation", "video_note" -> "mp4";
      case "voice" -> "ogg";
      case "sticker" -> "webp";
      default -> "";
    };
  }

  /** The Content-Type of an item's upload: its recorded MIME type, else the one its extension implies. */
  static String uploadType(Item it) {
    if (it.media().mimeType() != null && !it.media().mimeType().isBlank()) {
      return it.media().mimeType();
    }
    return switch (fileExtension(it.post(), it.media())) {
      case "webp" -> "image/webp";
      case "tgs" -> "application/x-tgsticker";
      case "webm" -> "video/webm";
      case "mp4" -> "video/mp4";
      case "jpg" -> "image/jpeg";
      case "ogg", "oga" -> "audio/ogg";
      default -> null;
    };
  }

  static String extension(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return ext.matches("[a-z0-9]{1,10}") ? ext : "";
  }

  static String describe(Send s) {
    return (s.messageIds().size() == 1 ? "message " + s.messageIds().get(0) : "messages " + s.messageIds())
        + " (" + s.method() + (s.id().contains("/caption") ? ", caption" : "") + ")";
  }

  private static String hint(int code) {
    return code == 401 ? " (is telegram.token right?)"
        : " (is the bot an administrator of the target chat, allowed to post?)";
  }

  /** Ends the run early with a message for the owner. */
  private static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;

    Stop(String message) {
      super(message);
    }
  }
}
