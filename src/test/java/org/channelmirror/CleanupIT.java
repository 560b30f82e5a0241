package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.channelmirror.app.Application;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.config.ConfigLoader;
import org.channelmirror.schedule.Schedules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleanup of multipart uploads nobody will complete: the command, and the scheduled job. */
class CleanupIT {
  @TempDir
  Path dir;

  @Test
  void cleanupCommandAbortsOrphanUploadsUnderTheMediaPrefixAndStatusShowsIt() throws Exception {
    try (Harness h = Harness.cloud(dir, -1001L)) {
      String orphan = h.store.createMultipartUpload("media/AgADorphan.mp4", "video/mp4", Map.of());
      h.store.createMultipartUpload("channels/-1001/not-ours.json", null, Map.of());

      // a fresh unknown upload may be one a backup is creating right now: kept by default
      Harness.Run kept = h.cli("cleanup");
      Harness.assertExit(kept, 0);
      assertThat(kept.out()).contains("aborted 0 of 1 pending multipart upload(s)");
      assertThat(h.store.listMultipartUploads("media/")).hasSize(1);

      Harness.Run now = h.cli("cleanup", "--older-than", "PT0S", "--json");
      Harness.assertExit(now, 0);
      JsonNode report = Harness.JSON.readTree(now.out());
      assertThat(report.path("pending").asInt()).isEqualTo(1);
      assertThat(report.path("aborted")).hasSize(1);
      assertThat(report.path("aborted").get(0).path("key").asText()).isEqualTo("media/AgADorphan.mp4");
      assertThat(report.path("aborted").get(0).path("upload_id").asText()).isEqualTo(orphan);
      assertThat(report.path("aborted").get(0).path("reason").asText()).contains("unknown to the catalog");
      assertThat(h.store.listMultipartUploads("media/")).isEmpty();
      assertThat(h.store.listMultipartUploads("channels/")).hasSize(1); // outside media/: not ours to judge

      JsonNode cleanup = Harness.JSON.readTree(h.cli("status", "--json").out()).path("last_runs").path("cleanup");
      assertThat(cleanup.path("status").asText()).isEqualTo("OK");
      assertThat(cleanup.path("message").asText()).isEqualTo("aborted 1 of 1 pending multipart upload(s)");
      assertThat(h.cli("status").out()).contains("cleanup", "aborted 1 of 1");

      Harness.Run bad = h.cli("cleanup", "--older-than", "1h");
      Harness.assertExit(bad, 2);
      assertThat(bad.err()).contains("--older-than '1h' is not an ISO-8601 duration");
    }
  }

  @Test
  void theScheduledCleanupJobRecordsItsRunForStatus() throws Exception {
    try (Harness h = Harness.cloud(dir, -1001L)) {
      h.store.createMultipartUpload("media/AgADyoung.bin", null, Map.of());
      try (Application app = Application.start(ConfigLoader.fromSystem().load(h.config))) {
        Schedules schedules = Schedules.builder().cleanup("* * * * * ?", app.janitor()).start();
        try {
          await().atMost(Duration.ofSeconds(20)).until(() -> app.catalog().lastRuns().stream()
              .anyMatch(r -> r.job().equals("cleanup") && r.finishedAt() != null));
        } finally {
          schedules.close();
        }
        JobRun run = app.catalog().lastRuns().stream().filter(r -> r.job().equals("cleanup")).findFirst()
            .orElseThrow();
        assertThat(run.status()).isEqualTo("OK");
        assertThat(run.message()).isEqualTo("aborted 0 of 1 pending multipart upload(s)"); // an hour's grace
      }
      assertThat(h.store.listMultipartUploads("media/")).hasSize(1);
    }
  }
}
