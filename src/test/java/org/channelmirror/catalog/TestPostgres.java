package org.channelmirror.catalog;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server of the tests: {@code CM_TEST_PG_URL}, {@code CM_TEST_PG_USER} and
 * {@code CM_TEST_PG_PASSWORD}, which {@code .ci/run} sets after starting one. Without them a test
 * that needs it is skipped, except under {@code CI=true}, where it fails: CI must never pass by
 * skipping it. Each test works in a schema of its own.
 */
public final class TestPostgres {
  public static final String URL = System.getenv("CM_TEST_PG_URL");
  public static final String USER = env("CM_TEST_PG_USER");
  public static final String PASSWORD = env("CM_TEST_PG_PASSWORD");

  private TestPostgres() {}

  /** Skips (or, under CI, fails) the calling test when no server is configured. */
  public static void require() {
    if (URL == null || URL.isBlank()) {
      String why = "CM_TEST_PG_URL is not set (with CM_TEST_PG_USER and CM_TEST_PG_PASSWORD):"
          + " run .ci/run, or point them at a PostgreSQL database you may create schemas in";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(why + "; CI=true, where the PostgreSQL tests must not be skipped");
      }
      abort(why);
    }
  }

  /** Creates a fresh schema and returns its name. */
  public static String createSchema() throws SQLException {
    require();
    String schema = "cm_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("create schema " + schema);
    return schema;
  }

  /** The JDBC URL that works in {@code schema}. */
  public static String urlFor(String schema) {
    return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  public static void dropSchema(String schema) throws SQLException {
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
