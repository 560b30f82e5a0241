package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.channelmirror.catalog.TestPostgres;
import org.channelmirror.fakebot.FileRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process with its catalog on PostgreSQL ({@link TestPostgres}), the configuration for
 * several instances: a backup killed mid-transfer resumes its upload from the part records there,
 * and {@code status} reads the result.
 */
class PostgresCatalogIT {
  @TempDir
  Path dir;
  private String schema;

  @BeforeEach
  void schema() throws Exception {
    schema = TestPostgres.createSchema();
  }

  @AfterEach
  void dropSchema() throws Exception {
    if (schema != null) { // null when the test was skipped for want of a server
      TestPostgres.dropSchema(schema);
    }
  }

  @Test
  void aBackupKilledMidTransferResumesWithItsCatalogOnPostgres() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 4\n")) {
      h.useCatalog(TestPostgres.urlFor(schema), TestPostgres.USER, TestPostgres.PASSWORD);
      FileRef f = TransferIT.publish(h, 401, 100_000_000L);
      int parts = (int) ((f.size() + TransferIT.PART - 1) / TransferIT.PART);
      h.api.faults().throttleDownloads(8L << 20);
      ResumeIT.killWhenPartsAreStored(h, dir.resolve("first.log"), 5);

      h.api.faults().clear();
      TransferIT.PartCounts counts = TransferIT.PartCounts.in(ChildProcess.succeed(dir.resolve("second.log"),
          h.config, "sync"));
      assertThat(counts.parts()).isEqualTo(parts);
      assertThat(counts.resumed()).isGreaterThanOrEqualTo(5);
      TransferIT.assertStored(h, f);

      Harness.Run status = h.cli("status", "--json");
      assertThat(status.code()).isZero();
      JsonNode st = Harness.JSON.readTree(status.out().substring(status.out().indexOf('{')));
      assertThat(st.toString()).contains("\"stored\"");
      assertThat(st.path("last_runs").path("backup").path("status").asText()).isEqualTo("OK");
    }
  }
}
