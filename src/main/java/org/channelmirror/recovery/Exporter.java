package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.channelmirror.retry.Backoff;
import org.channelmirror.storage.StorageException;

/**
 * Writes a browsable offline copy of one channel from the bucket alone: {@code index.html}
 * (self-contained, works from {@code file://}), {@code result.json} in the shape of Telegram
 * Desktop's export, and the media files under the folders Telegram Desktop uses. File names are
 * built from the original name's safe characters only; a name is never used as a path. Each file
 * is hashed while copied and checked against the manifest. Times are UTC.
 */
public final class Exporter {
  private static final DateTimeFormatter DESKTOP_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter PHOTO_DATE = DateTimeFormatter.ofPattern("dd-MM-yyyy_HH-mm-ss")
      .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HUMAN_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final BucketReader bucket;
  private final Clock clock;

  public Exporter(BucketReader bucket, Clock clock) {
    this.bucket = bucket;
    this.clock = clock;
  }

  /** What an export wrote. */
  public record ExportReport(long chatId, Path index, int posts, int files, long bytes, List<String> notes) {
    public ExportReport {
      notes = List.copyOf(notes);
    }
  }

  public ExportReport export(Long channel, Path dir, Instant since, Instant until, Progress progress)
      throws IOException, InterruptedException {
    long chatId = bucket.resolveChannel(channel);
    BucketReader.Latest latest = bucket.latestVersions(chatId);
    List<PostManifest> posts = latest.postsIn(since, until);
    Files.createDirectories(dir);
    long total = posts.stream().flatMap(p -> p.media().stream()).filter(MediaEntry::stored)
        .mapToLong(m -> m.size() == null ? 0 : m.size()).sum();
    progress.planned("posts", posts.size(), total);
    MediaFiles files = new MediaFiles(dir);
    List<String> notes = new ArrayList<>();
    latest.unreadable().forEach(u -> notes.add("message " + u.messageId() + ": " + u.describe()));
    for (PostManifest p : posts) {
      if (Thread.interrupted()) {
        throw new InterruptedException("export interrupted");
      }
      for (MediaEntry m : p.media()) {
        if (m.stored()) {
          files.copy(p, m, notes, progress);
        } else {
          notes.add("message " + p.messageId() + ": " + m.kind() + " is not in the backup (" + m.state()
              + (m.reason() == null ? "" : ": " + m.reason()) + ")");
        }
      }
      progress.items(1);
    }
    ChannelInfo info = ChannelInfo.of(chatId, posts);
    Path index = dir.resolve("index.html");
    write(index, Html.page(info, posts, files.paths, clock.instant()).getBytes(StandardCharsets.UTF_8));
    write(dir.resolve("result.json"), BucketReader.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsBytes(desktopJson(info, posts, files.paths)));
    return new ExportReport(chatId, index, posts.size(), files.count, files.bytes, notes);
  }

  /** Title and username of the channel, from its latest message. */
  record ChannelInfo(long chatId, String title, String username) {
    static ChannelInfo of(long chatId, List<PostManifest> posts) {
      String title = null;
      String username = null;
      for (PostManifest p : posts) {
        JsonNode chat = p.message() == null ? null : p.message().path("chat");
        if (chat != null && chat.hasNonNull("title")) {
          title = chat.get("title").asText();
          username = chat.hasNonNull("username") ? chat.get("username").asText() : null;
        }
      }
      return new ChannelInfo(chatId, title == null ? "Channel " + chatId : title, username);
    }
  }

  /** Copies media into the export, once per object, under safe unique names. */
  private final class MediaFiles {
    final Path dir;
    final Map<String, String> paths = new HashMap<>();
    final Set<String> taken = new HashSet<>();
    int count;
    long bytes;

    MediaFiles(Path dir) {
      this.dir = dir;
    }

