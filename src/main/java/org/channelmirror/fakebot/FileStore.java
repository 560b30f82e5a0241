package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** Every file the fake knows: ids, getFile paths (cloud: relative; local mode: absolute, materialised on disk). */
final class FileStore {
  static final long CLOUD_DOWNLOAD_LIMIT = 20L << 20;
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final Map<String, String> ID_PREFIX = Map.of("photos", "AgACAgQAAx0C", "videos", "BAACAgQAAx0C",
      "documents", "BQACAgQAAx0C", "music", "CQACAgQAAx0C", "voice", "AwACAgQAAx0C", "video_notes",
      "DQACAgQAAx0C", "animations", "CgACAgQAAx0C", "stickers", "CAACAgQAAx0C");
  private static final Map<String, String> DEFAULT_EXT = Map.of("photos", "jpg", "videos", "mp4", "music", "mp3",
      "voice", "oga", "video_notes", "mp4", "animations", "mp4", "stickers", "webp", "thumbnails", "jpg");

  private final boolean localMode;
  private final Path localDir;
  private final SplittableRandom rnd = new SplittableRandom();
  private final Map<String, FileRef> byId = new HashMap<>();
  private final Map<String, String> extByUnique = new HashMap<>();
  private final Map<String, List<Media.PhotoSize>> photoSets = new HashMap<>();
  private final Map<String, String> pathByUnique = new HashMap<>();
  private final Map<String, FileRef> byPath = new HashMap<>();
  private final Map<String, Object> diskLocks = new ConcurrentHashMap<>();
  private int pathCounter;
  private volatile long cloudDownloadLimit = CLOUD_DOWNLOAD_LIMIT;
  private volatile boolean serveLocal;

  FileStore(boolean localMode, Path localRoot, String token) {
    this.localMode = localMode;
    this.localDir = localMode ? localRoot.toAbsolutePath().resolve(token) : null;
  }

  boolean localMode() {
    return localMode;
  }

  /** Registers new content; {@code ext} (no dot) may be null to use the kind's default. */
  synchronized FileRef add(FileContent content, String kindDir, String ext) {
    String unique;
    do {
      unique = (kindDir.equals("photos") ? "AQAD" : "AgAD") + randomChars(16);
    } while (extByUnique.containsKey(unique));
    extByUnique.put(unique, ext != null && !ext.isEmpty() ? ext : DEFAULT_EXT.getOrDefault(kindDir, ""));
    FileRef f = new FileRef(newFileId(kindDir), unique, content.size(), kindDir, content);
    byId.put(f.fileId(), f);
    return f;
  }

  /** The same file under a new file_id, as Telegram may hand out for a repost. */
  synchronized FileRef alias(FileRef f) {
    FileRef a = new FileRef(newFileId(f.kindDir()), f.fileUniqueId(), f.size(), f.kindDir(), f.content());
    extByUnique.putIfAbsent(a.fileUniqueId(), DEFAULT_EXT.getOrDefault(f.kindDir(), ""));
    byId.put(a.fileId(), a);
    return a;
  }

  synchronized FileRef byId(String fileId) {
    return fileId == null ? null : byId.get(fileId);
  }

  synchronized void rememberPhotoSet(String largestUniqueId, List<Media.PhotoSize> sizes) {
    photoSets.put(largestUniqueId, List.copyOf(sizes));
  }

  synchronized List<Media.PhotoSize> photoSet(String largestUniqueId) {
    return photoSets.get(largestUniqueId);
  }

  private String newFileId(String kindDir) {
    String id;
    do {
      id = ID_PREFIX.getOrDefault(kindDir, "BQACAgQAAx0C") + randomChars(64);
    } while (byId.containsKey(id));
    return id;
  }

  private String randomChars(int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(ID_CHARS.charAt(rnd.nextInt(ID_CHARS.length())));
    }
    return sb.toString();
  }

  /** getFile: File object, or ApiException with the real server's texts. */
  ObjectNode getFile(String fileId, Predicate<String> rejectedUniqueId) {
    if (fileId == null || fileId.isEmpty()) {
      throw ApiException.badRequest("file_id not specified");
    }
    FileRef f = byId(fileId);
    if (f == null) {
      throw ApiException.badRequest("invalid file_id");
    }
    if (rejectedUniqueId.test(f.fileUniqueId())) {
      throw ApiException.badRequest("wrong file_id or the file is temporarily unavailable");
    }
    if (!localMode && f.size() > cloudDownloadLimit) {
      throw ApiException.badRequest("file is too big");
    }
    String path = pathFor(f);
    if (localMode) {
      materialise(f, Path.of(path));
    }
    ObjectNode n = Json.object();
    n.put("file_id", f.fileId());
    n.put("file_unique_id", f.fileUniqueId());
    n.put("file_size", f.size());
    n.put("file_path", path);
    return n;
  }

  private synchronized String pathFor(FileRef f) {
    String path = pathByUnique.get(f.fileUniqueId());
    if (path == null) {
      String ext = extByUnique.getOrDefault(f.fileUniqueId(), "");
      String rel = f.kindDir() + "/file_" + pathCounter++ + (ext.isEmpty() ? "" : "." + ext);
      path = localMode ? localDir.resolve(rel).toString() : rel;
      pathByUnique.put(f.fileUniqueId(), path);
      byPath.put(path, f);
    }
    return path;
  }

  /** Streams the content to disk once; concurrent getFile calls for the same file wait for the writer. */
  private void materialise(FileRef f, Path target) {
    synchronized (diskLocks.computeIfAbsent(target.toString(), k -> new Object())) {
      try {
        if (Files.exists(target) && Files.size(target) == f.size()) {
          return;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "dl", ".part");
        try (InputStream in = f.content().open(0); OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 20];
          for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
          }
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("materialising " + target, e);
      }
    }
  }

  void cloudDownloadLimit(long bytes) {
    this.cloudDownloadLimit = bytes;
  }

  void serveLocal(boolean on) {
    this.serveLocal = on;
  }

  /**
   * The file behind a download path, or null for unknown and expired links. In local mode only when serving is on,
   * with the path relative to {@code <root>/<token>/} like an nginx in front of the server's directory.
   */
  synchronized FileRef byPath(String path) {
    if (!localMode) {
      return byPath.get(path);
    }
    return serveLocal ? byPath.get(localDir.resolve(path).normalize().toString()) : null;
  }

  /** Old links die; the next getFile hands out a fresh path. */
  synchronized void expireLinks() {
    byPath.clear();
    pathByUnique.clear();
  }
}
