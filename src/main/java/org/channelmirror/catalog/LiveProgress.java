package org.channelmirror.catalog;

import static org.channelmirror.catalog.Jdbc.instant;
import static org.channelmirror.catalog.Jdbc.truncate;
import static org.channelmirror.catalog.Jdbc.ts;
import static org.channelmirror.catalog.Jdbc.update;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a running backup is doing right now, published by the running process every few seconds
 * so that {@code status} (usually another process) can show it: the run's counts so far and each
 * file in flight with its bytes and rate. The publish time is the run's heartbeat: a run whose
 * heartbeat stopped belongs to a process that died, and the next run records it as interrupted.
 * Obtain it from {@link Catalog#liveProgress()}.
 */
public final class LiveProgress {
  /** One file being transferred. */
  public record Transfer(long chatId, long messageId, String fileUniqueId, MediaKind kind, long bytesDone,
                         long totalSize, double bytesPerSecond, Instant startedAt, Instant updatedAt) {}

  /**
   * A running backup publishes every few seconds; one silent this long belongs to a process that
   * died. {@code status} stops showing its files, and the next run records it as interrupted.
   */
  public static final Duration SILENCE = Duration.ofMinutes(2);

  static final String INTERRUPTED_MESSAGE =
      "the process stopped before the run finished (crash, kill or power loss); its files are retried by the next run";

  private final Jdbc db;

  LiveProgress(Jdbc db) {
    this.db = db;
  }

  /** A heartbeat with nothing else to report (a verify pass): the run is alive at {@code now}. */
  public void alive(long jobRunId, Instant now) {
    db.inTransaction(c -> update(c, "update job_runs set updated_at = ? where id = ? and status = 'RUNNING'",
        ts(now), jobRunId));
  }

  /** Replaces the run's published counts and files in flight, in one transaction. */
  public void publish(long jobRunId, int stored, int failed, long bytes, List<Transfer> running, Instant now) {
    db.inTransaction(c -> {
      update(c, "update job_runs set stored = ?, failed = ?, bytes = ?, updated_at = ? where id = ? and status = 'RUNNING'",
          stored, failed, bytes, ts(now), jobRunId);
      update(c, "delete from transfers_running where job_run_id = ?", jobRunId);
      if (!running.isEmpty()) {
        // a run killed moments ago (not yet past SILENCE) may still hold a row for the same file:
        // the process transferring it now owns it
        try (PreparedStatement ps = c.prepareStatement("delete from transfers_running where file_unique_id = ?")) {
          for (Transfer t : running) {
            Jdbc.bind(ps, t.fileUniqueId());
            ps.addBatch();
          }
          ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into transfers_running (file_unique_id, job_run_id,"
            + " chat_id, message_id, kind, bytes_done, total_size, bytes_per_second, started_at, updated_at)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (Transfer t : running) {
            Jdbc.bind(ps, t.fileUniqueId(), jobRunId, t.chatId(), t.messageId(), t.kind().name(), t.bytesDone(),
                t.totalSize(), t.bytesPerSecond(), ts(t.startedAt()), ts(now));
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      return null;
    });
  }

  /** The run ended: nothing of it is in flight any more. */
  public void clear(long jobRunId) {
    db.inTransaction(c -> update(c, "delete from transfers_running where job_run_id = ?", jobRunId));
  }

  /**
   * Files in flight of runs that are still running as of {@code now}, biggest first; files last
   * reported longer than {@link #SILENCE} ago belong to a dead process and are left out.
   */
  public List<Transfer> running(Instant now) {
    return db.query("select t.chat_id, t.message_id, t.file_unique_id, t.kind, t.bytes_done, t.total_size,"
            + " t.bytes_per_second, t.started_at, t.updated_at from transfers_running t"
            + " join job_runs r on r.id = t.job_run_id where r.status = 'RUNNING' and t.updated_at > ?"
            + " order by t.total_size desc, t.file_unique_id", ps -> Jdbc.bind(ps, ts(now.minus(SILENCE))),
        rs -> new Transfer(rs.getLong(1), rs.getLong(2), rs.getString(3), MediaKind.valueOf(rs.getString(4)),
            rs.getLong(5), rs.getLong(6), rs.getDouble(7), instant(rs, 8), instant(rs, 9)));
  }

  /**
   * Records runs of {@code job} that still say RUNNING but have shown no sign of life for
   * {@link #SILENCE} as INTERRUPTED (their process died), and drops what they had in flight.
   * Returns how many there were.
   */
  public int markAbandoned(String job, Instant now) {
    return markAbandoned(job, now, SILENCE);
  }

  /**
   * The same with another silence limit: a caller holding the job's lease knows that no other run
   * of it can be alive, and passes {@link java.time.Duration#ZERO}.
   */
  public int markAbandoned(String job, Instant now, java.time.Duration silence) {
    return db.inTransaction(c -> {
      Instant limit = now.minus(silence);
      int n = update(c, "update job_runs set status = 'INTERRUPTED', finished_at = ?, message = ?"
              + " where job = ? and status = 'RUNNING' and coalesce(updated_at, started_at) < ?",
          ts(now), truncate(INTERRUPTED_MESSAGE, 4000), job, ts(limit));
      update(c, "delete from transfers_running where job_run_id not in (select id from job_runs where status = 'RUNNING')");
      return n;
    });
  }
}
