package org.channelmirror.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The catalog's record of media multipart uploads in progress: which upload belongs to which
 * file, its part size, and every part the server accepted with its ETag. Written by the
 * transfer engine as parts complete, read back after a crash to resume. Obtain it from
 * {@link Catalog#uploadJournal()}.
 */
public final class UploadJournal {
  /**
   * An upload the transfer engine created; {@code parts} by part number (1-based). {@code sha256}
   * is set once the whole file is hashed: an active upload with a hash was being completed.
   * {@code hashed} is the latest saved state of the running hash, or null.
   */
  public record Upload(String fileUniqueId, String objectKey, String uploadId, long partSize, long totalSize,
                       State state, String sha256, Instant createdAt, Instant updatedAt, HashCheckpoint hashed,
                       TreeMap<Integer, Part> parts) {
    /** Parts are (or were, before a crash) being uploaded: neither completed nor given up. */
    public boolean active() {
      return state == State.ACTIVE;
    }
  }

  /** One part the server accepted. */
  public record Part(int number, String etag, long size) {}

  /** The running SHA-256 after the file's first {@code parts} parts, in the transfer engine's format. */
  public record HashCheckpoint(int parts, String state) {}

  public enum State {
    /** Parts are (or were, before a crash) being uploaded. */
    ACTIVE,
    /** CompleteMultipartUpload succeeded; the object exists with {@code sha256}. */
    COMPLETED
  }

  private final Jdbc db;

  UploadJournal(Jdbc db) {
    this.db = db;
  }

  public Optional<Upload> find(String fileUniqueId) {
    List<Upload> found = uploads("where file_unique_id = ?", fileUniqueId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Upload u = found.get(0);
    query("select part_number, etag, size from multipart_parts where file_unique_id = ?", List.of(fileUniqueId),
        rs -> u.parts().put(rs.getInt(1), new Part(rs.getInt(1), rs.getString(2), rs.getLong(3))));
    return Optional.of(u);
  }

  /** Every recorded upload, without parts (for the cleanup of stale uploads). */
  public List<Upload> all() {
    return uploads("", null);
  }

  /** Uploads whose file is already stored by other means (or was recorded stored): nothing to resume. */
  public List<Upload> ofStoredBlobs() {
    return uploads("where exists (select 1 from blobs b where b.file_unique_id = u.file_unique_id"
        + " and b.state = 'STORED')", null);
  }

  /** Records a new upload for the file, replacing any earlier record of it. */
  public void start(String fileUniqueId, String objectKey, String uploadId, long partSize, long totalSize) {
    inTransaction(c -> {
      update(c, "delete from multipart_parts where file_unique_id = ?", fileUniqueId);
      update(c, "delete from multipart_uploads where file_unique_id = ?", fileUniqueId);
      OffsetDateTime now = now();
      update(c, "insert into multipart_uploads (file_unique_id, object_key, upload_id, part_size, total_size, state,"
              + " created_at, updated_at) values (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)",
          fileUniqueId, objectKey, uploadId, partSize, totalSize, now, now);
    });
  }

  /** Records that part {@code number} was accepted with {@code etag}. Idempotent. */
  public void partDone(String fileUniqueId, int number, String etag, long size) {
    partsDone(fileUniqueId, List.of(new Part(number, etag, size)));
  }

  /** Records accepted parts in one transaction. Idempotent. */
  public void partsDone(String fileUniqueId, List<Part> parts) {
    partsDone(fileUniqueId, parts, null);
  }

  /** Records accepted parts and, unless null, a newer hash checkpoint, in one transaction. Idempotent. */
  public void partsDone(String fileUniqueId, List<Part> parts, HashCheckpoint hashed) {
    inTransaction(c -> {
      if (hashed != null) {
        saveCheckpoint(c, fileUniqueId, hashed);
      }
      for (Part p : parts) {
        if (update(c, "update multipart_parts set etag = ?, size = ? where file_unique_id = ? and part_number = ?",
            p.etag(), p.size(), fileUniqueId, p.number()) == 0) {
          update(c, "insert into multipart_parts (file_unique_id, part_number, etag, size) values (?, ?, ?, ?)",
              fileUniqueId, p.number(), p.etag(), p.size());
        }
      }
      update(c, "update multipart_uploads set updated_at = ? where file_unique_id = ?", now(), fileUniqueId);
    });
  }

  /** Saves the hash state unless a later one is saved already (batches may commit out of order). */
  public void hashedThrough(String fileUniqueId, HashCheckpoint hashed) {
    inTransaction(c -> saveCheckpoint(c, fileUniqueId, hashed));
  }

  private static void saveCheckpoint(Connection c, String fileUniqueId, HashCheckpoint hashed) throws SQLException {
    update(c, "update multipart_uploads set hashed_parts = ?, hash_state = ? where file_unique_id = ?"
            + " and state = 'ACTIVE' and (hashed_parts is null or hashed_parts < ?)",
        hashed.parts(), hashed.state(), fileUniqueId, hashed.parts());
  }

  /**
   * Every part is in and the file hashed; CompleteMultipartUpload goes out next. The hash is kept
   * on the still-active record, so that if the process dies before {@link #completed} the next
   * run can tell a finished object by HEAD instead of sending the file again.
   */
  public void completing(String fileUniqueId, String sha256) {
    inTransaction(c -> update(c, "update multipart_uploads set sha256 = ?, updated_at = ? where file_unique_id = ?",
        sha256, now(), fileUniqueId));
  }

  /** The upload is complete: keeps the hash until the file is recorded as stored. */
  public void completed(String fileUniqueId, String sha256) {
    inTransaction(c -> {
      update(c, "delete from multipart_parts where file_unique_id = ?", fileUniqueId);
      update(c, "update multipart_uploads set state = 'COMPLETED', sha256 = ?, updated_at = ? where file_unique_id = ?",
          sha256, now(), fileUniqueId);
    });
  }

  public void forget(String fileUniqueId) {
    inTransaction(c -> {
      update(c, "delete from multipart_parts where file_unique_id = ?", fileUniqueId);
      update(c, "delete from multipart_uploads where file_unique_id = ?", fileUniqueId);
    });
  }

  // ---------------------------------------------------------------- JDBC plumbing

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private interface Row {
    void read(ResultSet rs) throws SQLException;
  }

  private List<Upload> uploads(String where, String arg) {
    List<Upload> out = new ArrayList<>();
    query("select file_unique_id, object_key, upload_id, part_size, total_size, state, sha256, created_at, updated_at,"
            + " hashed_parts, hash_state from multipart_uploads u " + where + " order by created_at",
        arg == null ? List.of() : List.of(arg),
        rs -> out.add(new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
            State.valueOf(rs.getString(6)), rs.getString(7), instant(rs, 8), instant(rs, 9),
            rs.getString(11) == null ? null : new HashCheckpoint(rs.getInt(10), rs.getString(11)), new TreeMap<>())));
    return out;
  }

  private void query(String sql, List<Object> args, Row row) {
    db.query(sql, ps -> Jdbc.bind(ps, args.toArray()), rs -> {
      row.read(rs);
      return null;
    });
  }

  private void inTransaction(Work work) {
    db.inTransaction(c -> {
      work.run(c);
      return null;
    });
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    return Jdbc.update(c, sql, args);
  }

  private static OffsetDateTime now() {
    return Instant.now().atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    return Jdbc.instant(rs, col);
  }
}
