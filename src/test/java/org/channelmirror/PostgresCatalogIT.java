package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.catalog.TestPostgres;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.storage.PendingUpload;
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
    TestPostgres.dropSchema(schema);
  }

  @Test
  void aBackupKilledMidTransferResumesWithItsCatalogOnPostgres() throws Exception {
    try (Harness h = TransferIT.harness(dir, "transfer:\n  window: 4\n")) {
      h.useCatalog(TestPostgres.urlFor(schema), TestPostgres.USER, TestPostgres.PASSWORD);
      FileRef f = TransferIT.publish(h, 401, 100_000_000L);
      int parts = (int) ((f.size() + TransferIT.PART - 1) / TransferIT.PART);
      h.api.faults().throttleDownloads(8L << 20);
      ChildProcess first = ChildProcess.start(dir.resolve("first.log"), List.of(), "--config",
          h.config.toString(), "sync");
      try {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
          List<PendingUpload> ups = h.store.listMultipartUploads("media/");
          return ups.size() == 1 && h.store.listParts(ups.get(0).key(), ups.get(0).uploadId()).size() >= 5;
        });
        first.kill();
      } finally {
        first.close();
      }

      h.api.faults().clear();
      ChildProcess second = ChildProcess.start(dir.resolve("second.log"), List.of(), "--config",
          h.config.toString(), "sync");
      String out;
      try {
        int code = second.waitFor(120);
        out = second.output();
        assertThat(code).as("exit code; output:%n%s", out).isZero();
      } finally {
        second.close();
      }
      Matcher m = Pattern.compile("stored as (\\d+) parts \\((\\d+) uploaded, (\\d+) resumed\\)").matcher(out);
      assertThat(m.find()).as("summary line in:\n%s", out).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isEqualTo(parts);
      assertThat(Integer.parseInt(m.group(3))).isGreaterThanOrEqualTo(5);
      TransferIT.assertStored(h, f);

      Harness.Run status = h.cli("status", "--json");
      assertThat(status.code()).isZero();
      JsonNode st = Harness.JSON.readTree(status.out().substring(status.out().indexOf('{')));
      assertThat(st.toString()).contains("\"stored\"");
      assertThat(st.path("last_runs").path("backup").path("status").asText()).isEqualTo("OK");
    }
  }
}
