package org.channelmirror.recovery;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.StorageException;

/**
 * Reads the backup from the bucket alone: which channels it holds, every post version's
 * manifest, and the latest version of each post. The channel index may be stale, so the
 * {@code posts/} keys are listed instead of trusting it.
 */
public final class BucketReader {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MANIFEST_KEY =
      Pattern.compile("channels/(-?\\d+)/posts/(\\d{10})/(\\d{10})-([0-9a-f]{12})\\.json");
  private static final Pattern CHANNEL_KEY = Pattern.compile("channels/(-?\\d+)/.*");

  private final ObjectStore store;

  public BucketReader(ObjectStore store) {
    this.store = store;
  }

  public ObjectStore store() {
    return store;
  }

  /** The location of one manifest, parsed from its key. */
  public record ManifestKey(String key, long chatId, long messageId, long editDate, long size) {}

  /** Chat ids of every channel with anything under {@code channels/}. */
  public List<Long> channels() {
    TreeSet<Long> out = new TreeSet<>();
    String base = store.prefix() + "channels/";
    for (ObjectInfo o : store.list(base)) {
      Matcher m = CHANNEL_KEY.matcher(o.key().substring(store.prefix().length()));
      if (m.matches()) {
        out.add(Long.parseLong(m.group(1)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The channel to work on: {@code requested} when given, else the only channel in the bucket.
   *
   * @throws IllegalArgumentException naming the channels found when none or several match
   */
  public long resolveChannel(Long requested) {
    List<Long> all = channels();
    if (requested != null) {
      if (!all.contains(requested)) {
        throw new IllegalArgumentException("the bucket has no backup of channel " + requested
            + (all.isEmpty() ? " (it holds no channel at all)" : "; it holds: " + all));
      }
      return requested;
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("the bucket holds no channel backup under '" + store.prefix()
          + "channels/' (check storage.bucket and storage.prefix)");
    }
    if (all.size() > 1) {
      throw new IllegalArgumentException("the bucket holds several channels, choose one with --channel: " + all);
    }
    return all.get(0);
  }

  /** Every manifest key of one channel ({@code chatId}) or of all channels (null), in key order. */
  public List<ManifestKey> manifestKeys(Long chatId) {
    String base = store.prefix() + "channels/" + (chatId == null ? "" : chatId + "/posts/");
    List<ManifestKey> out = new ArrayList<>();
    for (ObjectInfo o : store.list(base)) {
      Matcher m = MANIFEST_KEY.matcher(o.key().substring(store.prefix().length()));
      if (m.matches()) {
        out.add(new ManifestKey(o.key(), Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
            Long.parseLong(m.group(3)), o.size()));
      }
    }
    return out;
  }

  /**
   * The manifests the channel index of {@code chatId} names that the bucket no longer holds: deleted
   * or lost after they were written. Listing {@code posts/} cannot see them, so without this their
   * post would drop out of verify, restore and export without a word. Keys in {@code listed} exist;
   * any other is asked for (a backup run may have written it since the listing). An absent index
   * names nothing, a damaged one what it names before the damage: manifests, not the index, are what
   * restore needs.
   */
  public List<ManifestKey> missingFromIndex(long chatId, Set<String> listed) {
    List<ManifestKey> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String posts = "channels/" + chatId + "/posts/";
    // streamed: the index of a big channel runs to megabytes, more than a tree of it should hold
    try (InputStream in = store.get(ObjectKeys.channelIndex(store.prefix(), chatId));
         JsonParser json = JSON.getFactory().createParser(in)) {
      for (JsonToken t; (t = json.nextToken()) != null; ) {
        if (t != JsonToken.FIELD_NAME || !"manifest".equals(json.currentName())
            || json.nextToken() != JsonToken.VALUE_STRING) {
          continue;
        }
        // the index records whole keys, the writer's prefix included: look under this reader's prefix
        String recorded = json.getText();
        int at = recorded.lastIndexOf(posts);
        Matcher m = MANIFEST_KEY.matcher(at < 0 ? "" : recorded.substring(at));
        if (!m.matches()) {
          continue;
        }
        String key = store.prefix() + recorded.substring(at);
        if (!listed.contains(key) && seen.add(key) && store.head(key).isEmpty()) {
          out.add(new ManifestKey(key, chatId, Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), 0));
        }
      }
    } catch (StorageException e) {
      if (!e.notFound()) {
        throw e;
      }
    } catch (IOException e) {
      // unreadable from here on: what it named so far still counts
    }
    return out;
  }

  /** Why a manifest {@link #missingFromIndex} found is a problem, for reports. */
  static String missingManifest(String key) {
    return "manifest " + key + " is missing from the bucket: the channel index lists it, so it was written and"
        + " has been deleted or lost since";
  }

  /** Reads and parses one manifest. */
  public PostManifest read(String key) {
    byte[] bytes = store.getBytes(key);
    if (bytes.length == 0) {
      throw new BadManifestException("manifest " + key + " is not readable: it is empty (0 bytes)", null);
    }
    try {
      return parse(key, JSON.readTree(bytes), store.prefix());
    } catch (JsonProcessingException e) {
      // one line, without the parser's "[Source: REDACTED ...]" location block
      JsonLocation at = e.getLocation();
      String what = String.valueOf(e.getOriginalMessage())
          .replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "").lines().findFirst().orElse("");
      throw new BadManifestException("manifest " + key + " is not readable: not valid JSON: " + what
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
    } catch (IOException | RuntimeException e) {
      throw new BadManifestException("manifest " + key + " is not readable: " + e.getMessage(), e);
    }
  }

  /**
   * The latest version of every post of {@code chatId}, by message id: the highest edit_date,
   * and among equal edit dates one that arrived live over one rebuilt by backfill (which lacks the
   * album id), then the one written last. Only the candidates are read.
   *
   * <p>A manifest that cannot be read or parsed (damaged in the bucket) does not stop the caller:
   * the post falls back to its newest readable earlier version, or is left out when none is
   * readable, and each such manifest is named in {@link Latest#unreadable()}.
   */
  public Latest latestVersions(long chatId) {
    Map<Long, List<ManifestKey>> byMessage = new TreeMap<>();
    Set<String> listed = new HashSet<>();
    for (ManifestKey k : manifestKeys(chatId)) {
      byMessage.computeIfAbsent(k.messageId(), id -> new ArrayList<>()).add(k);
      listed.add(k.key());
    }
    List<ManifestKey> lost = missingFromIndex(chatId, listed);
    Map<Long, TreeMap<Long, List<ManifestKey>>> versionsOf = new TreeMap<>();
    List<ManifestKey> newest = new ArrayList<>();
    for (Map.Entry<Long, List<ManifestKey>> e : byMessage.entrySet()) {
      TreeMap<Long, List<ManifestKey>> byEdit = new TreeMap<>(Comparator.reverseOrder());
      e.getValue().forEach(k -> byEdit.computeIfAbsent(k.editDate(), d -> new ArrayList<>()).add(k));
      versionsOf.put(e.getKey(), byEdit);
      newest.addAll(byEdit.firstEntry().getValue());
    }
    // the newest versions are nearly always the ones used: read them several at once
    Map<String, ManifestReads.Read> ahead = readAhead(newest);
    List<PostManifest> out = new ArrayList<>();
    List<Unreadable> unreadable = new ArrayList<>();
    for (Map.Entry<Long, TreeMap<Long, List<ManifestKey>>> e : versionsOf.entrySet()) {
      PostManifest best = null;
      List<Unreadable> bad = new ArrayList<>();
      for (List<ManifestKey> versions : e.getValue().values()) {
        for (ManifestKey k : versions) {
          ManifestReads.Read r = ahead.remove(k.key());
          PostManifest p;
          try {
            p = r != null ? r.manifestOrThrow() : read(k.key());
          } catch (BadManifestException ex) {
            bad.add(new Unreadable(e.getKey(), k.key(), ex.getMessage(), false));
            continue;
          }
          if (best == null || preferred(p, best)) {
            best = p;
          }
        }
        if (best != null) {
          break;
        }
      }
      if (best != null) {
        out.add(best);
      }
      boolean replaced = best != null;
      bad.forEach(b -> unreadable.add(new Unreadable(b.messageId(), b.key(), b.problem(), replaced)));
    }
    for (ManifestKey k : lost) {
      // used instead: any version of the post that is left, unless it is older than the lost one
      TreeMap<Long, List<ManifestKey>> left = versionsOf.get(k.messageId());
      boolean olderUsed = left != null && out.stream().anyMatch(p -> p.messageId() == k.messageId());
      if (olderUsed && left.firstKey() >= k.editDate()) {
        continue; // a version as new as the lost one is there; nothing is restored differently
      }
      unreadable.add(new Unreadable(k.messageId(), k.key(), missingManifest(k.key()), olderUsed));
    }
    unreadable.sort(Comparator.comparingLong(Unreadable::messageId));
    out.sort(Comparator.comparingLong(PostManifest::messageId));
    return new Latest(out, unreadable);
  }

  /**
   * {@code keys} read several at once, by key. Interrupted, it stops early and keeps the interrupt
   * for the caller: what it did not read is read one by one as before.
   */
  private Map<String, ManifestReads.Read> readAhead(List<ManifestKey> keys) {
    Map<String, ManifestReads.Read> out = new HashMap<>();
    try (ManifestReads reads = new ManifestReads(this, keys)) {
      for (ManifestReads.Read r; (r = reads.next()) != null; ) {
        out.put(r.key().key(), r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /**
   * The latest readable version of each post, in message order, and the manifests that could not
   * be read on the way to them.
   */
  public record Latest(List<PostManifest> posts, List<Unreadable> unreadable) {
    public Latest {
      posts = List.copyOf(posts);
      unreadable = List.copyOf(unreadable);
    }

    /** The posts dated at or after {@code since} and before {@code until} (null: no bound), in order. */
    public List<PostManifest> postsIn(Instant since, Instant until) {
      return posts.stream().filter(p -> {
        Instant date = Instant.ofEpochSecond(p.date());
        return (since == null || !date.isBefore(since)) && (until == null || date.isBefore(until));
      }).toList();
    }
  }

  /**
   * A manifest that could not be read.
   *
   * @param olderVersionUsed whether an earlier readable version of the post stands in for it (else
   *     the post is left out, unless another version with the same edit date was readable)
   */
  public record Unreadable(long messageId, String key, String problem, boolean olderVersionUsed) {
    /** For reports: what happened to the post, and why. */
    public String describe() {
      return (olderVersionUsed ? "its newest readable earlier version is used instead: "
          : "left out, no version of it is readable: ") + problem.lines().findFirst().orElse(problem)
          + " (damaged in the bucket; verify lists it)";
    }
  }

  /** Between two versions with the same edit_date: whether {@code p} is the one to restore. */
  static boolean preferred(PostManifest p, PostManifest best) {
    if (p.backfilled() != best.backfilled()) {
      return !p.backfilled();
    }
    return p.writtenAt().isAfter(best.writtenAt());
  }

  /** A manifest that cannot be read or parsed. */
  public static final class BadManifestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static PostManifest parse(String key, JsonNode n) {
    return parse(key, n, null);
  }

  /**
   * A manifest, its media's object keys resolved under {@code prefix} (null: as recorded); see
   * {@link #objectKeyUnder}.
   */
  static PostManifest parse(String key, JsonNode n, String prefix) {
    String format = n.path("format").asText("");
    if (!format.startsWith("channel-mirror/manifest/")) {
      throw new IllegalArgumentException("format is '" + format + "', expected channel-mirror/manifest/v1");
    }
    List<MediaEntry> media = new ArrayList<>();
    JsonNode items = n.path("media");
    if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
      throw new IllegalArgumentException("media is not a list");
    }
    for (JsonNode m : items) {
      if (!m.isObject() || text(m, "kind") == null) {
        throw new IllegalArgumentException("media item " + media.size() + " has no kind");
      }
      Long size = size(m, "size", media.size());
      if (size == null) {
        size = size(m, "file_size", media.size());
      }
      String objectKey = text(m, "object_key");
      if (MediaEntry.STORED.equals(text(m, "state")) && objectKey != null && objectKey.isBlank()) {
        // no object can have that key: a request for it fails as a whole, not as "missing"
        throw new IllegalArgumentException("media item " + media.size() + " is stored but its object_key is empty");
      }
      if (prefix != null) {
        objectKey = objectKeyUnder(objectKey, prefix);
      }
      media.add(new MediaEntry(text(m, "kind"), text(m, "state"), text(m, "file_unique_id"), text(m, "file_id"),
          objectKey, size, text(m, "sha256"), text(m, "mime_type"), text(m, "file_name"),
          integer(m, "width"), integer(m, "height"), integer(m, "duration"), text(m, "reason")));
    }
    Instant writtenAt;
    try {
      writtenAt = n.hasNonNull("written_at") ? Instant.parse(n.get("written_at").asText()) : Instant.EPOCH;
    } catch (DateTimeParseException e) {
      writtenAt = Instant.EPOCH;
    }
    if (!n.hasNonNull("chat_id") || !n.hasNonNull("message_id")) {
      throw new IllegalArgumentException("chat_id or message_id is missing");
    }
    return new PostManifest(key, n.get("chat_id").asLong(), n.get("message_id").asLong(), n.path("date").asLong(0),
        n.path("edit_date").asLong(0), text(n, "content_hash"), text(n, "media_group_id"), text(n, "text"),
        array(n, "entities"), text(n, "caption"), array(n, "caption_entities"),
        n.path("show_caption_above_media").asBoolean(false), n.path("has_media_spoiler").asBoolean(false),
        text(n, "author_signature"), media, n.path("complete").asBoolean(false), writtenAt,
        n.path("message"));
  }

  /**
   * Where a manifest's media object is under this reader's prefix. Manifests record the whole key,
   * the writer's prefix included, and media live at {@code <prefix>media/<name>}: so a backup copied
   * under another prefix (`aws s3 sync s3://b/old/ s3://b/new/`), or a manifest that names the key
   * without its prefix, still finds its files. A key of another shape is taken as it is.
   */
  static String objectKeyUnder(String objectKey, String prefix) {
    if (objectKey == null) {
      return null;
    }
    String folder = ObjectKeys.mediaFolder("");
    int at = objectKey.lastIndexOf(folder);
    String inFolder = at < 0 ? "" : objectKey.substring(at);
    boolean layout = (at == 0 || (at > 0 && objectKey.charAt(at - 1) == '/'))
        && ObjectKeys.inMediaFolder(folder, inFolder) && inFolder.length() > folder.length();
    return layout ? prefix + inFolder : objectKey;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** A byte count: null when absent; anything but a whole number from 0 up makes the manifest unreadable. */
  private static Long size(JsonNode n, String field, int item) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new IllegalArgumentException("media item " + item + " has " + field + " " + v + ", not a number of bytes");
    }
    return v.asLong();
  }

  private static Integer integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asInt();
  }

  private static JsonNode array(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v != null && v.isArray() && !v.isEmpty() ? v : null;
  }
}
