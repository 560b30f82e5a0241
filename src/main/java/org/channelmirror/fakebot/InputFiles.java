package org.channelmirror.fakebot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves an InputFile parameter the way the real server does: {@code attach://<part>}, a part named like the
 * field, a file_id, or (local mode) a local path / file:// URI; enforces upload limits and registers new files.
 */
final class InputFiles {
  static final long CLOUD_PHOTO_LIMIT = 10L << 20;
  private static final long HASH_EXISTING_LIMIT = 256L << 20;
  /** Telegram's answer (MEDIA_EMPTY) to a well-formed file_id this bot cannot use: another bot's, or one unknown. */
  private static final String WRONG_ID = "wrong file identifier/HTTP URL specified";
  /** TDLib's answer when the string is no base64url at all, so it never reaches Telegram. */
  private static final String MALFORMED_ID = "wrong remote file identifier specified: Wrong character in the string";
  private static final Map<String, String> MIME = Map.of("pdf", "application/pdf", "mp4", "video/mp4", "jpg",
      "image/jpeg", "png", "image/png", "zip", "application/zip", "txt", "text/plain", "mp3", "audio/mpeg", "ogg",
      "audio/ogg", "oga", "audio/ogg", "gif", "image/gif");

  /** What was sent: a registered file (new or known), how, and the bytes' size/digest. */
  record Resolved(FileRef file, List<Media.PhotoSize> photoSizes, String fileIdUsed, String fileName,
      String mimeType, long size, String sha256Hex) {}

  private final FakeBotApi api;

  InputFiles(FakeBotApi api) {
    this.api = api;
  }

  Resolved resolve(Params p, String value, String field, String kindDir) {
    if (value != null && value.startsWith("attach://")) {
      Upload u = p.uploads.get(value.substring("attach://".length()));
      if (u == null) {
        throw ApiException.badRequest("can't parse InputMedia: media not found");
      }
      return fromUpload(u, kindDir);
    }
    if (value == null || value.isEmpty()) {
      Upload u = p.uploads.get(field);
      if (u == null) {
        throw ApiException.badRequest("there is no " + field + " in the request");
      }
      return fromUpload(u, kindDir);
    }
    if (api.files.localMode() && (value.startsWith("file://") || value.startsWith("/"))) {
      return fromLocalPath(value.startsWith("file://") ? Path.of(java.net.URI.create(value)) : Path.of(value),
          kindDir);
    }
    if (!value.contains(".") && !value.matches("[A-Za-z0-9_=-]+")) {
      throw ApiException.badRequest(MALFORMED_ID);
    }
    FileRef known = api.files.byId(value);
    if (known == null || !compatible(known.kindDir(), kindDir)) {
      throw ApiException.badRequest(known == null ? WRONG_ID : "type of file mismatch");
    }
    List<Media.PhotoSize> sizes = kindDir.equals("photos") ? Media.repostPhotoSet(api.files, known) : null;
    FileRef used = sizes != null ? sizes.get(sizes.size() - 1).file() : known;
    String sha = known.size() <= HASH_EXISTING_LIMIT ? known.content().sha256Hex() : null;
    return new Resolved(used, sizes, value, null, null, known.size(), sha);
  }

  /** Photos only as photos; anything else may be sent as a document; otherwise the same kind. */
  private static boolean compatible(String have, String want) {
    if (have.equals(want)) {
      return true;
    }
    return want.equals("documents") && !have.equals("photos") && !have.equals("stickers");
  }

  private Resolved fromUpload(Upload u, String kindDir) {
    long limit = api.files.localMode() ? Router.LOCAL_UPLOAD_LIMIT
        : kindDir.equals("photos") ? CLOUD_PHOTO_LIMIT : Router.CLOUD_UPLOAD_LIMIT;
    if (u.content() == null || u.size() > limit) {
      throw ApiException.badRequest("file is too big");
    }
    if (u.size() == 0) {
      throw ApiException.badRequest("file must be non-empty");
    }
    String mime = u.contentType() != null && !u.contentType().startsWith("application/octet-stream")
        ? u.contentType() : guessMime(u.fileName());
    return register(u.content(), kindDir, u.fileName(), mime, u.sha256Hex());
  }

  private Resolved fromLocalPath(Path path, String kindDir) {
    try {
      if (!Files.isRegularFile(path)) {
        throw ApiException.badRequest(WRONG_ID);
      }
      long size = Files.size(path);
      if (size > Router.LOCAL_UPLOAD_LIMIT) {
        throw ApiException.badRequest("file is too big");
      }
      // copy so later changes to the caller's file don't alter what was "sent"
      Path copy = Files.createTempFile(api.spoolDir, "local", ".bin");
      try (InputStream in = Files.newInputStream(path)) {
        Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      FileContent c = new Contents.OnDisk(copy, size);
      String name = path.getFileName().toString();
      return register(c, kindDir, name, guessMime(name), c.sha256Hex());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Resolved register(FileContent c, String kindDir, String fileName, String mime, String sha) {
    if (kindDir.equals("photos")) {
      List<Media.PhotoSize> sizes = Media.newPhotoSet(api.files, c, sha.hashCode());
      return new Resolved(sizes.get(sizes.size() - 1).file(), sizes, null, fileName, mime, c.size(), sha);
    }
    FileRef f = api.files.add(c, kindDir, Media.extOf(fileName));
    return new Resolved(f, null, null, fileName, mime, c.size(), sha);
  }

  static String guessMime(String fileName) {
    String ext = Media.extOf(fileName);
    return ext == null ? "application/octet-stream"
        : MIME.getOrDefault(ext.toLowerCase(Locale.ROOT), "application/octet-stream");
  }
}
