package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Builds the Bot API media objects (PhotoSize, Video, Document, ...) in the server's key order. */
final class Media {
  private Media() {}

  record PhotoSize(FileRef file, int width, int height) {}

  static void fileFields(ObjectNode n, FileRef f) {
    n.put("file_id", f.fileId());
    n.put("file_unique_id", f.fileUniqueId());
    n.put("file_size", f.size());
  }

  /** Two small real JPEG sizes plus the given largest one (last), remembered for reposts. */
  static List<PhotoSize> newPhotoSet(FileStore store, FileContent largest, long seed) {
    int w = 1280;
    int h = 853;
    if (largest instanceof Contents.Jpeg j) {
      w = j.width;
      h = j.height;
    }
    List<PhotoSize> sizes = new ArrayList<>();
    for (int box : new int[] {90, 320}) {
      if (Math.max(w, h) > box) {
        int sw = Math.max(1, w >= h ? box : w * box / h);
        int sh = Math.max(1, w >= h ? h * box / w : box);
        sizes.add(new PhotoSize(store.add(FileContent.jpeg(seed * 31 + box, sw, sh), "photos", "jpg"), sw, sh));
      }
    }
    FileRef big = store.add(largest, "photos", "jpg");
    sizes.add(new PhotoSize(big, w, h));
    store.rememberPhotoSet(big.fileUniqueId(), sizes);
    return sizes;
  }

  /** A repost of a known photo: same file_unique_ids, new file_ids. */
  static List<PhotoSize> repostPhotoSet(FileStore store, FileRef largest) {
    List<PhotoSize> known = store.photoSet(largest.fileUniqueId());
    List<PhotoSize> out = new ArrayList<>();
    if (known == null) {
      int w = 1280;
      int h = 853;
      if (largest.content() instanceof Contents.Jpeg j) {
        w = j.width;
        h = j.height;
      }
      out.add(new PhotoSize(store.alias(largest), w, h));
      return out;
    }
    for (PhotoSize s : known) {
      out.add(new PhotoSize(store.alias(s.file()), s.width(), s.height()));
    }
    return out;
  }

  static ArrayNode photoJson(List<PhotoSize> sizes) {
    ArrayNode a = Json.array();
    for (PhotoSize s : sizes) {
      ObjectNode n = a.addObject();
      fileFields(n, s.file());
      n.put("width", s.width());
      n.put("height", s.height());
    }
    return a;
  }

  static ObjectNode video(FileRef f, int duration, int w, int h, String fileName, String mime) {
    ObjectNode n = Json.object();
    n.put("duration", duration);
    n.put("width", w);
    n.put("height", h);
    optional(n, "file_name", fileName);
    optional(n, "mime_type", mime);
    fileFields(n, f);
    return n;
  }

  static ObjectNode animation(FileRef f, int duration, int w, int h, String fileName, String mime) {
    ObjectNode n = Json.object();
    optional(n, "file_name", fileName);
    optional(n, "mime_type", mime);
    n.put("duration", duration);
    n.put("width", w);
    n.put("height", h);
    fileFields(n, f);
    return n;
  }

  static ObjectNode document(FileRef f, String fileName, String mime) {
    ObjectNode n = Json.object();
    optional(n, "file_name", fileName);
    optional(n, "mime_type", mime);
    fileFields(n, f);
    return n;
  }

  static ObjectNode audio(FileRef f, int duration, String fileName, String mime, String title, String performer) {
    ObjectNode n = Json.object();
    n.put("duration", duration);
    optional(n, "file_name", fileName);
    optional(n, "mime_type", mime);
    optional(n, "title", title);
    optional(n, "performer", performer);
    fileFields(n, f);
    return n;
  }

  static ObjectNode voice(FileRef f, int duration, String mime) {
    ObjectNode n = Json.object();
    n.put("duration", duration);
    optional(n, "mime_type", mime);
    fileFields(n, f);
    return n;
  }

  static ObjectNode videoNote(FileRef f, int duration, int length) {
    ObjectNode n = Json.object();
    n.put("duration", duration);
    n.put("length", length);
    fileFields(n, f);
    return n;
  }

  static ObjectNode sticker(FileRef f, String emoji, boolean animated, boolean isVideo) {
    ObjectNode n = Json.object();
    n.put("width", 512);
    n.put("height", 512);
    optional(n, "emoji", emoji);
    n.put("is_animated", animated);
    n.put("is_video", isVideo);
    n.put("type", "regular");
    fileFields(n, f);
    return n;
  }

  static String stickerExt(boolean animated, boolean isVideo) {
    return animated ? "tgs" : isVideo ? "webm" : "webp";
  }

  static String extOf(String fileName) {
    if (fileName == null) {
      return null;
    }
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1);
    return ext.matches("[A-Za-z0-9]{1,8}") ? ext.toLowerCase(java.util.Locale.ROOT) : null;
  }

  private static void optional(ObjectNode n, String key, String value) {
    if (value != null) {
      n.put(key, value);
    }
  }
}
