package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.channelmirror.backup.Manifests;

/**
 * One post version read back from its manifest ({@code channel-mirror/manifest/v1}).
 * Entities are kept as the JSON Telegram sent (offsets in UTF-16 code units), never re-parsed.
 *
 * @param key the manifest's object key
 * @param message the raw Telegram message
 */
public record PostManifest(String key, long chatId, long messageId, long date, long editDate, String contentHash,
    String mediaGroupId, String text, JsonNode entities, String caption, JsonNode captionEntities,
    boolean showCaptionAboveMedia, boolean hasMediaSpoiler, String authorSignature, List<MediaEntry> media,
    boolean complete, Instant writtenAt, JsonNode message) {

  public PostManifest {
    media = List.copyOf(media);
  }

  /**
   * Whether {@code backfill} rebuilt this version from a forward: it has no album id, and its
   * content is as the post was at backfill time.
   */
  public boolean backfilled() {
    return message != null && Manifests.SOURCE_BACKFILL.equals(message.path(Manifests.SOURCE_FIELD).asText(null));
  }

  /** "message 12" or "message 12 (edited)", for reports. */
  public String describe() {
    return "message " + messageId + (editDate > 0 ? " (edited)" : "");
  }

  /**
   * Posts in order, cut into runs that form one album each (consecutive posts sharing a
   * media_group_id); a post outside any album is a run of one.
   */
  static List<List<PostManifest>> albums(List<PostManifest> posts) {
    List<List<PostManifest>> runs = new java.util.ArrayList<>();
    int i = 0;
    while (i < posts.size()) {
      PostManifest first = posts.get(i);
      int j = i + 1;
      while (first.mediaGroupId() != null && j < posts.size()
          && first.mediaGroupId().equals(posts.get(j).mediaGroupId())) {
        j++;
      }
      runs.add(posts.subList(i, j));
      i = j;
    }
    return runs;
  }
}
