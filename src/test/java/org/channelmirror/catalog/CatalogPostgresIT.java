package org.channelmirror.catalog;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The catalog contract on a real PostgreSQL server, each test in a fresh schema. The server comes
 * from {@code CM_TEST_PG_URL}, {@code CM_TEST_PG_USER} and {@code CM_TEST_PG_PASSWORD}, which
 * {@code .ci/run} sets after starting one. Without them the test is skipped, except under
 * {@code CI=true}, where it fails: CI must never pass by skipping it.
 */
class CatalogPostgresIT extends CatalogContract {
  private static final String URL = System.getenv("CM_TEST_PG_URL");
  private static final String USER = env("CM_TEST_PG_USER");
  private static final String PASSWORD = env("CM_TEST_PG_PASSWORD");

  private String schema;

  /** Per test rather than per class, so that the report counts each skipped test. */
  private static void requirePostgres() {
    if (URL == null || URL.isBlank()) {
      String why = "CM_TEST_PG_URL is not set (with CM_TEST_PG_USER and CM_TEST_PG_PASSWORD):"
          + " run .ci/run, or point them at a PostgreSQL database you may create schemas in";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; CI=true, where the PostgreSQL tests must not be skipped");
      }
      abort(why);
    }
  }

  @Override
  Database freshDatabase() throws SQLException {
    requirePostgres();
    schema = "cm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("create schema " + schema);
    return new Database(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema, USER, PASSWORD);
  }

  @Override
  void dispose(Database db) throws SQLException {
    execute("drop schema " + schema + " cascade");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value;
  }
}
