package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.catalog.MediaRef;
import org.channelmirror.catalog.PostVersion;
import org.channelmirror.storage.ObjectInfo;

/**
 * Rebuilds the catalog from the bucket's manifests, so a new server can take a bucket over and
 * go on backing up without uploading anything again: every post version with its manifest key,
 * its media items, and each file as STORED (key, size, SHA-256) once the bucket shows the object
 * exists with the recorded size (one listing of {@code media/}, not a request per object). A
 * file whose object is missing becomes PENDING, so the next backup fetches it again while
 * Telegram still has it. Idempotent: versions already in the catalog are skipped. The getUpdates offset is not touched (intake is idempotent anyway).
 */
public final class Reindexer {
  private final BucketReader bucket;
  private final Catalog catalog;

  public Reindexer(BucketReader bucket, Catalog catalog) {
    this.bucket = bucket;
    this.catalog = catalog;
  }

  /** What reindex did. */
  public record ReindexReport(int manifests, int imported, int alreadyPresent, int mediaStored, int mediaToFetch,
      List<String> notes) {
    public ReindexReport {
      notes = List.copyOf(notes);
    }
  }

  public ReindexReport reindex(Progress progress) throws InterruptedException {
    List<BucketReader.ManifestKey> keys = bucket.manifestKeys(null);
    progress.planned("manifests", keys.size(), 0);
    MediaListing media = MediaListing.of(bucket.store());
    Map<String, Optional<ObjectInfo>> found = new HashMap<>();
    List<String> notes = new ArrayList<>();
    int imported = 0;
    int present = 0;
    int stored = 0;
    int toFetch = 0;
    int manifests = 0;
    try (ManifestReads reads = new ManifestReads(bucket, keys)) {
      for (ManifestReads.Read r; (r = reads.next()) != null; ) {
        if (Thread.interrupted()) {
          throw new InterruptedException("reindex interrupted");
        }
        BucketReader.ManifestKey k = r.key();
        if (r.bad() != null) {
          notes.add(r.bad().getMessage());
          progress.items(1);
          continue;
        }
        PostManifest p = r.manifest();
        manifests++;
        List<MediaRef> refs = new ArrayList<>();
        List<Catalog.ImportedItem> items = new ArrayList<>();
        for (MediaEntry m : p.media()) {
          MediaKind kind;
          try {
            kind = MediaKind.ofField(m.kind());
          } catch (IllegalArgumentException | NullPointerException e) {
            notes.add(k.key() + ": media kind '" + m.kind() + "' is unknown to this version; skipped");
            continue;
          }
          if (m.fileUniqueId() == null || m.fileId() == null) {
            notes.add(k.key() + ": a media item has no file_unique_id or file_id; skipped");
            continue;
          }
          MediaRef ref = new MediaRef(kind, m.fileUniqueId(), m.fileId(), m.size(), m.mimeType(), m.fileName(),
              m.width(), m.height(), m.duration());
          refs.add(ref);
          BlobState state = state(m.state());
          String reason = m.reason();
          if (m.stored()) {
            Optional<ObjectInfo> head = found.computeIfAbsent(m.objectKey(), media::find);
            if (head.isPresent() && (m.size() == null || head.get().size() == m.size())) {
              stored++;
            } else {
              state = BlobState.PENDING;
              reason = head.isEmpty() ? "object " + m.objectKey() + " was missing at reindex"
                  : "object " + m.objectKey() + " had the wrong size at reindex";
              notes.add("message " + p.messageId() + " of channel " + p.chatId() + ": " + reason
                  + "; the next backup fetches it again if Telegram still has it");
              toFetch++;
            }
          }
          items.add(new Catalog.ImportedItem(ref, state, m.objectKey(), m.size(), m.sha256(), reason));
        }
        PostVersion v = new PostVersion(p.chatId(), p.messageId(), p.editDate(), p.contentHash(), p.date(),
            p.mediaGroupId(), 0, p.message().toString(), refs);
        JsonNode chat = p.message().path("chat");
        if (catalog.importVersion(v, k.key(), p.writtenAt(), chat.path("title").asText(null),
            chat.path("username").asText(null), items)) {
          imported++;
        } else {
          present++;
        }
        progress.items(1);
      }
    }
    // the next backup rewrites a channel's index from the catalog: say now what only the old index still names
    Set<String> listed = new HashSet<>();
    keys.forEach(k -> listed.add(k.key()));
    for (long chatId : bucket.channels()) {
      for (BucketReader.ManifestKey k : bucket.missingFromIndex(chatId, listed)) {
        notes.add("message " + k.messageId() + " of channel " + chatId + ": " + BucketReader.missingManifest(k.key()));
      }
    }
    return new ReindexReport(manifests, imported, present, stored, toFetch, notes);
  }

  private static BlobState state(String s) {
    return switch (s == null ? "" : s) {
      case "stored" -> BlobState.STORED;
      case "too_big" -> BlobState.TOO_BIG;
      case "failed" -> BlobState.FAILED;
      default -> BlobState.PENDING;
    };
  }
}
