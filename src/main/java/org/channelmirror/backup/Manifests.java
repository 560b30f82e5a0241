package org.channelmirror.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.ManifestSource;
import org.channelmirror.catalog.MediaRef;
import org.channelmirror.catalog.PostVersion;

/**
 * The JSON documents written next to the media: one manifest per post version and a channel
 * index. Their shape is a public contract (README, "Object layout"); restore and export read
 * them without the catalog.
 */
public final class Manifests {
  public static final String MANIFEST_FORMAT = "channel-mirror/manifest/v1";
  public static final String INDEX_FORMAT = "channel-mirror/index/v1";
  /**
   * Set by backfill in the channel post it rebuilds from a forward; the manifest says
   * {@code "source": "backfill"}. Kept in the stored message so a reindex from the bucket keeps it.
   */
  public static final String SOURCE_FIELD = "channel_mirror_source";
  public static final String SOURCE_BACKFILL = "backfill";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Manifests() {}

  static byte[] manifest(ManifestSource src, Instant now) {
    PostVersion v = src.version();
    ObjectNode root = JSON.createObjectNode();
    root.put("format", MANIFEST_FORMAT);
    root.put("chat_id", v.chatId());
    root.put("message_id", v.messageId());
    root.put("date", v.postDate());
    root.put("edit_date", v.editDate());
    JsonNode message = parse(v.rawJson());
    if (message.hasNonNull(SOURCE_FIELD)) {
      root.put("source", message.get(SOURCE_FIELD).asText());
    }
    root.put("content_hash", v.contentHash());
    if (v.mediaGroupId() != null) {
      root.put("media_group_id", v.mediaGroupId());
    }
    for (String f : List.of("text", "entities", "caption", "caption_entities", "show_caption_above_media",
        "has_media_spoiler", "author_signature")) {
      if (message.has(f)) {
        root.set(f, message.get(f));
      }
    }
    ArrayNode media = root.putArray("media");
    boolean complete = true;
    for (ManifestSource.Item item : src.items()) {
      MediaRef ref = item.ref();
      ObjectNode m = media.addObject();
      m.put("kind", ref.kind().field());
      m.put("state", item.state().name().toLowerCase(Locale.ROOT));
      m.put("file_unique_id", ref.fileUniqueId());
      m.put("file_id", ref.fileId());
      putIfSet(m, "object_key", item.objectKey());
      if (item.size() != null) {
        m.put("size", item.size());
      } else if (ref.fileSize() != null) {
        m.put("file_size", ref.fileSize());
      }
      putIfSet(m, "sha256", item.sha256());
      putIfSet(m, "mime_type", ref.mimeType());
      putIfSet(m, "file_name", ref.fileName());
      if (ref.width() != null) {
        m.put("width", ref.width());
      }
      if (ref.height() != null) {
        m.put("height", ref.height());
      }
      if (ref.duration() != null) {
        m.put("duration", ref.duration());
      }
      if (item.state() != org.channelmirror.catalog.BlobState.STORED) {
        complete = false;
        putIfSet(m, "reason", item.reason());
      }
    }
    root.put("complete", complete);
    root.put("written_at", now.toString());
    root.set("message", message);
    return bytes(root);
  }

  static byte[] index(long chatId, List<Catalog.IndexEntry> entries, Instant now) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", INDEX_FORMAT);
    root.put("chat_id", chatId);
    root.put("generated_at", now.toString());
    ArrayNode posts = root.putArray("versions");
    for (Catalog.IndexEntry e : entries) {
      ObjectNode p = posts.addObject();
      p.put("message_id", e.messageId());
      p.put("edit_date", e.editDate());
      p.put("date", e.postDate());
      if (e.mediaGroupId() != null) {
        p.put("media_group_id", e.mediaGroupId());
      }
      p.put("manifest", e.manifestKey());
    }
    return bytes(root);
  }

  private static void putIfSet(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("catalog holds a message that is not JSON", e);
    }
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
