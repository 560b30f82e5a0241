package org.channelmirror.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The JDBC plumbing the catalog's classes share: transactions, queries, parameter binding that
 * works the same on H2 and PostgreSQL, and column reads that keep SQL NULL as Java null.
 */
final class Jdbc {
  private final DataSource pool;

  Jdbc(DataSource pool) {
    this.pool = pool;
  }


  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  <T> T inTransaction(SqlWork<T> work) {
    return asideFromInterrupt(() -> transaction(work));
  }

  /**
   * Runs {@code statements} with the caller's interrupt set aside, and restores it afterwards. A
   * stop interrupts the transfer threads, and they record what they did in a finally. An
   * interrupted thread would fail at once where the pool makes it wait for a connection, and
   * before {@link H2Files} moved H2 onto its async file store, its first file I/O closed the whole
   * database. (An interrupt that lands during the statement is H2Files' part.)
   */
  private static <T> T asideFromInterrupt(java.util.function.Supplier<T> statements) {
    boolean interrupted = Thread.interrupted();
    try {
      return statements.get();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A pooled connection. An interrupt that lands while the pool makes the caller wait for one is
   * kept for the caller, not turned into a failed write ("Interrupted during connection
   * acquisition"): the wait goes on, as for an interrupt that came before the call.
   */
  private Connection connection() throws SQLException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return pool.getConnection();
        } catch (SQLException e) {
          if (!Thread.interrupted()) { // the pool sets the flag again when an interrupt ended its wait
            throw e;
          }
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private <T> T transaction(SqlWork<T> work) {
    try (Connection c = connection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new CatalogException("catalog write failed: " + e.getMessage(), e);
    }
  }

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    return asideFromInterrupt(() -> select(sql, binder, mapper));
  }

  private <T> List<T> select(String sql, Binder binder, RowMapper<T> mapper) {
    try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      List<T> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new CatalogException("catalog read failed: " + e.getMessage(), e);
    }
  }

  long single(String sql, Object... args) {
    return query(sql, ps -> bind(ps, args), rs -> rs.getLong(1)).get(0);
  }

  static long longValue(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The first column of every row, as strings (inside a transaction, before updating those rows). */
  static List<String> strings(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  static boolean exists(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        ps.setNull(i + 1, Types.NULL);
      } else if (a instanceof String str && str.indexOf('\0') >= 0) {
        // PostgreSQL text cannot hold NUL; one in a file name would otherwise fail every retry of a batch
        ps.setString(i + 1, str.replace('\0', '\uFFFD'));
      } else if (a instanceof OffsetDateTime t) {
        ps.setObject(i + 1, t);
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  static OffsetDateTime ts(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Long nullableLong(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }

  static Integer nullableInt(ResultSet rs, int col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
