package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.catalog.LiveProgress;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.catalog.Problem;
import org.junit.jupiter.api.Test;

class StatusReportTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  @Test
  void aRunningBackupShowsItsCountsAndFilesInFlight() throws Exception {
    JobRun run = new JobRun(7, "backup", NOW.minusSeconds(60), null, "RUNNING", 3, 1, 44_040_192L, null,
        NOW.minusSeconds(1));
    LiveProgress.Transfer t = new LiveProgress.Transfer(-100123, 42, "AgADbig", MediaKind.VIDEO, 432_013_312L,
        1_073_741_824L, 199_753_728, NOW.minusSeconds(3), NOW.minusSeconds(1));
    StatusReport r = new StatusReport(List.of(), List.of(run), List.of(t), List.of(), 0, List.of(), 0, NOW);

    assertThat(r.toText()).contains("RUNNING  so far 3 stored, 1 not stored, 42.0 MiB (reported 1 s ago)")
        .contains("transferring now:")
        .contains("-100123/42 video AgADbig: 412.0 MiB of 1.0 GiB (40%) at 190.5 MiB/s");
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    JsonNode moving = json.path("transfers").get(0);
    assertThat(moving.path("bytes_done").asLong()).isEqualTo(432_013_312L);
    assertThat(moving.path("total_bytes").asLong()).isEqualTo(1_073_741_824L);
    assertThat(moving.path("bytes_per_second").asLong()).isEqualTo(199_753_728L);
    assertThat(json.path("last_runs").path("backup").path("updated_at").asText()).isEqualTo("2026-11-25T11:59:59Z");
  }

  @Test
  void aRunThatStoppedReportingIsCalledOut() {
    JobRun run = new JobRun(7, "backup", NOW.minusSeconds(900), null, "RUNNING", 0, 0, 0, null,
        NOW.minusSeconds(300));
    String text = new StatusReport(List.of(), List.of(run), List.of(), List.of(), 0, List.of(), 0, NOW).toText();
    assertThat(text).contains("no report for 5 min: its process has probably stopped");
  }

  @Test
  void aRunningVerifyIsNotDescribedAsABackup() {
    JobRun fresh = new JobRun(8, "verify", NOW.minusSeconds(30), null, "RUNNING", 0, 0, 0, null, NOW.minusSeconds(1));
    JobRun silent = new JobRun(9, "verify", NOW.minusSeconds(900), null, "RUNNING", 0, 0, 0, null,
        NOW.minusSeconds(300));
    String text = new StatusReport(List.of(), List.of(fresh), List.of(), List.of(), 0, List.of(), 0, NOW).toText();
    assertThat(text).contains("verify", "RUNNING  checking the bucket (reported 1 s ago)").doesNotContain("stored");
    String dead = new StatusReport(List.of(), List.of(silent), List.of(), List.of(), 0, List.of(), 0, NOW).toText();
    assertThat(dead).contains("no report for 5 min: its process has probably stopped")
        .doesNotContain("stored", "retries its files");
  }

  @Test
  void aFailedItemShowsWhenItIsTriedAgain() throws Exception {
    Problem p = new Problem(-100123, 5, "AgADx", MediaKind.DOCUMENT, BlobState.FAILED, "HTTP 502",
        NOW.plusSeconds(90));
    StatusReport r = new StatusReport(List.of(), List.of(), List.of(), List.of(p), 1, List.of(), 0, NOW);
    assertThat(r.toText()).contains("-100123/5 document failed: HTTP 502 (next attempt " + NOW.plusSeconds(90) + ")");
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.path("problems").get(0).path("next_attempt_at").asText()).isEqualTo(NOW.plusSeconds(90).toString());
  }

  @Test
  void aPageOfProblemsSaysHowManyMoreThereAre() throws Exception {
    Problem p = new Problem(-100123, 5, "AgADx", MediaKind.DOCUMENT, BlobState.FAILED, "gone");
    StatusReport r = new StatusReport(List.of(), List.of(), List.of(), List.of(p), 1_204, List.of(), 0, NOW);
    assertThat(r.toText()).contains("-100123/5 document failed: gone").contains("... and 1203 more");
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.path("problems")).hasSize(1);
    assertThat(json.path("problems_total").asLong()).isEqualTo(1_204);
  }
}
