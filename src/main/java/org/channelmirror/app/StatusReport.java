package org.channelmirror.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.ChannelStatus;
import org.channelmirror.catalog.IntakeBatch;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.catalog.Problem;

/** Everything {@code status} shows, read from the catalog alone. */
public record StatusReport(List<ChannelStatus> channels, List<JobRun> lastRuns, List<Problem> problems,
    List<IntakeBatch.Warning> warnings, long rejectedUpdates) {

  public String toText() {
    StringBuilder sb = new StringBuilder();
    for (ChannelStatus c : channels) {
      sb.append(String.format("channel %d%s%s%n", c.chatId(), c.title() == null ? "" : " \"" + c.title() + "\"",
          c.botStatus() == null ? "" : " (bot: " + c.botStatus() + ")"));
      sb.append(String.format("  posts %d (versions %d)%n", c.posts(), c.versions()));
      sb.append(String.format("  media: %d stored, %d pending, %d too big, %d failed%n",
          c.media().get(BlobState.STORED), c.media().get(BlobState.PENDING), c.media().get(BlobState.TOO_BIG),
          c.media().get(BlobState.FAILED)));
      sb.append(String.format("  bytes stored: %s%n", Humans.bytes(c.bytesStored())));
    }
    if (channels.isEmpty()) {
      sb.append("no channels yet\n");
    }
    sb.append("last runs:\n");
    if (lastRuns.isEmpty()) {
      sb.append("  (none yet)\n");
    }
    for (JobRun r : lastRuns) {
      sb.append(String.format("  %-8s %s  %s  %s%n", r.job(), r.startedAt(), r.status(),
          r.message() == null ? "" : r.message()));
    }
    if (!problems.isEmpty()) {
      sb.append("not stored:\n");
      for (Problem p : problems) {
        sb.append(String.format("  %d/%d %s %s: %s%n", p.chatId(), p.messageId(), p.kind().field(),
            p.state().name().toLowerCase(Locale.ROOT).replace('_', ' '), p.reason() == null ? "waiting for the next run" : p.reason()));
      }
    }
    if (!warnings.isEmpty() || rejectedUpdates > 0) {
      sb.append("warnings:\n");
      for (IntakeBatch.Warning w : warnings) {
        sb.append("  ").append(w.message()).append('\n');
      }
    }
    return sb.toString();
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    ArrayNode chs = root.putArray("channels");
    for (ChannelStatus c : channels) {
      ObjectNode n = chs.addObject();
      n.put("chat_id", c.chatId());
      n.put("title", c.title());
      n.put("bot_status", c.botStatus());
      n.put("posts", c.posts());
      n.put("versions", c.versions());
      ObjectNode media = n.putObject("media");
      for (BlobState s : BlobState.values()) {
        media.put(s.name().toLowerCase(Locale.ROOT), c.media().get(s));
      }
      n.put("bytes_stored", c.bytesStored());
    }
    ObjectNode runs = root.putObject("last_runs");
    for (JobRun r : lastRuns) {
      ObjectNode n = runs.putObject(r.job());
      n.put("started_at", String.valueOf(r.startedAt()));
      n.put("finished_at", r.finishedAt() == null ? null : r.finishedAt().toString());
      n.put("status", r.status());
      n.put("stored", r.stored());
      n.put("failed", r.failed());
      n.put("bytes", r.bytes());
      n.put("message", r.message());
    }
    ArrayNode probs = root.putArray("problems");
    for (Problem p : problems) {
      ObjectNode n = probs.addObject();
      n.put("chat_id", p.chatId());
      n.put("message_id", p.messageId());
      n.put("file_unique_id", p.fileUniqueId());
      n.put("kind", p.kind().field());
      n.put("state", p.state().name().toLowerCase(Locale.ROOT));
      n.put("reason", p.reason());
    }
    ArrayNode warns = root.putArray("warnings");
    for (IntakeBatch.Warning w : warnings) {
      ObjectNode n = warns.addObject();
      if (w.chatId() != null) {
        n.put("chat_id", w.chatId());
      }
      n.put("kind", w.kind());
      n.put("message", w.message());
    }
    root.put("rejected_updates", rejectedUpdates);
    try {
      return json.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
