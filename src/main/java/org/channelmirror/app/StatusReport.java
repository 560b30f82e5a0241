package org.channelmirror.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.ChannelStatus;
import org.channelmirror.catalog.IntakeBatch;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.catalog.LiveProgress;
import org.channelmirror.catalog.Problem;
import org.channelmirror.recovery.VerifyRun;

/**
 * Everything {@code status} shows, read from the catalog alone, as of {@code at}: including what a
 * running backup (usually in another process) is transferring right now. {@code problems} may be
 * the first of {@code problemCount} media items not stored (the dashboard asks for a page).
 */
public record StatusReport(List<ChannelStatus> channels, List<JobRun> lastRuns, List<LiveProgress.Transfer> transfers,
    List<Problem> problems, long problemCount, List<IntakeBatch.Warning> warnings, long rejectedUpdates, Instant at) {

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
      sb.append(String.format("  %-8s %s  %s  %s%n", r.job(), r.startedAt(), r.status(), runDetail(r)));
    }
    if (!transfers.isEmpty()) {
      sb.append("transferring now:\n");
      for (LiveProgress.Transfer t : transfers) {
        sb.append(String.format("  %d/%d %s %s: %s of %s (%d%%) at %s/s%n", t.chatId(), t.messageId(),
            t.kind().field(), t.fileUniqueId(), Humans.bytes(t.bytesDone()), Humans.bytes(t.totalSize()),
            t.totalSize() == 0 ? 0 : t.bytesDone() * 100 / t.totalSize(), Humans.bytes((long) t.bytesPerSecond())));
      }
    }
    if (!problems.isEmpty()) {
      Set<String> moving = new HashSet<>();
      transfers.forEach(t -> moving.add(t.fileUniqueId()));
      sb.append("not stored:\n");
      for (Problem p : problems) {
        String why = moving.contains(p.fileUniqueId()) ? "transferring now"
            : p.reason() == null ? "waiting for the next run" : p.reason();
        if (p.nextAttemptAt() != null && !moving.contains(p.fileUniqueId())) {
          why += " (next attempt " + p.nextAttemptAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")";
        }
        sb.append(String.format("  %d/%d %s %s: %s%n", p.chatId(), p.messageId(), p.kind().field(),
            p.state().name().toLowerCase(Locale.ROOT).replace('_', ' '), why));
      }
      if (problemCount > problems.size()) {
        sb.append(String.format("  ... and %d more%n", problemCount - problems.size()));
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

  private String runDetail(JobRun r) {
    if (!"RUNNING".equals(r.status())) {
      return r.message() == null ? "" : r.message();
    }
    boolean backup = BackupRun.JOB.equals(r.job());
    // only a backup run counts files; the others (verify, cleanup) just say they are alive
    String sofar = backup
        ? String.format("so far %d stored, %d not stored, %s", r.stored(), r.failed(), Humans.bytes(r.bytes()))
        : VerifyRun.JOB.equals(r.job()) ? "checking the bucket" : "running";
    if (r.updatedAt() == null) {
      return sofar;
    }
    Duration since = Duration.between(r.updatedAt(), at);
    Duration quiet = since.isNegative() ? Duration.ZERO : since;
    if (quiet.compareTo(LiveProgress.SILENCE) > 0) {
      return sofar + "; no report for " + quiet.toMinutes() + " min: its process has probably stopped"
          + (backup ? " (the next run records it as interrupted and retries its files)" : "");
    }
    return sofar + " (reported " + quiet.toSeconds() + " s ago)";
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
      n.put("updated_at", r.updatedAt() == null ? null : r.updatedAt().toString());
    }
    ArrayNode moving = root.putArray("transfers");
    for (LiveProgress.Transfer t : transfers) {
      ObjectNode n = moving.addObject();
      n.put("chat_id", t.chatId());
      n.put("message_id", t.messageId());
      n.put("file_unique_id", t.fileUniqueId());
      n.put("kind", t.kind().field());
      n.put("bytes_done", t.bytesDone());
      n.put("total_bytes", t.totalSize());
      n.put("bytes_per_second", Math.round(t.bytesPerSecond()));
      n.put("started_at", t.startedAt().toString());
      n.put("updated_at", t.updatedAt().toString());
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
      if (p.nextAttemptAt() != null) {
        n.put("next_attempt_at", p.nextAttemptAt().toString());
      }
    }
    root.put("problems_total", problemCount);
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
