package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.channelmirror.fakebot.SentMessage;
import org.channelmirror.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest deleted from the bucket after it was written. Found by an independent acceptance sweep
 * (moto_server, a bucket with a prefix and two channels): the readers list {@code posts/} and never
 * look at the channel index, so a text post whose manifests were gone vanished without a word:
 * {@code verify} said "OK" with exit status 0, and {@code restore} and {@code export} left the post
 * out and exited 0, and so did {@code reindex}. The index still names the manifests, so each is now
 * a {@code bad_manifest} for verify, and listed by restore, export and reindex.
 */
class LostManifestIT {
  @TempDir
  Path tmp;

  @Test
  void aManifestTheIndexListsButTheBucketLostIsReportedByVerifyRestoreAndExport() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      // message 1 is a text post (no media to miss) with one edit: both of its manifests are lost
      List<String> lost = new BucketReader(store).manifestKeys(Drill.SOURCE).stream()
          .filter(k -> k.messageId() == 1).map(BucketReader.ManifestKey::key).toList();
      assertThat(lost).hasSize(2);
      lost.forEach(store::delete);

      Drill.Result v = drill.cli("verify");
      assertThat(v.exitCode()).as(v.out()).isEqualTo(1);
      assertThat(v.out()).contains("bad_manifest").contains(lost).contains("missing from the bucket");
      Drill.Result json = drill.cli("verify", "--json");
      assertThat(Drill.json(json.out()).path("counts").path("bad_manifest").asInt()).isEqualTo(2);

      long target = drill.target(-1002000000301L);
      Drill.Result r = drill.cli("restore", "--to", Long.toString(target), "--rate", "1000");
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).doesNotContain("STOPPED").contains("message 1: NOT SENT").contains(lost.get(1));
      List<SentMessage> sent = drill.api.sent(target);
      assertThat(sent).isNotEmpty();
      assertThat(sent.get(0).kind()).as("the restore goes on with the next post").isEqualTo("photo");

      Path out = tmp.resolve("export");
      Drill.Result e = drill.cli("export", "--to", out.toString());
      assertThat(e.exitCode()).as(e.out()).isEqualTo(1);
      assertThat(e.out()).contains(lost.get(1));
      assertThat(Files.readString(out.resolve("index.html"))).contains("id=\"m2\"").doesNotContain("id=\"m1\"");

      // reindex, before the next backup rewrites the index without them
      Drill.Result x = drill.cli("reindex");
      assertThat(x.exitCode()).as(x.out()).isEqualTo(1);
      assertThat(x.out()).contains(lost);
    }
  }
}
