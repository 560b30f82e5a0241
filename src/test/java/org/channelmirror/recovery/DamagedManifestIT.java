package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.channelmirror.fakebot.SentMessage;
import org.channelmirror.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore and export from a bucket where two manifests are damaged: the latest edit of one post, and
 * the only version of another. Found by an independent acceptance sweep (S3Mock): one unreadable
 * manifest made {@code restore} and {@code export} stop before doing anything, with exit status 3
 * ("storage unreachable"), so nothing at all could be restored or looked at while {@code verify} had
 * already listed the damage as one bad manifest.
 */
class DamagedManifestIT {
  @TempDir
  Path tmp;

  @Test
  void aDamagedManifestCostsItsPostNotTheWholeRestoreOrExport() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      BucketReader bucket = new BucketReader(store);
      // message 1 was edited: its latest version is damaged, the original stays readable
      List<BucketReader.ManifestKey> first = bucket.manifestKeys(Drill.SOURCE).stream()
          .filter(k -> k.messageId() == 1).toList();
      assertThat(first).hasSize(2);
      String editedKey = first.stream().filter(k -> k.editDate() > 0).findFirst().orElseThrow().key();
      // message 3 (the video) has one version only
      String videoKey = bucket.manifestKeys(Drill.SOURCE).stream().filter(k -> k.messageId() == 3)
          .findFirst().orElseThrow().key();
      for (String key : List.of(editedKey, videoKey)) {
        store.putBytes(key, "{\"format\":\"channel-mirror/manif".getBytes(StandardCharsets.UTF_8), "application/json",
            Map.of());
      }

      long target = drill.target(-1002000000201L);
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).doesNotContain("STOPPED").contains(editedKey, videoKey);
      List<SentMessage> sent = drill.api.sent(target);
      String original = drill.published.get(0).message().path("text").asText();
      assertThat(sent.get(0).text()).as("the post whose edit is damaged goes out as it was first").isEqualTo(original);
      assertThat(sent).extracting(SentMessage::caption).doesNotContain("Pier timelapse");
      List<Drill.Expected> expected = drill.expected();
      Drill.Expected last = expected.get(expected.size() - 1);
      assertThat(sent.get(sent.size() - 1).caption()).as("the posts after the damaged ones were restored too")
          .isEqualTo(last.text());

      Path out = tmp.resolve("export");
      Drill.Result e = drill.cli("export", "--to", out.toString());
      assertThat(e.exitCode()).as(e.out()).isEqualTo(1);
      assertThat(e.out()).contains(editedKey, videoKey);
      String html = Files.readString(out.resolve("index.html"));
      assertThat(html).contains("id=\"m2\"", "id=\"m14\"").doesNotContain("id=\"m3\"");
      assertThat(Files.readString(out.resolve("result.json"))).contains("Welcome! ").doesNotContain("Welcome (edited)");
    }
  }
}
