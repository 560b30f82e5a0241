package org.channelmirror.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The object layout, a public contract: restore reads the bucket with nothing but these rules.
 * Keys are ASCII, stable across versions and collision-free. Strings that come from users or
 * Telegram pass through {@link #escapeSegment} before they become part of a key.
 *
 * <pre>
 * &lt;prefix&gt;media/&lt;escaped file_unique_id&gt;[.ext]
 * &lt;prefix&gt;channels/&lt;chatId&gt;/posts/&lt;messageId, 10 digits&gt;/&lt;editDate, 10 digits&gt;-&lt;12 hex&gt;.json
 * &lt;prefix&gt;channels/&lt;chatId&gt;/index.json
 * </pre>
 * Zero padding makes lexical key order equal numeric order, so listings come back sorted by
 * message id and then by edit date.
 */
public final class ObjectKeys {
  /** Longest segment {@link #escapeSegment} returns. */
  static final int MAX_SEGMENT = 200;
  private static final int HASH_HEX = 32;
  private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,10}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{12,}");
  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();
  private static final Map<String, String> MIME_EXTENSIONS = Map.ofEntries(
      Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/gif", "gif"),
      Map.entry("image/webp", "webp"), Map.entry("image/heic", "heic"), Map.entry("image/bmp", "bmp"),
      Map.entry("image/svg+xml", "svg"), Map.entry("image/tiff", "tif"),
      Map.entry("video/mp4", "mp4"), Map.entry("video/quicktime", "mov"), Map.entry("video/webm", "webm"),
      Map.entry("video/x-matroska", "mkv"), Map.entry("video/mpeg", "mpg"), Map.entry("video/x-msvideo", "avi"),
      Map.entry("audio/mpeg", "mp3"), Map.entry("audio/mp4", "m4a"), Map.entry("audio/x-m4a", "m4a"),
      Map.entry("audio/ogg", "ogg"), Map.entry("audio/opus", "opus"), Map.entry("audio/flac", "flac"),
      Map.entry("audio/x-flac", "flac"), Map.entry("audio/wav", "wav"), Map.entry("audio/x-wav", "wav"),
      Map.entry("audio/aac", "aac"), Map.entry("application/pdf", "pdf"), Map.entry("application/zip", "zip"),
      Map.entry("application/x-7z-compressed", "7z"), Map.entry("application/x-rar-compressed", "rar"),
      Map.entry("application/vnd.rar", "rar"), Map.entry("application/gzip", "gz"),
      Map.entry("application/json", "json"), Map.entry("application/x-tgsticker", "tgs"),
      Map.entry("application/epub+zip", "epub"), Map.entry("application/msword", "doc"),
      Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
      Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
      Map.entry("application/vnd.android.package-archive", "apk"),
      Map.entry("text/plain", "txt"), Map.entry("text/html", "html"), Map.entry("text/csv", "csv"));

  private ObjectKeys() {}

  /** {@code <prefix>media/<escaped fileUniqueId>[.<ext>]}; an invalid extension is dropped. */
  public static String media(String prefix, String fileUniqueId, String extension) {
    String ext = cleanExtension(extension);
    return mediaFolder(prefix) + escapeSegment(fileUniqueId) + (ext.isEmpty() ? "" : "." + ext);
  }

  /** {@code <prefix>media/}: the folder of the media objects. */
  public static String mediaFolder(String prefix) {
    return normalisePrefix(prefix) + "media/";
  }

  /**
   * Whether {@code key} is in {@code mediaFolder} itself, where {@link #media} keys are: a key in a
   * folder below it ({@code media/x/...}) belongs to something else, such as an instance whose
   * prefix lies below ours.
   */
  public static boolean inMediaFolder(String mediaFolder, String key) {
    return key.startsWith(mediaFolder) && key.indexOf('/', mediaFolder.length()) < 0;
  }

  /**
   * {@code <prefix>channels/<chatId>/posts/<messageId>/<editDate>-<hash12>.json}, one per post version.
   * {@code editDate} is the edit's Unix time, 0 for the original post.
   */
  public static String manifest(String prefix, long chatId, long messageId, long editDate, String contentHash) {
    requireRange("messageId", messageId);
    requireRange("editDate", editDate);
    String hash = contentHash == null ? "" : contentHash.toLowerCase(Locale.ROOT);
    if (!HEX.matcher(hash).matches()) {
      throw new IllegalArgumentException("contentHash: needs at least 12 hex digits, was '" + contentHash + "'");
    }
    return channelDir(prefix, chatId) + "posts/" + String.format(Locale.ROOT, "%010d", messageId) + "/"
        + String.format(Locale.ROOT, "%010d", editDate) + "-" + hash.substring(0, 12) + ".json";
  }

  /** {@code <prefix>channels/<chatId>/index.json}. */
  public static String channelIndex(String prefix, long chatId) {
    return channelDir(prefix, chatId) + "index.json";
  }

  /**
   * Escapes one key segment. {@code [A-Za-z0-9_-]} stay; every other UTF-8 byte becomes
   * {@code ~XX} (upper-case hex), so distinct inputs give distinct outputs. Results longer than
   * {@value #MAX_SEGMENT} characters are cut and end in {@code ~~} and 32 hex digits of the
   * input's SHA-256; {@code ~~} never occurs in an uncut result, so cut and uncut cannot collide.
   */
  public static String escapeSegment(String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("key segment must not be empty");
    }
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(utf8.length + 8);
    for (byte b : utf8) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
        out.append((char) c);
      } else {
        out.append('~').append(UPPER_HEX.toHexDigits((byte) c));
      }
    }
    if (out.length() <= MAX_SEGMENT) {
      return out.toString();
    }
    int keep = MAX_SEGMENT - 2 - HASH_HEX;
    // never cut inside a "~XX" escape
    int tilde = out.lastIndexOf("~", keep - 1);
    if (tilde >= 0 && tilde > keep - 3) {
      keep = tilde;
    }
    String hash = HexFormat.of().formatHex(sha256(utf8)).substring(0, HASH_HEX);
    return out.substring(0, keep) + "~~" + hash;
  }

  /**
   * Normalises a key prefix: trims, drops leading slashes, ensures one trailing slash, and
   * returns "" for an empty prefix. Rejects {@code .} and {@code ..} segments, empty segments,
   * backslashes and control characters.
   */
  public static String normalisePrefix(String prefix) {
    if (prefix == null) {
      return "";
    }
    String p = prefix.strip();
    int start = 0;
    while (start < p.length() && p.charAt(start) == '/') {
      start++;
    }
    p = p.substring(start);
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty()) {
      return "";
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || Character.isISOControl(c)) {
        throw new IllegalArgumentException("prefix: control characters and backslashes are not allowed: '"
            + prefix.replaceAll("\\p{Cntrl}", "?") + "'");
      }
    }
    for (String segment : p.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("prefix: empty, '.' and '..' segments are not allowed: '" + prefix + "'");
      }
    }
    return p + "/";
  }

  /**
   * A safe file extension, best effort: "jpg" for photos, else the extension of the Telegram
   * file path, else one from the MIME type, else the original file name's, else "".
   * Every answer matches {@code [a-z0-9]{1,10}} or is empty.
   */
  public static String extensionFor(String mimeType, String fileName, String telegramFilePath, String kind) {
    if ("photo".equalsIgnoreCase(kind)) {
      return "jpg";
    }
    String fromPath = cleanExtension(extensionOf(telegramFilePath));
    if (!fromPath.isEmpty()) {
      return fromPath;
    }
    if (mimeType != null) {
      String mime = mimeType.strip().toLowerCase(Locale.ROOT);
      int semicolon = mime.indexOf(';');
      String ext = MIME_EXTENSIONS.get(semicolon < 0 ? mime : mime.substring(0, semicolon).strip());
      if (ext != null) {
        return ext;
      }
    }
    return cleanExtension(extensionOf(fileName));
  }

  private static String extensionOf(String name) {
    if (name == null) {
      return "";
    }
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    String base = name.substring(slash + 1);
    int dot = base.lastIndexOf('.');
    return dot <= 0 ? "" : base.substring(dot + 1);
  }

  private static String cleanExtension(String extension) {
    if (extension == null) {
      return "";
    }
    String e = extension.strip().toLowerCase(Locale.ROOT);
    if (e.startsWith(".")) {
      e = e.substring(1);
    }
    return EXTENSION.matcher(e).matches() ? e : "";
  }

  private static String channelDir(String prefix, long chatId) {
    return normalisePrefix(prefix) + "channels/" + chatId + "/";
  }

  private static void requireRange(String name, long value) {
    if (value < 0 || value > 9_999_999_999L) {
      throw new IllegalArgumentException(name + ": must be 0..9999999999, was " + value);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