    void copy(PostManifest p, MediaEntry m, List<String> notes, Progress progress) throws IOException {
      if (paths.containsKey(m.objectKey())) {
        return;
      }
      String rel = unique(folder(m.kind()) + "/" + fileName(p, m));
      Path target = dir.resolve(rel);
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".part");
      MessageDigest md;
      long n;
      long reported = 0; // bytes already shown in progress, so a read again does not count them twice
      for (int attempt = 1; ; attempt++) {
        md = Verifier.sha256();
        n = 0;
        try (InputStream in = bucket.store().get(m.objectKey()); OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 16];
          for (int r; (r = in.read(buf)) >= 0; ) {
            md.update(buf, 0, r);
            out.write(buf, 0, r);
            n += r;
            if (n > reported) {
              progress.bytes(n - reported);
              reported = n;
            }
          }
          break;
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(tmp);
          // a read cut short mid-body (the S3 client does not retry those) is read again from the start
          boolean transient_ = e instanceof IOException || e instanceof StorageException se && se.retryable();
          if (transient_ && attempt < Verifier.READ_ATTEMPTS) {
            sleepBeforeRetry(attempt);
            continue;
          }
          notes.add("message " + p.messageId() + ": " + m.objectKey() + " could not be copied: " + e.getMessage());
          return;
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      String sha = HexFormat.of().formatHex(md.digest());
      if (m.sha256() != null && !m.sha256().equalsIgnoreCase(sha)) {
        notes.add("message " + p.messageId() + ": " + m.objectKey() + " does not match its manifest's SHA-256"
            + " (the copy in the bucket is damaged; run verify --deep)");
      }
      paths.put(m.objectKey(), rel);
      count++;
      bytes += n;
    }

    private String unique(String rel) {
      String candidate = rel;
      int dot = rel.lastIndexOf('.');
      String stem = dot > rel.lastIndexOf('/') ? rel.substring(0, dot) : rel;
      String ext = dot > rel.lastIndexOf('/') ? rel.substring(dot) : "";
      for (int i = 1; !taken.add(candidate.toLowerCase(Locale.ROOT)); i++) {
        candidate = stem + " (" + i + ")" + ext;
      }
      return candidate;
    }
  }

  static String folder(String kind) {
    return switch (kind) {
      case "photo" -> "photos";
      case "video", "animation", "live_photo" -> "video_files";
      case "voice" -> "voice_messages";
      case "video_note" -> "round_video_messages";
      case "sticker" -> "stickers";
      default -> "files";
    };
  }

  /** A safe file name: Telegram Desktop's photo naming, else the original name made safe ({@link #safeName}). */
  static String fileName(PostManifest p, MediaEntry m) {
    String ext = Restorer.fileExtension(p, m);
    if ("photo".equals(m.kind())) {
      return "photo_" + p.messageId() + "@" + PHOTO_DATE.format(Instant.ofEpochSecond(p.date())) + ".jpg";
    }
    String name = safeName(m.fileName());
    if (name == null) {
      // the original's extension when it has one, as a safe name keeps it
      String own = Restorer.extension(m.fileName() == null ? "" : m.fileName().strip());
      ext = own.isEmpty() ? ext : own;
      return m.kind() + "_" + p.messageId() + (ext.isEmpty() ? "" : "." + ext);
    }
    if (!ext.isEmpty() && !name.toLowerCase(Locale.ROOT).endsWith("." + ext) && !name.contains(".")) {
      name = name + "." + ext;
    }
    return name;
  }

  /** Longest name stem kept, in code points (with the extension, well under 255 bytes of UTF-8). */
  private static final int MAX_STEM = 80;

  /**
   * The original name as Telegram Desktop's export keeps it, in any script, with what no file system
   * or browser takes as part of a name replaced by '_': path separators, characters Windows forbids
   * ({@code <>:"|?*}), control and format characters (a right-to-left override would disguise the
   * extension), and dots or spaces at either end; null when no letter or digit is left before the
   * extension (the caller then names the file by kind and message).
   */
  static String safeName(String original) {
    if (original == null) {
      return null;
    }
    String name = Normalizer.normalize(original, Normalizer.Form.NFC)
        .replaceAll("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}<>:\"/\\\\|?*]+", "_")
        .replaceAll("\\p{Z}+", " ")
        .replaceAll("_+", "_")
        .replaceAll("[.\\s]+$", "");
    // the extension first: "....mp3" is no file named "mp3", but ".bashrc" (its only dot, nothing
    // named before it) is one named "bashrc"
    int dot = name.lastIndexOf('.');
    boolean dotfile = dot == name.indexOf('.') && name.substring(0, Math.max(dot, 0)).matches("[_\\s]*");
    String ext = dot >= 0 && !dotfile && name.length() - dot <= 11 && name.substring(dot + 1).matches("[\\p{L}\\p{N}]+")
        ? name.substring(dot) : "";
    String stem = name.substring(0, name.length() - ext.length()).replaceAll("^[._\\s]+|[.\\s]+$", "");
    if (!stem.matches(".*[\\p{L}\\p{N}].*")) {
      return null;
    }
    if (stem.codePointCount(0, stem.length()) > MAX_STEM) {
      stem = stem.substring(0, stem.offsetByCodePoints(0, MAX_STEM)).strip();
    }
    String safe = stem + ext;
    if (safe.matches("(?i)(con|prn|aux|nul|com\\d|lpt\\d)(\\..*)?")) {
      safe = "_" + safe;
    }
    return safe;
  }

