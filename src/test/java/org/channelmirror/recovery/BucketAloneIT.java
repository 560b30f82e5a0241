package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore and export read the bucket (and Telegram) alone: with the old configuration, whose
 * catalog (a PostgreSQL server, say) is gone, they still work. Found by the core sweep: every
 * recovery command opened the catalog first and exited 3 with "catalog error".
 */
class BucketAloneIT {
  @TempDir
  Path tmp;

  @Test
  void restoreAndExportNeedNoCatalog() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp)) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      Path gone = tmp.resolve("old-server.yaml");
      Files.writeString(gone, Files.readString(drill.configFile)
          + "catalog:\n  url: jdbc:postgresql://127.0.0.1:9/catalog_of_a_server_that_is_gone\n");

      Path out = tmp.resolve("export");
      Drill.Result export = drill.cliWith(gone, "export", "--to", out.toString());
      assertThat(export.exitCode()).as(export.out()).isZero();
      assertThat(out.resolve("index.html")).exists();

      long target = drill.target(-1002000000202L);
      Drill.Result restore = drill.cliWith(gone, "restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(restore.exitCode()).as(restore.out()).isZero();
      assertThat(drill.api.sent(target)).hasSize(drill.expected().size());

      // verify records its result in the catalog, so it needs one: it says which
      Drill.Result verify = drill.cliWith(gone, "verify");
      assertThat(verify.exitCode()).isEqualTo(3);
    }
  }
}
