package org.channelmirror.catalog;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The catalog contract on the embedded default: an H2 file database, one per test. */
class CatalogH2IT extends CatalogContract {
  @TempDir
  Path dir;

  @Override
  Database freshDatabase() {
    // AUTO_SERVER as Application opens a file catalog, so the measured rate is the real one
    return new Database("jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath() + ";AUTO_SERVER=TRUE", "", "");
  }
}
