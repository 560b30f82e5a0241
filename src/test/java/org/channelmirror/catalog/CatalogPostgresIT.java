package org.channelmirror.catalog;

import java.sql.SQLException;

/** The catalog contract on a real PostgreSQL server ({@link TestPostgres}), each test in a fresh schema. */
class CatalogPostgresIT extends CatalogContract {
  private String schema;

  @Override
  Database freshDatabase() throws SQLException {
    schema = TestPostgres.createSchema();
    return new Database(TestPostgres.urlFor(schema), TestPostgres.USER, TestPostgres.PASSWORD);
  }

  @Override
  void dispose(Database db) throws SQLException {
    TestPostgres.dropSchema(schema);
  }
}
