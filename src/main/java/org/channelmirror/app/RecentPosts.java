package org.channelmirror.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.channelmirror.backup.Manifests;
import org.channelmirror.catalog.RecentVersion;

/**
 * The JSON of {@code /api/posts}: the latest post versions with a short excerpt of what each
 * says, its media kinds, how many of its media are stored, and its manifest once written. The
 * dashboard lists it under "Recent posts".
 */
final class RecentPosts {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Code points of text or caption shown: enough to recognise a post. */
  static final int EXCERPT = 160;
  private static final List<String> MEDIA_KEYS =
      List.of("photo", "live_photo", "video", "animation", "document", "audio", "voice", "video_note", "sticker",
          "paid_media");

  private RecentPosts() {}

  static String json(List<RecentVersion> versions) {
    ArrayNode out = JSON.createArrayNode();
    for (RecentVersion v : versions) {
      ObjectNode n = out.addObject();
      n.put("chat_id", v.chatId());
      n.put("message_id", v.messageId());
      n.put("date", v.postDate());
      n.put("edit_date", v.editDate()); // 0 for the original post, as in manifests and index.json
      n.put("media_group_id", v.mediaGroupId());
      n.put("received_at", v.receivedAt().toString());
      JsonNode raw = parse(v.rawJson());
      String text = raw.path("text").asText(raw.path("caption").asText(""));
      n.put("excerpt", excerpt(text));
      ArrayNode kinds = n.putArray("kinds");
      // an animation also carries a "document" key (BOTAPI 2.5): name it once
      MEDIA_KEYS.stream().filter(raw::has)
          .filter(k -> !(k.equals("document") && raw.has("animation")))
          .forEach(kinds::add);
      n.put("media", v.media());
      n.put("media_stored", v.mediaStored());
      n.put("manifest_key", v.manifestKey());
      if (raw.hasNonNull(Manifests.SOURCE_FIELD)) {
        n.put("source", raw.get(Manifests.SOURCE_FIELD).asText());
      }
    }
    return out.toString();
  }

  static String excerpt(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    if (flat.codePointCount(0, flat.length()) <= EXCERPT) {
      return flat;
    }
    return flat.substring(0, flat.offsetByCodePoints(0, EXCERPT)) + "…";
  }

  private static JsonNode parse(String raw) {
    try {
      return JSON.readTree(raw);
    } catch (java.io.IOException e) {
      return JSON.createObjectNode(); // the catalog only holds JSON it parsed; nothing to show otherwise
    }
  }
}