  /** The pause before reading an object again; an interrupt is kept for the export loop to end on. */
  private static void sleepBeforeRetry(int attempt) {
    try {
      Backoff.sleep(Duration.ofSeconds(1), attempt, Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void write(Path file, byte[] data) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".part");
    Files.write(tmp, data);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }

  /** result.json close to Telegram Desktop's "Export chat history" (JSON) format. */
  static ObjectNode desktopJson(ChannelInfo info, List<PostManifest> posts, Map<String, String> paths) {
    ObjectNode root = BucketReader.JSON.createObjectNode();
    root.put("name", info.title());
    root.put("type", info.username() == null ? "private_channel" : "public_channel");
    long bare = info.chatId() <= -1_000_000_000_000L ? -info.chatId() - 1_000_000_000_000L : Math.abs(info.chatId());
    root.put("id", bare);
    ArrayNode messages = root.putArray("messages");
    for (PostManifest p : posts) {
      ObjectNode m = messages.addObject();
      m.put("id", p.messageId());
      m.put("type", "message");
      m.put("date", DESKTOP_DATE.format(Instant.ofEpochSecond(p.date())));
      m.put("date_unixtime", Long.toString(p.date()));
      if (p.editDate() > 0) {
        m.put("edited", DESKTOP_DATE.format(Instant.ofEpochSecond(p.editDate())));
        m.put("edited_unixtime", Long.toString(p.editDate()));
      }
      m.put("from", info.title());
      m.put("from_id", "channel" + bare);
      if (p.authorSignature() != null) {
        m.put("author", p.authorSignature());
      }
      if (p.mediaGroupId() != null) {
        m.put("media_group_id", p.mediaGroupId());
      }
      for (MediaEntry e : p.media()) {
        String path = e.stored() ? paths.get(e.objectKey()) : null;
        String file = path != null ? path : "(File not included: " + (e.stored() ? "could not be copied"
            : e.state() + (e.reason() == null ? "" : ", " + e.reason())) + ")";
        if ("photo".equals(e.kind())) {
          m.put("photo", file);
          if (e.size() != null) {
            m.put("photo_file_size", e.size());
          }
        } else {
          m.put("file", file);
          if (e.fileName() != null) {
            m.put("file_name", e.fileName());
          }
          if (e.size() != null) {
            m.put("file_size", e.size());
          }
          String mediaType = switch (e.kind()) {
            case "video" -> "video_file";
            case "animation" -> "animation";
            case "audio" -> "audio_file";
            case "voice" -> "voice_message";
            case "video_note" -> "video_message";
            case "sticker" -> "sticker";
            default -> null;
          };
          if (mediaType != null) {
            m.put("media_type", mediaType);
          }
          if (e.mimeType() != null) {
            m.put("mime_type", e.mimeType());
          }
          if (e.duration() != null) {
            m.put("duration_seconds", e.duration());
          }
          JsonNode raw = p.message().path(e.kind());
          if (raw.hasNonNull("performer")) {
            m.put("performer", raw.get("performer").asText());
          }
          if (raw.hasNonNull("title")) {
            m.put("title", raw.get("title").asText());
          }
          if (raw.hasNonNull("emoji")) {
            m.put("sticker_emoji", raw.get("emoji").asText());
          }
        }
        if (e.width() != null) {
          m.put("width", e.width());
        }
        if (e.height() != null) {
          m.put("height", e.height());
        }
      }
      OtherContent.desktop(m, p.message());
      String text = p.text() != null ? p.text() : p.caption();
      JsonNode entities = p.text() != null ? p.entities() : p.captionEntities();
      ArrayNode pieces = Entities.desktopEntities(text, entities);
      m.set("text", Entities.desktopText(pieces));
      m.set("text_entities", pieces);
    }
    return root;
  }

  static String humanDate(long epochSecond) {
    return HUMAN_DATE.format(Instant.ofEpochSecond(epochSecond));
  }
}
