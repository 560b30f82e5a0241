package org.channelmirror.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Child process for {@link CatalogDurabilityIT}: several threads commit at once through H2 opened
 * as the catalog opens it ({@link H2Files#hardened}), as intake and a backup run's records do:
 * inserts and updates, so the file's space is freed and reused. Each prints "committed T N" after
 * its commit of row N returned.
 */
public final class ConcurrentCommitLoop {
  static final int THREADS = 4;
  static final int ROWS = 20;

  private ConcurrentCommitLoop() {}

  public static void main(String[] args) throws Exception {
    String url = H2Files.hardened(args[0]);
    try (Connection c = DriverManager.getConnection(url, "", "")) {
      c.createStatement().execute("create table if not exists t(th int, n bigint, pad varchar(4000), primary key(th, n))");
    }
    for (int t = 0; t < THREADS; t++) {
      int th = t;
      new Thread(() -> {
        try (Connection c = DriverManager.getConnection(url, "", "")) {
          c.setAutoCommit(false);
          long n;
          try (ResultSet rs = c.createStatement().executeQuery("select coalesce(max(n), 0) from t where th = " + th)) {
            rs.next();
            n = rs.getLong(1);
          }
          String pad = "x".repeat(th == 0 ? 100 : 3000);
          n = n / ROWS * ROWS;
          while (true) {
            n += ROWS;
            try (PreparedStatement ins = c.prepareStatement("insert into t values (?, ?, ?)");
                 PreparedStatement upd = c.prepareStatement("update t set pad = ? where th = ? and n = ?")) {
              for (int k = 0; k < (th == 0 ? 1 : ROWS); k++) { // row n, then n+1 .. n+ROWS-1 as ballast
                ins.setInt(1, th);
                ins.setLong(2, n + k);
                ins.setString(3, pad);
                ins.addBatch();
              }
              ins.executeBatch();
              upd.setString(1, pad + n);
              upd.setInt(2, th);
              upd.setLong(3, n - ROWS);
              upd.executeUpdate();
            }
            c.commit();
            synchronized (System.out) {
              System.out.println("committed " + th + " " + n);
              System.out.flush();
            }
            Thread.sleep(th == 0 ? 20 : 2);
          }
        } catch (Exception e) {
          e.printStackTrace();
        }
      }).start();
    }
  }
}
