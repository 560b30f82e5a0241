package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.channelmirror.catalog.TestPostgres;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
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

  /** PostgreSQL refusing the password: one config line naming the keys, exit 2, the password nowhere. */
  @Test
  void aPasswordPostgresRefusesIsAConfigErrorNamingTheKeys() throws Exception {
    try (Harness h = Harness.cloud(dir, -1001234567890L)) {
      String wrong = "Wrong-" + TestPostgres.PASSWORD + "-pw";
      h.useCatalog(TestPostgres.urlFor(schema), TestPostgres.USER, wrong);
      for (String command : new String[] {"status", "sync"}) {
        Harness.Run run = h.cli(command);
        Harness.assertExit(run, 2);
        assertThat(run.err()).startsWith("config error: ").contains("catalog.user and catalog.password")
            .doesNotContain(wrong);
      }
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

  /**
   * Two instances, each with its own bot and channel, on one catalog and one bucket (deploy/README):
   * file_ids are per bot, so each backs up the files its bot received, and leaves the other's
   * pending files alone instead of asking its own Bot API for them.
   */
  @Test
  void instancesWithTheirOwnBotsBackUpTheirOwnFiles() throws Exception {
    long channelB = -1002222222222L;
    try (Harness a = new Harness(dir.resolve("a"), FakeBotApi.Options.defaults(), List.of(EndToEndIT.CHANNEL), "");
         Harness b = new Harness(dir.resolve("b"),
             FakeBotApi.Options.defaults().withToken("222222222:OTHER-fake-token_abcdefghijklmnop"), List.of(channelB), "")) {
      String url = TestPostgres.urlFor(schema);
      a.useCatalog(url, TestPostgres.USER, TestPostgres.PASSWORD);
      b.useCatalog(url, TestPostgres.USER, TestPostgres.PASSWORD);
      // one bucket: b's configuration points at a's S3 server
      String bYaml = Files.readString(b.config).replace(b.s3.endpoint(), a.s3.endpoint())
          .replace(b.s3.accessKeyId(), a.s3.accessKeyId()).replace(b.s3.secretAccessKey(), a.s3.secretAccessKey());
      Files.writeString(b.config, bYaml);

      FileRef fileA = EndToEndIT.fileOf(a.api.channel(EndToEndIT.CHANNEL, "A", null).post()
          .document(FileContent.random(1, 1_500_000), "a.bin", "application/octet-stream").publish());
      FileRef fileB = EndToEndIT.fileOf(b.api.channel(channelB, "B", null).post()
          .document(FileContent.random(2, 2_500_000), "b.bin", "application/octet-stream").publish());

      // a journals its post while its storage is unreachable: the file stays pending
      String aYaml = Files.readString(a.config);
      Files.writeString(a.config, aYaml.replace(a.s3.endpoint(), "http://127.0.0.1:9"));
      Harness.Run down = a.cli("sync");
      Harness.assertExit(down, 3);
      // an error goes to stderr, like every other command's, not into the summary on stdout
      assertThat(down.err()).contains("storage error: ");
      assertThat(down.out()).doesNotContain("storage error");
      Files.writeString(a.config, aYaml);
      assertThat(a.calls("getFile")).isZero();

      // b stores its own file and does not ask its Bot API for a's
      Harness.Run bSync = b.cli("sync");
      Harness.assertExit(bSync, 1);
      assertThat(bSync.out()).contains("stored 1 media file(s)").contains(fileA.fileUniqueId())
          .contains("received by another bot only");
      assertThat(b.calls("getFile")).isEqualTo(1);
      assertThat(a.objects("media/")).singleElement().satisfies(o -> {
        assertThat(o.key()).contains(fileB.fileUniqueId());
        assertThat(a.sha256(o.key())).isEqualTo(fileB.content().sha256Hex());
      });

      // a's next pass stores a's file: now everything is stored, for either instance
      Harness.assertExit(a.cli("sync"), 0);
      assertThat(a.calls("getFile")).isEqualTo(1);
      assertThat(a.objects("media/")).hasSize(2);
      Harness.assertExit(b.cli("sync"), 0);
      assertThat(b.calls("getFile")).isEqualTo(1);
    }
  }
}
