package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.channelmirror.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manifests that are valid JSON in the right format but hold what no backup writes: a stored item
 * with an empty object key, an item without a kind, {@code media} that is not a list, a size that is
 * not a number. Found by a black-box sweep (moto): the empty key stopped {@code verify} as a whole
 * with exit status 3 ("storage error: ... Key cannot be empty"), and the item without a kind stopped
 * {@code export} as a whole with exit status 3 and a NullPointerException's text, writing no
 * {@code index.html}. Each is now a bad manifest, costing its post only, as the README promises.
 */
class HostileManifestIT {
  @TempDir
  Path tmp;

  @Test
  void manifestsNoBackupWritesAreBadManifestsAndTheRestGoesOn() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      drill.loseServer();

      BucketReader bucket = new BucketReader(store);
      List<String> damaged = new ArrayList<>();
      // messages 3 (video), 4 (animation), 5 (document: 2 versions, the latest damaged), 6 (audio)
      damaged.add(rewrite(store, bucket, 3, m -> media(m).put("object_key", "")));
      damaged.add(rewrite(store, bucket, 4, m -> media(m).remove("kind")));
      damaged.add(rewrite(store, bucket, 5, m -> m.putObject("media").put("kind", "document")));
      damaged.add(rewrite(store, bucket, 6, m -> media(m).put("size", "abc")));

      Drill.Result v = drill.cli("verify", "--json");
      assertThat(v.exitCode()).as(v.out()).isEqualTo(1);
      JsonNode report = Drill.json(v.out());
      List<String> bad = new ArrayList<>();
      report.path("problems").forEach(p -> {
        if (p.path("type").asText().equals("bad_manifest")) {
          bad.add(p.path("key").asText());
        }
      });
      assertThat(bad).as(v.out()).containsExactlyInAnyOrderElementsOf(damaged);
      assertThat(v.out()).contains("object_key is empty", "has no kind", "media is not a list",
          "has size \\\"abc\\\", not a number of bytes");

      Path out = tmp.resolve("export");
      Drill.Result e = drill.cli("export", "--to", out.toString());
      assertThat(e.exitCode()).as(e.out()).isEqualTo(1);
      assertThat(e.out()).contains(damaged.toArray(String[]::new));
      String html = Files.readString(out.resolve("index.html"));
      assertThat(html).contains("id=\"m2\"", "id=\"m5\"", "id=\"m14\"").doesNotContain("id=\"m3\"", "id=\"m4\"",
          "id=\"m6\"");

      Drill.Result r = drill.cli("reindex");
      assertThat(r.exitCode()).as(r.out()).isEqualTo(1);
      assertThat(r.out()).contains(damaged.toArray(String[]::new));
    }
  }

  private static ObjectNode media(ObjectNode manifest) {
    return (ObjectNode) manifest.get("media").get(0);
  }

  /** Rewrites the latest manifest of {@code messageId}; returns its key. */
  private static String rewrite(ObjectStore store, BucketReader bucket, long messageId, Consumer<ObjectNode> change)
      throws Exception {
    List<BucketReader.ManifestKey> keys = bucket.manifestKeys(Drill.SOURCE).stream()
        .filter(k -> k.messageId() == messageId).toList();
    String key = keys.get(keys.size() - 1).key();
    ObjectNode manifest = (ObjectNode) BucketReader.JSON.readTree(store.getBytes(key));
    assertThat(manifest.get("media")).isInstanceOf(ArrayNode.class);
    change.accept(manifest);
    store.putBytes(key, BucketReader.JSON.writeValueAsBytes(manifest), "application/json", Map.of());
    return key;
  }
}
