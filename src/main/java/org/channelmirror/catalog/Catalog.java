package org.channelmirror.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import static org.channelmirror.catalog.Jdbc.bind;
import static org.channelmirror.catalog.Jdbc.exists;
import static org.channelmirror.catalog.Jdbc.instant;
import static org.channelmirror.catalog.Jdbc.longValue;
import static org.channelmirror.catalog.Jdbc.nullableInt;
import static org.channelmirror.catalog.Jdbc.nullableLong;
import static org.channelmirror.catalog.Jdbc.strings;
import static org.channelmirror.catalog.Jdbc.truncate;
import static org.channelmirror.catalog.Jdbc.ts;
import static org.channelmirror.catalog.Jdbc.update;

/**
 * The durable state of channel-mirror and the only code that owns SQL. Portable between H2 and
 * PostgreSQL; the schema is managed by Flyway migrations under {@code db/migration}.
 */
public final class Catalog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The generated key to return from an insert. Named, not {@code RETURN_GENERATED_KEYS}: with
   * that, the PostgreSQL driver appends {@code RETURNING *} and sends every inserted row back.
   */
  private static final String[] ID_COLUMN = {"id"};

  private final HikariDataSource pool;

  private final Jdbc db;

  /** The version of the newest migration in {@code db/migration}; raise it with every new one. */
  static final String SCHEMA_VERSION = "8";

  private Catalog(HikariDataSource pool) {
    this.pool = pool;
    this.db = new Jdbc(pool);
  }

  /** Opens the pool and migrates the schema. */
  public static Catalog open(String jdbcUrl, String user, String password, int poolSize) {
    HikariDataSource ds;
    long start = System.nanoTime();
    try {
      // one attempt first: a server that refuses the login or lacks the database says so at once,
      // and no retry mends that; anything else (a server still starting) is tried again for what is
      // left of 10 s (a silent server has used them up already: the driver's timeouts)
      ds = pool(jdbcUrl, user, password, poolSize, 1);
    } catch (RuntimeException first) {
      long left = 10_000 - Duration.ofNanos(System.nanoTime() - start).toMillis();
      if (refusal(first) != null || left <= 0) {
        throw new CatalogException("cannot open the catalog at " + jdbcUrl + ": " + rootMessage(first), first);
      }
      try {
        ds = pool(jdbcUrl, user, password, poolSize, left);
      } catch (RuntimeException e) {
        throw new CatalogException("cannot open the catalog at " + jdbcUrl + ": " + rootMessage(e), e);
      }
    }
    for (int attempt = 1; ; attempt++) {
      try {
        if (!schemaIsCurrent(ds)) {
          Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        }
        return new Catalog(ds);
      } catch (FlywayException e) {
        if (attempt < 3 && serverRoleMoved(e)) {
          // two processes opening an H2 file catalog at once (AUTO_SERVER): when the process that
          // served the file closes it, the other's connection is closed under it and reconnects;
          // by the next try the schema is usually the other process's work, already current
          pause(Duration.ofSeconds(1));
          continue;
        }
        ds.close();
        throw new CatalogException("cannot migrate the catalog schema at " + jdbcUrl + ": " + rootMessage(e), e);
      }
    }
  }

  private static HikariDataSource pool(String jdbcUrl, String user, String password, int poolSize, long failTimeout) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(H2Files.isEmbeddedFile(jdbcUrl) ? H2Files.hardened(jdbcUrl) : jdbcUrl);
    if (!user.isEmpty()) {
      hc.setUsername(user);
    }
    if (!password.isEmpty()) {
      hc.setPassword(password);
    }
    withPostgresTimeouts(jdbcUrl).forEach(hc::addDataSourceProperty);
    hc.setMaximumPoolSize(poolSize);
    hc.setPoolName("catalog");
    hc.setInitializationFailTimeout(failTimeout);
    return new HikariDataSource(hc);
  }

  /**
   * The SQLSTATE by which a database server refused {@code e}'s connection for good, or null: a
   * wrong user or password (class 28) or no such database (3D000), as PostgreSQL and H2 say it.
   * No retry mends either.
   */
  public static String refusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && (sql.getSQLState().startsWith("28") || sql.getSQLState().equals("3D000"))) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /**
   * Bounds on every wait for a PostgreSQL server, where the driver's defaults wait forever for a
   * server that accepted the connection and then went silent (hung, or the network died after the
   * handshake): opening the catalog hung `status` and `run`, and a service whose pool had to
   * reconnect never got its catalog back, since the pool's one connection-adding thread waited
   * on. Seconds; a key the URL sets itself is left to it.
   */
  static Map<String, String> withPostgresTimeouts(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      return Map.of();
    }
    Map<String, String> bounds = new LinkedHashMap<>();
    bounds.put("connectTimeout", "10");
    bounds.put("loginTimeout", "10");
    // longer than any catalog query takes; a lease's `for update` waits only for a short transaction
    bounds.put("socketTimeout", "60");
    bounds.put("tcpKeepAlive", "true");
    String query = jdbcUrl.contains("?") ? jdbcUrl.substring(jdbcUrl.indexOf('?') + 1) : "";
    for (String param : query.split("&")) {
      bounds.remove(param.split("=", 2)[0]);
    }
    return bounds;
  }

  /** H2's "database is already closed" / "connection is broken": the AUTO_SERVER host went away. */
  private static boolean serverRoleMoved(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && (sql.getErrorCode() == 90121 || sql.getErrorCode() == 90067)) {
        return true;
      }
    }
    return false;
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Whether Flyway already applied the newest migration ({@link #SCHEMA_VERSION}). Starting Flyway
   * costs about half a second of start-up and a second of CPU for every CLI run; a current schema
   * needs none of it. Anything unexpected (no history table yet) says no, and Flyway decides.
   */
  static boolean schemaIsCurrent(javax.sql.DataSource ds) {
    try (Connection c = ds.getConnection();
         PreparedStatement ps = c.prepareStatement(
             "select count(*) from \"flyway_schema_history\" where \"version\" = ? and \"success\" = true")) {
      ps.setString(1, SCHEMA_VERSION);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() {
    pool.close();
  }

  /** Leases on work that runs once at a time across processes (a backup run). */
  public Leases leases() {
    return new Leases(db);
  }

  /** What a running backup is moving right now (for {@code status}). */
  public LiveProgress liveProgress() {
    return new LiveProgress(db);
  }

  /** In-progress multipart uploads of media (resume after a crash). */
  public UploadJournal uploadJournal() {
    return new UploadJournal(db);
  }

  // ---------------------------------------------------------------- intake

  /**
   * The offset for the bot's next getUpdates call: its own, or the catalog's single offset of
   * before schema 5 until it has one (0 before any commit).
   */
  public long nextOffset(long botId) {
    return db.query("select next_offset from bot_offsets where bot_id = ?", ps -> bind(ps, botId), rs -> rs.getLong(1))
        .stream().findFirst()
        .or(() -> db.query("select next_offset from poll_state where id = 1", ps -> {}, rs -> rs.getLong(1))
            .stream().findFirst())
        .orElse(0L);
  }

  /** A query that must answer: for health checks. */
  public void ping() {
    db.query("select count(*) from bot_offsets", ps -> {}, rs -> rs.getLong(1));
  }

  /**
   * Commits one batch of updates and the offset that confirms them (the bot's), atomically and
   * idempotently: versions already present (a replay) are skipped.
   *
   * @return the number of new post versions
   */
  public int commit(IntakeBatch batch) {
    return db.inTransaction(c -> {
      Instant now = Instant.now();
      for (IntakeBatch.ChannelSeen ch : batch.channels()) {
        upsertChannel(c, ch);
      }
      int added = 0;
      for (PostVersion v : batch.posts()) {
        if (insertVersion(c, v, batch.botId(), now)) {
          added++;
        }
      }
      for (IntakeBatch.Rejected r : batch.rejected()) {
        if (!exists(c, "select 1 from rejected_updates where update_id = ?", r.updateId())) {
          update(c, "insert into rejected_updates (update_id, received_at, reason, raw_json) values (?, ?, ?, ?)",
              r.updateId(), ts(now), truncate(r.reason(), 2000), r.rawJson());
        }
        long[] post = channelPostId(r.rawJson());
        if (post != null) {
          // it reached the bot (status lists it as not understood): no gap, and none reported around it
          messageSeen(c, post[0], post[1],
              exists(c, "select 1 from post_versions where chat_id = ? and message_id = ?", post[0], post[1]), now);
        }
      }
      for (IntakeBatch.Warning w : batch.warnings()) {
        if (!w.kind().equals(IntakeBatch.Warning.UNKNOWN_MEDIA) || !exists(c, "select 1 from warnings where chat_id = ?"
            + " and kind = ? and message = ?", w.chatId(), w.kind(), truncate(w.message(), 4000))) {
          addWarning(c, w, now);
        }
      }
      for (IntakeBatch.ChannelSeen ch : batch.channels()) {
        // the bot is an administrator again: the warnings that it was demoted or removed are over
        if (ch.botStatus() != null && exists(c, "select 1 from channels where chat_id = ?"
            + " and bot_status in ('administrator', 'creator')", ch.chatId())) {
          update(c, "delete from warnings where chat_id = ? and kind = 'bot-status'", ch.chatId());
        }
      }
      // Set, not only advanced: the offset follows what Telegram answered. Its update ids can
      // restart lower (a random id after a week without updates, BOTAPI 2.1), and an offset ahead
      // of the queue makes it answer from the head without confirming anything: refusing the
      // lower offset would fetch that head again forever.
      if (batch.nextOffset() > 0
          && update(c, "update bot_offsets set next_offset = ? where bot_id = ?", batch.nextOffset(), batch.botId()) == 0) {
        update(c, "insert into bot_offsets (bot_id, next_offset) values (?, ?)", batch.botId(), batch.nextOffset());
      }
      return added;
    });
  }

  private void upsertChannel(Connection c, IntakeBatch.ChannelSeen ch) throws SQLException {
    if (!exists(c, "select 1 from channels where chat_id = ?", ch.chatId())) {
      update(c, "insert into channels (chat_id, title, username, bot_status, status_changed_at) values (?, ?, ?, ?, ?)",
          ch.chatId(), ch.title(), ch.username(), ch.botStatus(), ch.botStatus() == null ? null : ch.statusDate());
      return;
    }
    update(c, "update channels set title = coalesce(?, title), username = coalesce(?, username) where chat_id = ?",
        ch.title(), ch.username(), ch.chatId());
    if (ch.botStatus() != null) {
      update(c, "update channels set bot_status = ?, status_changed_at = ? where chat_id = ?"
          + " and (status_changed_at is null or status_changed_at <= ?)",
          ch.botStatus(), ch.statusDate(), ch.chatId(), ch.statusDate());
    }
  }

  private boolean insertVersion(Connection c, PostVersion v, long botId, Instant now) throws SQLException {
    if (exists(c, "select 1 from post_versions where chat_id = ? and message_id = ? and edit_date = ? and content_hash = ?",
        v.chatId(), v.messageId(), v.editDate(), v.contentHash())) {
      return false;
    }
    boolean seenBefore = exists(c, "select 1 from post_versions where chat_id = ? and message_id = ?",
        v.chatId(), v.messageId());
    long id;
    try (PreparedStatement ps = c.prepareStatement(
        "insert into post_versions (chat_id, message_id, edit_date, content_hash, post_date, media_group_id,"
            + " update_id, raw_json, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", ID_COLUMN)) {
      bind(ps, v.chatId(), v.messageId(), v.editDate(), v.contentHash(), v.postDate(), v.mediaGroupId(),
          v.updateId(), v.rawJson(), ts(now));
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    int pos = 0;
    for (MediaRef m : v.media()) {
      update(c, "insert into media_items (version_id, position, kind, file_unique_id, file_id, file_size,"
              + " mime_type, file_name, width, height, duration, bot_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, pos++, m.kind().name(), m.fileUniqueId(), m.fileId(), m.fileSize(), truncate(m.mimeType(), 255),
          m.fileName(), m.width(), m.height(), m.duration(), botId);
      upsertBlob(c, v, m, now);
    }
    messageSeen(c, v.chatId(), v.messageId(), seenBefore, now);
    return true;
  }

  /** Chat and message id of a rejected update that is a channel post, or null when it has none. */
  private static long[] channelPostId(String rawJson) {
    try {
      JsonNode u = JSON.readTree(rawJson);
      JsonNode m = u.has("channel_post") ? u.get("channel_post") : u.get("edited_channel_post");
      if (m == null || !m.path("message_id").isIntegralNumber() || !m.path("chat").path("id").isIntegralNumber()) {
        return null;
      }
      return new long[] {m.get("chat").get("id").asLong(), m.get("message_id").asLong()};
    } catch (java.io.IOException | RuntimeException e) {
      return null; // kept verbatim all the same; it just cannot narrow gaps
    }
  }

  /** Gap bookkeeping for a message id that reached the bot. */
  private void messageSeen(Connection c, long chatId, long messageId, boolean seenBefore, Instant now)
      throws SQLException {
    if (!exists(c, "select 1 from channels where chat_id = ?", chatId)) {
      update(c, "insert into channels (chat_id) values (?)", chatId);
    }
    long max = longValue(c, "select max_message_id from channels where chat_id = ?", chatId);
    if (max > 0 && messageId > max + 1) {
      // ids are per channel and increasing: a jump means posts we never saw (downtime over
      // Telegram's 24 h retention) or posts deleted before delivery; we cannot tell which. An
      // edit counts too: the first update after a long downtime may be the edit of a post whose
      // own update expired, and the ids it jumps over would otherwise never be reported
      addWarning(c, gapWarning(chatId, max + 1, messageId - 1), now);
    } else if (!seenBefore && messageId < max) {
      // a post inside a reported gap arrived after all (backfill fetched it, or webhook
      // deliveries came out of order): the gap is smaller than reported
      narrowGaps(c, chatId, messageId, now);
    }
    update(c, "update channels set max_message_id = ? where chat_id = ? and max_message_id < ?",
        messageId, chatId, messageId);
  }

  private static final java.util.regex.Pattern GAP_RANGE =
      java.util.regex.Pattern.compile(": messages? (\\d+)(?:-(\\d+))? never reached the bot");

  private static IntakeBatch.Warning gapWarning(long chatId, long from, long to) {
    String range = from == to ? "message " + from : "messages " + from + "-" + to;
    return new IntakeBatch.Warning(chatId, "gap", "channel " + chatId + ": " + range
        + " never reached the bot (deleted, or posted while channel-mirror was down for over 24 h)");
  }

  /** Takes {@code messageId} out of the channel's gap warnings, splitting the one that holds it. */
  private void narrowGaps(Connection c, long chatId, long messageId, Instant now) throws SQLException {
    List<long[]> hits = new ArrayList<>(); // warning id, from, to
    try (PreparedStatement ps = c.prepareStatement("select id, message from warnings where chat_id = ? and kind = 'gap'")) {
      bind(ps, chatId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          java.util.regex.Matcher m = GAP_RANGE.matcher(rs.getString(2));
          if (m.find()) {
            long from = Long.parseLong(m.group(1));
            long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
            if (from <= messageId && messageId <= to) {
              hits.add(new long[] {rs.getLong(1), from, to});
            }
          }
        }
      }
    }
    for (long[] h : hits) {
      update(c, "delete from warnings where id = ?", h[0]);
      if (h[1] < messageId) {
        addWarning(c, gapWarning(chatId, h[1], messageId - 1), now);
      }
      if (messageId < h[2]) {
        addWarning(c, gapWarning(chatId, messageId + 1, h[2]), now);
      }
    }
  }

  private void upsertBlob(Connection c, PostVersion v, MediaRef m, Instant now) throws SQLException {
    if (exists(c, "select 1 from blobs where file_unique_id = ?", m.fileUniqueId())) {
      // a newer file_id for the same file: keep it fresh for downloading
      update(c, "update blobs set file_id = ?, updated_at = ? where file_unique_id = ? and state <> 'STORED'",
          m.fileId(), ts(now), m.fileUniqueId());
      return;
    }
    update(c, "insert into blobs (file_unique_id, state, kind, file_id, expected_size, mime_type, file_name,"
            + " chat_id, message_id, created_at, updated_at) values (?, 'PENDING', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        m.fileUniqueId(), m.kind().name(), m.fileId(), m.fileSize(), truncate(m.mimeType(), 255), m.fileName(),
        v.chatId(), v.messageId(), ts(now), ts(now));
  }

  // ---------------------------------------------------------------- backup

  /** Media a backup run should try now: pending, or failed with its next attempt due. */
  private static final String DUE = "(state = 'PENDING' or (state = 'FAILED' and"
      + " (next_attempt_at is null or next_attempt_at <= ?)))";

  /**
   * The references to a blob that a bot can download: file_ids are per bot, so those its own
   * intake received, and those of unknown origin (schema 5 and older, reindex).
   */
  private static final String FETCHABLE_REFS = "from media_items m where m.file_unique_id = blobs.file_unique_id"
      + " and (m.bot_id = ? or m.bot_id is null)";

  /** Due now, and fetchable by the bot: parameters now, then the bot. */
  private static final String DUE_FOR_BOT = DUE + " and exists (select 1 " + FETCHABLE_REFS + ")";

  /** How much is due now: files, and their bytes where Telegram announced a size. */
  public record Due(int files, long knownBytes) {}

  /** What {@link #dueBlobs} would return for {@code botId}, counted. */
  public Due due(long botId, Instant now) {
    return db.query("select count(*), coalesce(sum(expected_size), 0) from blobs where " + DUE_FOR_BOT,
        ps -> bind(ps, now.toEpochMilli(), botId), rs -> new Due(rs.getInt(1), rs.getLong(2))).get(0);
  }

  /**
   * Files due for transfer now that {@code botId} can download, oldest first: pending, or failed
   * with their retry time reached. Each comes with the newest file_id that bot received for it.
   * Files only other bots received are theirs: with several bots on one catalog, an instance
   * asking Telegram for another bot's file_id would only be refused.
   */
  public List<Blob> dueBlobs(long botId, Instant now, int limit) {
    return db.query("select file_unique_id, state, kind, (select m.file_id " + FETCHABLE_REFS
            + " order by case when m.bot_id = ? then 0 else 1 end, m.version_id desc fetch first 1 rows only),"
            + " expected_size, mime_type, file_name, chat_id, message_id, attempts from blobs where " + DUE_FOR_BOT
            + " order by created_at, file_unique_id limit ?",
        ps -> bind(ps, botId, botId, now.toEpochMilli(), botId, limit),
        rs -> new Blob(rs.getString(1), BlobState.valueOf(rs.getString(2)), MediaKind.valueOf(rs.getString(3)),
            rs.getString(4), nullableLong(rs, 5), rs.getString(6), rs.getString(7), rs.getLong(8),
            rs.getLong(9), rs.getInt(10)));
  }

  /**
   * Files refused (too big) or failed under another download mode ({@code telegram.apiUrl} and
   * {@code localMode}) become due again at once: the owner changed what the failure depended on.
   * Only files {@code botId} can fetch: another instance on this catalog, whose bot talks to another
   * Bot API server, would otherwise requeue the first one's refusals at every run, and back.
   */
  public int requeueRefused(long botId, String currentMode) {
    return db.inTransaction(c -> {
      List<String> ids = strings(c,
          "select file_unique_id from blobs where ((state = 'TOO_BIG' and (refused_for is null or refused_for <> ?))"
              + " or (state = 'FAILED' and refused_for is not null and refused_for <> ?))"
              + " and exists (select 1 " + FETCHABLE_REFS + ")", currentMode, currentMode, botId);
      for (String id : ids) {
        update(c, "update blobs set state = 'PENDING', next_attempt_at = null, updated_at = ? where file_unique_id = ?",
            ts(Instant.now()), id);
      }
      return ids.size();
    });
  }

  /** A file that is in the bucket now, for {@link #markStored(List)}. */
  public record StoredFile(String fileUniqueId, String objectKey, long size, String sha256) {}

  public void markStored(String fileUniqueId, String objectKey, long size, String sha256) {
    markStored(List.of(new StoredFile(fileUniqueId, objectKey, size, sha256)));
  }

  /**
   * Records several stored files in one transaction: each commit of the file catalog writes its
   * changed pages to disk, so one commit per file was a tenth of a small-file backup's time.
   */
  public void markStored(List<StoredFile> files) {
    if (files.isEmpty()) {
      return;
    }
    db.inTransaction(c -> {
      OffsetDateTime now = ts(Instant.now());
      for (StoredFile f : files) {
        setState(c, f.fileUniqueId(), now, "state = 'STORED', object_key = ?, size = ?, sha256 = ?, last_error = null,"
            + " refused_for = null, next_attempt_at = null", f.objectKey(), f.size(), f.sha256());
      }
      return null;
    });
  }

  public void markTooBig(String fileUniqueId, String reason, String refusedFor) {
    setState(fileUniqueId, "state = 'TOO_BIG', last_error = ?, refused_for = ?", truncate(reason, 4000), refusedFor);
  }

  /**
   * Records a failed attempt; the item waits until {@code nextAttempt}, or until the download
   * mode differs from {@code mode} (see {@link #requeueRefused}).
   */
  public void markFailed(String fileUniqueId, String error, Instant nextAttempt, String mode) {
    setState(fileUniqueId, "state = 'FAILED', attempts = attempts + 1, last_error = ?, next_attempt_at = ?,"
        + " refused_for = ?", truncate(error, 4000), nextAttempt.toEpochMilli(), mode);
  }

  /** The size recorded for the stored file at {@code objectKey}; empty when none is stored there. */
  public Optional<Long> storedSizeAt(String objectKey) {
    return db.query("select size from blobs where object_key = ? and state = 'STORED'", ps -> bind(ps, objectKey),
        rs -> rs.getLong(1)).stream().findFirst();
  }

  /**
   * The stored file at {@code objectKey} is not in the bucket after all: it becomes pending again,
   * due at once, under the same key. Returns whether there was one.
   */
  public boolean requeueStoredAt(String objectKey, String reason) {
    return db.inTransaction(c -> {
      List<String> ids = strings(c, "select file_unique_id from blobs where object_key = ? and state = 'STORED'",
          objectKey);
      for (String id : ids) {
        setState(c, id, ts(Instant.now()), "state = 'PENDING', last_error = ?, next_attempt_at = null",
            truncate(reason, 4000));
      }
      return !ids.isEmpty();
    });
  }

  /** Remembers the object key chosen for a blob before its transfer starts (keys stay stable). */
  public Optional<String> objectKey(String fileUniqueId) {
    return db.query("select object_key from blobs where file_unique_id = ?", ps -> bind(ps, fileUniqueId),
        rs -> rs.getString(1)).stream().filter(k -> k != null).findFirst();
  }

  private void setState(String fileUniqueId, String assignments, Object... values) {
    db.inTransaction(c -> {
      setState(c, fileUniqueId, ts(Instant.now()), assignments, values);
      return null;
    });
  }

  /** Sets a blob's state and marks the manifests of every post that carries it for rewriting. */
  private static void setState(Connection c, String fileUniqueId, OffsetDateTime now, String assignments,
                               Object... values) throws SQLException {
    Object[] args = new Object[values.length + 2];
    System.arraycopy(values, 0, args, 0, values.length);
    args[values.length] = now;
    args[values.length + 1] = fileUniqueId;
    update(c, "update blobs set " + assignments + ", updated_at = ? where file_unique_id = ?", args);
    update(c, "update post_versions set manifest_dirty = true where id in"
        + " (select version_id from media_items where file_unique_id = ?)", fileUniqueId);
  }

  /** Post versions whose manifest must be (re)written, oldest first. */
  public List<ManifestSource> dirtyManifests(int limit) {
    List<Long> ids = db.query("select id from post_versions where manifest_dirty = true order by id limit ?",
        ps -> bind(ps, limit), rs -> rs.getLong(1));
    List<ManifestSource> out = new ArrayList<>();
    for (long id : ids) {
      out.add(manifestSource(id));
    }
    return out;
  }

  private ManifestSource manifestSource(long id) {
    PostVersion[] version = new PostVersion[1];
    List<ManifestSource.Item> items = db.query(
        "select m.kind, m.file_unique_id, m.file_id, m.file_size, m.mime_type, m.file_name, m.width, m.height,"
            + " m.duration, b.state, b.object_key, b.size, b.sha256, b.last_error from media_items m"
            + " join blobs b on b.file_unique_id = m.file_unique_id where m.version_id = ? order by m.position",
        ps -> bind(ps, id),
        rs -> new ManifestSource.Item(
            new MediaRef(MediaKind.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                rs.getString(5), rs.getString(6), nullableInt(rs, 7), nullableInt(rs, 8), nullableInt(rs, 9)),
            BlobState.valueOf(rs.getString(10)), rs.getString(11), nullableLong(rs, 12), rs.getString(13),
            rs.getString(14)));
    db.query("select chat_id, message_id, edit_date, content_hash, post_date, media_group_id, update_id, raw_json"
            + " from post_versions where id = ?", ps -> bind(ps, id),
        rs -> version[0] = new PostVersion(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
            rs.getLong(5), rs.getString(6), rs.getLong(7), rs.getString(8),
            items.stream().map(ManifestSource.Item::ref).toList()));
    return new ManifestSource(id, version[0], items);
  }

  public void markManifestWritten(long versionId, String key) {
    markManifestsWritten(Map.of(versionId, key));
  }

  /** Records written manifests (post version id to object key) in one transaction. */
  public void markManifestsWritten(Map<Long, String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    db.inTransaction(c -> {
      for (Map.Entry<Long, String> e : keys.entrySet()) {
        update(c, "update post_versions set manifest_dirty = false, manifest_key = ? where id = ?", e.getValue(),
            e.getKey());
      }
      return null;
    });
  }

  /** Every post version of a channel with a written manifest, in message then edit order. */
  public List<IndexEntry> indexEntries(long chatId) {
    return db.query("select message_id, edit_date, post_date, media_group_id, manifest_key from post_versions"
            + " where chat_id = ? and manifest_key is not null order by message_id, edit_date, id",
        ps -> bind(ps, chatId),
        rs -> new IndexEntry(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)));
  }

  /** The message ids of {@code chatId} between {@code from} and {@code to} (inclusive) with any version journaled. */
  public java.util.Set<Long> knownMessageIds(long chatId, long from, long to) {
    return new java.util.HashSet<>(db.query("select distinct message_id from post_versions where chat_id = ?"
        + " and message_id between ? and ?", ps -> bind(ps, chatId, from, to), rs -> rs.getLong(1)));
  }

  /** Records that backfill found no post at {@code messageId} of {@code chatId} (deleted, or a service message). */
  public void addBackfillGap(long chatId, long messageId) {
    db.inTransaction(c -> {
      if (!exists(c, "select 1 from backfill_gaps where chat_id = ? and message_id = ?", chatId, messageId)) {
        update(c, "insert into backfill_gaps (chat_id, message_id, checked_at) values (?, ?, ?)", chatId, messageId,
            ts(Instant.now()));
      }
      return null;
    });
  }

  /** The ids of {@code chatId} between {@code from} and {@code to} (inclusive) that backfill found empty before. */
  public java.util.Set<Long> backfillGaps(long chatId, long from, long to) {
    return new java.util.HashSet<>(db.query("select message_id from backfill_gaps where chat_id = ?"
        + " and message_id between ? and ?", ps -> bind(ps, chatId, from, to), rs -> rs.getLong(1)));
  }

  /** The highest message id journaled for {@code chatId}, or 0 when there is none. */
  public long maxMessageId(long chatId) {
    return db.query("select coalesce(max(message_id), 0) from post_versions where chat_id = ?",
        ps -> bind(ps, chatId), rs -> rs.getLong(1)).get(0);
  }

  /** The date of the newest post of {@code chatId} journaled below {@code messageId}, or 0 when there is none. */
  public long latestPostDateBefore(long chatId, long messageId) {
    return db.query("select coalesce(max(post_date), 0) from post_versions where chat_id = ? and message_id < ?",
        ps -> bind(ps, chatId, messageId), rs -> rs.getLong(1)).get(0);
  }

  /** One line of a channel index snapshot. */
  public record IndexEntry(long messageId, long editDate, long postDate, String mediaGroupId, String manifestKey) {}

  /**
   * Every media item not stored, by channel and message, with its reason. A pending item that only
   * other bots received says so: {@code botId} cannot fetch it (file_ids are per bot), the instance
   * running that bot does.
   */
  public List<Problem> problems(long botId) {
    return problems(botId, Integer.MAX_VALUE);
  }

  /** The first {@code limit} of {@link #problems(long)}, in the same order (the dashboard polls it). */
  public List<Problem> problems(long botId, int limit) {
    return db.query("select chat_id, message_id, file_unique_id, kind, state, last_error,"
            + " case when exists (select 1 " + FETCHABLE_REFS + ") then 1 else 0 end, next_attempt_at from blobs"
            + " where state <> 'STORED' order by chat_id, message_id, file_unique_id limit ?", ps -> bind(ps, botId, limit),
        rs -> {
          String reason = rs.getString(6);
          if (reason == null && rs.getInt(7) == 0) {
            reason = "received by another bot only; file_ids are per bot, so the instance running that bot backs it up";
          }
          BlobState state = BlobState.valueOf(rs.getString(5));
          return new Problem(rs.getLong(1), rs.getLong(2), rs.getString(3), MediaKind.valueOf(rs.getString(4)),
              state, reason, state == BlobState.FAILED && rs.getObject(8) != null ? Instant.ofEpochMilli(rs.getLong(8)) : null);
        });
  }

  /** How many media items {@link #problems(long)} lists. */
  public long problemCount() {
    return db.query("select count(*) from blobs where state <> 'STORED'", ps -> {}, rs -> rs.getLong(1)).get(0);
  }

  // ---------------------------------------------------------------- jobs and status

  public long startJob(String job) {
    return db.inTransaction(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "insert into job_runs (job, started_at, status, updated_at) values (?, ?, 'RUNNING', ?)", ID_COLUMN)) {
        OffsetDateTime now = ts(Instant.now());
        bind(ps, job, now, now);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  public void finishJob(long id, String status, int stored, int failed, long bytes, String message) {
    OffsetDateTime now = ts(Instant.now());
    db.inTransaction(c -> update(c, "update job_runs set finished_at = ?, updated_at = ?, status = ?, stored = ?,"
        + " failed = ?, bytes = ?, message = ? where id = ?", now, now, status, stored, failed, bytes,
        truncate(message, 4000), id));
  }

  /** The latest run of each job. */
  public List<JobRun> lastRuns() {
    return db.query("select id, job, started_at, finished_at, status, stored, failed, bytes, message, updated_at"
            + " from job_runs r where id = (select max(id) from job_runs r2 where r2.job = r.job) order by job",
        ps -> {}, rs -> new JobRun(rs.getLong(1), rs.getString(2), instant(rs, 3), instant(rs, 4), rs.getString(5),
            rs.getInt(6), rs.getInt(7), rs.getLong(8), rs.getString(9), instant(rs, 10)));
  }

  /**
   * Whether a run of {@code job} is in progress in some process sharing this catalog: recorded
   * RUNNING and heard from (heartbeat) within {@link LiveProgress#SILENCE} of {@code now}.
   */
  public boolean runInProgress(String job, Instant now) {
    return !db.query("select id from job_runs where job = ? and status = 'RUNNING'"
            + " and coalesce(updated_at, started_at) > ? fetch first 1 rows only",
        ps -> bind(ps, job, ts(now.minus(LiveProgress.SILENCE))), rs -> rs.getLong(1)).isEmpty();
  }

  /** Start of the latest finished run of a job, if any. */
  public Optional<Instant> lastFinishedStart(String job) {
    return db.query("select max(started_at) from job_runs where job = ? and finished_at is not null",
        ps -> bind(ps, job), rs -> instant(rs, 1)).stream().filter(i -> i != null).findFirst();
  }

  public List<ChannelStatus> channelStatus(List<Long> configured) {
    List<Long> ids = new ArrayList<>(configured);
    for (long id : db.query("select chat_id from channels order by chat_id", ps -> {}, rs -> rs.getLong(1))) {
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    List<ChannelStatus> out = new ArrayList<>();
    for (long chat : ids) {
      String[] info = db.query("select title, bot_status from channels where chat_id = ?", ps -> bind(ps, chat),
          rs -> new String[] {rs.getString(1), rs.getString(2)}).stream().findFirst().orElse(new String[2]);
      long posts = db.single("select count(distinct message_id) from post_versions where chat_id = ?", chat);
      long versions = db.single("select count(*) from post_versions where chat_id = ?", chat);
      Map<BlobState, Long> media = new EnumMap<>(BlobState.class);
      for (BlobState s : BlobState.values()) {
        media.put(s, 0L);
      }
      db.query("select b.state, count(distinct b.file_unique_id) from blobs b where b.file_unique_id in"
              + " (select m.file_unique_id from media_items m join post_versions v on v.id = m.version_id"
              + " where v.chat_id = ?) group by b.state", ps -> bind(ps, chat),
          rs -> media.put(BlobState.valueOf(rs.getString(1)), rs.getLong(2)));
      long bytes = db.single("select coalesce(sum(b.size), 0) from blobs b where b.state = 'STORED' and"
          + " b.file_unique_id in (select m.file_unique_id from media_items m join post_versions v"
          + " on v.id = m.version_id where v.chat_id = ?)", chat);
      out.add(new ChannelStatus(chat, info[0], info[1], posts, versions, media, bytes));
    }
    return out;
  }

  /** The latest post versions to arrive, newest first, of one channel or (chatId null) of all. */
  public List<RecentVersion> recentVersions(Long chatId, int limit) {
    return db.query("select v.chat_id, v.message_id, v.edit_date, v.post_date, v.media_group_id, v.raw_json,"
            + " v.received_at, (select count(*) from media_items m where m.version_id = v.id),"
            + " (select count(*) from media_items m join blobs b on b.file_unique_id = m.file_unique_id"
            + " where m.version_id = v.id and b.state = 'STORED'),"
            + " case when v.manifest_dirty then null else v.manifest_key end"
            + " from post_versions v" + (chatId == null ? "" : " where v.chat_id = ?") + " order by v.id desc limit ?",
        ps -> bind(ps, chatId == null ? new Object[] {limit} : new Object[] {chatId, limit}),
        rs -> new RecentVersion(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
            rs.getString(6), instant(rs, 7), rs.getInt(8), rs.getInt(9),
            rs.getString(10)));
  }

  public List<IntakeBatch.Warning> warnings(int limit) {
    return db.query("select chat_id, kind, message from warnings order by id desc limit ?", ps -> bind(ps, limit),
        rs -> new IntakeBatch.Warning(nullableLong(rs, 1), rs.getString(2), rs.getString(3)));
  }

  public void addWarning(IntakeBatch.Warning w) {
    db.inTransaction(c -> {
      addWarning(c, w, Instant.now());
      return null;
    });
  }

  /** {@link #addWarning}, unless the same warning (chat, kind and text) is already there: one each process would repeat. */
  public void addWarningOnce(IntakeBatch.Warning w) {
    db.inTransaction(c -> {
      if (!exists(c, "select 1 from warnings where chat_id = ? and kind = ? and message = ?", w.chatId(), w.kind(),
          truncate(w.message(), 4000))) {
        addWarning(c, w, Instant.now());
      }
      return null;
    });
  }

  private void addWarning(Connection c, IntakeBatch.Warning w, Instant now) throws SQLException {
    update(c, "insert into warnings (chat_id, kind, message, created_at) values (?, ?, ?, ?)",
        w.chatId(), w.kind(), truncate(w.message(), 4000), ts(now));
  }

  public long rejectedUpdates() {
    return db.single("select count(*) from rejected_updates");
  }

  /** Counters of a table's rows by a state column; for tests and diagnostics. */
  public Map<String, Long> countBy(String sqlSelectingKeyAndCount) {
    Map<String, Long> out = new LinkedHashMap<>();
    db.query(sqlSelectingKeyAndCount, ps -> {}, rs -> out.put(rs.getString(1), rs.getLong(2)));
    return out;
  }

  // ---------------------------------------------------------------- reindex (recovery): rebuild from manifests

  /** A media item of a post version read back from its manifest, with what the bucket holds for it. */
  public record ImportedItem(MediaRef ref, BlobState state, String objectKey, Long size, String sha256,
      String reason) {}

  /**
   * Adds a post version read back from its manifest: recorded as written ({@code manifestKey}, not
   * dirty), with its media items and their blobs, in one transaction. Idempotent: a version already
   * present is left alone and false is returned. A blob already present becomes STORED when the
   * item says so; otherwise it keeps its state.
   */
  public boolean importVersion(PostVersion v, String manifestKey, Instant receivedAt, String channelTitle,
      String channelUsername, List<ImportedItem> items) {
    return db.inTransaction(c -> {
      upsertChannel(c, new IntakeBatch.ChannelSeen(v.chatId(), channelTitle, channelUsername, null, 0));
      if (exists(c, "select 1 from post_versions where chat_id = ? and message_id = ? and edit_date = ?"
          + " and content_hash = ?", v.chatId(), v.messageId(), v.editDate(), v.contentHash())) {
        return false;
      }
      long id;
      try (PreparedStatement ps = c.prepareStatement(
          "insert into post_versions (chat_id, message_id, edit_date, content_hash, post_date, media_group_id,"
              + " update_id, raw_json, received_at, manifest_key, manifest_dirty)"
              + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)", ID_COLUMN)) {
        bind(ps, v.chatId(), v.messageId(), v.editDate(), v.contentHash(), v.postDate(), v.mediaGroupId(),
            v.updateId() == 0 ? null : v.updateId(), v.rawJson(), ts(receivedAt), manifestKey);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          id = keys.getLong(1);
        }
      }
      int pos = 0;
      Instant now = Instant.now();
      for (ImportedItem item : items) {
        MediaRef m = item.ref();
        update(c, "insert into media_items (version_id, position, kind, file_unique_id, file_id, file_size,"
                + " mime_type, file_name, width, height, duration) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            id, pos++, m.kind().name(), m.fileUniqueId(), m.fileId(), m.fileSize(), truncate(m.mimeType(), 255),
            m.fileName(), m.width(), m.height(), m.duration());
        boolean stored = item.state() == BlobState.STORED;
        if (!exists(c, "select 1 from blobs where file_unique_id = ?", m.fileUniqueId())) {
          update(c, "insert into blobs (file_unique_id, state, kind, file_id, expected_size, mime_type, file_name,"
                  + " chat_id, message_id, object_key, size, sha256, last_error, created_at, updated_at)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              m.fileUniqueId(), item.state().name(), m.kind().name(), m.fileId(), m.fileSize(),
              truncate(m.mimeType(), 255), m.fileName(), v.chatId(), v.messageId(), item.objectKey(),
              stored ? item.size() : null, stored ? item.sha256() : null, truncate(item.reason(), 4000),
              ts(now), ts(now));
        } else if (stored) {
          update(c, "update blobs set state = 'STORED', object_key = ?, size = ?, sha256 = ?, last_error = null,"
              + " refused_for = null, next_attempt_at = null, updated_at = ? where file_unique_id = ?"
              + " and state <> 'STORED'", item.objectKey(), item.size(), item.sha256(), ts(now), m.fileUniqueId());
        }
      }
      update(c, "update channels set max_message_id = ? where chat_id = ? and max_message_id < ?",
          v.messageId(), v.chatId(), v.messageId());
      return true;
    });
  }
}
