package org.channelmirror.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code verify} found.
 *
 * @param objects distinct media objects the manifests reference (each checked once)
 * @param bytesRead bytes hashed ({@code deep} only)
 * @param notStored media items the manifests list as not backed up (too big, failed, pending): a
 *     known gap shown by {@code status}, not a bucket problem
 */
public record VerifyReport(boolean deep, int manifests, int objects, long bytesRead, int notStored, int orphans,
    List<Problem> problems, Duration elapsed) {

  /** Kinds of problems. */
  public enum Type {
    /** A manifest references an object that does not exist. */
    MISSING,
    /** The object's size or (deep) content differs from the manifest. */
    CORRUPT,
    /** The object exists but could not be read to the end. */
    UNREADABLE,
    /** An object under media/ that no manifest references. */
    ORPHAN,
    /** A manifest that cannot be parsed. */
    BAD_MANIFEST,
    /** Two manifests record different sizes or hashes for the same object, or (deep) its sha256 metadata is not its content's. */
    CONFLICT
  }

  /** One problem; fields that do not apply are null. */
  public record Problem(Type type, String key, Long chatId, Long messageId, Long expectedSize, Long actualSize,
      String expectedSha256, String actualSha256, String detail) {}

  public VerifyReport {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  public Map<Type, Integer> counts() {
    Map<Type, Integer> out = new EnumMap<>(Type.class);
    for (Type t : Type.values()) {
      out.put(t, 0);
    }
    problems.forEach(p -> out.merge(p.type(), 1, Integer::sum));
    return out;
  }

  /** One line for {@code status} and logs. */
  public String summary() {
    Map<Type, Integer> c = counts();
    return String.format(Locale.ROOT, "%s: %d manifests, %d objects%s; %d missing, %d corrupt, %d unreadable, "
            + "%d orphan, %d bad manifests%s%s", ok() ? "OK" : "PROBLEMS", manifests, objects,
        deep ? " hashed" : " checked", c.get(Type.MISSING), c.get(Type.CORRUPT), c.get(Type.UNREADABLE),
        c.get(Type.ORPHAN), c.get(Type.BAD_MANIFEST),
        c.get(Type.CONFLICT) > 0 ? ", " + c.get(Type.CONFLICT) + " conflicts" : "",
        notStored > 0 ? "; " + notStored + " media item(s) were never backed up (see status)" : "");
  }

  /** A table of problems, then the summary. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    if (!problems.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%-12s %-16s %-8s %s%n", "PROBLEM", "CHANNEL", "MESSAGE", "OBJECT / DETAIL"));
      for (Problem p : problems) {
        sb.append(String.format(Locale.ROOT, "%-12s %-16s %-8s %s%n", p.type().name().toLowerCase(Locale.ROOT),
            p.chatId() == null ? "-" : p.chatId(), p.messageId() == null ? "-" : p.messageId(), p.key()));
        sb.append(String.format(Locale.ROOT, "%-38s %s%n", "", p.detail()));
      }
    }
    sb.append(summary()).append(String.format(Locale.ROOT, " (%.1f s)%n", elapsed.toMillis() / 1000.0));
    return sb.toString();
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("ok", ok());
    root.put("deep", deep);
    root.put("manifests", manifests);
    root.put("objects", objects);
    root.put("bytes_read", bytesRead);
    root.put("not_stored", notStored);
    ObjectNode counts = root.putObject("counts");
    counts().forEach((t, n) -> counts.put(t.name().toLowerCase(Locale.ROOT), n));
    ArrayNode list = root.putArray("problems");
    for (Problem p : problems) {
      ObjectNode n = list.addObject();
      n.put("type", p.type().name().toLowerCase(Locale.ROOT));
      n.put("key", p.key());
      n.put("chat_id", p.chatId());
      n.put("message_id", p.messageId());
      n.put("expected_size", p.expectedSize());
      n.put("actual_size", p.actualSize());
      n.put("expected_sha256", p.expectedSha256());
      n.put("actual_sha256", p.actualSha256());
      n.put("detail", p.detail());
    }
    root.put("elapsed_ms", elapsed.toMillis());
    try {
      return json.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
