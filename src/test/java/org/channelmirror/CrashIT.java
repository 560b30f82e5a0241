package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PostBuilder;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.storage.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety with real process kills: the daemon is SIGKILLed at random moments while posts
 * keep arriving, then restarted, many times. At the end every post and file is in the bucket,
 * exactly once, and nothing half-done is left behind.
 */
class CrashIT {
  static final int POSTS = 300;
  static final int KILLS = 20;

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killedTwentyTimesWhileWorkingLosesNothingAndDuplicatesNothing() throws Exception {
    Random random = new Random(20261125);
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Files.writeString(h.config, Files.readString(h.config).replace("0 0 0 1 1 ? 2099", "* * * * * ?"));
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "Crash test", null);
      Map<String, String> expected = new ConcurrentHashMap<>();
      AtomicInteger published = new AtomicInteger();
      Thread publisher = new Thread(() -> {
        Random r = new Random(7);
        FileRef previous = null;
        for (int i = 0; i < POSTS; i++) {
          PostBuilder b = ch.post();
          int kind = r.nextInt(10);
          if (kind == 0) {
            b.text("text post " + i);
          } else if (kind <= 3) {
            b.photo(FileContent.jpeg(i, 320 + r.nextInt(600), 240 + r.nextInt(400))).caption("photo " + i);
          } else if (kind == 4 && previous != null) {
            b.document(previous, "again.bin", "application/octet-stream"); // same file again
          } else if (kind == 5 && i % 25 == 5) {
            b.document(FileContent.random(10_000 + i, 6_000_000 + r.nextInt(9_000_000)), "big" + i + ".bin",
                "application/octet-stream"); // multipart-sized
          } else if (kind == 6) {
            b.video(FileContent.random(10_000 + i, 100_000 + r.nextInt(900_000)), "v" + i + ".mp4", "video/mp4", 640, 360, 5);
          } else {
            b.document(FileContent.random(10_000 + i, 1_000 + r.nextInt(400_000)), "d" + i + ".pdf", "application/pdf");
          }
          PublishedPost p = b.publish();
          FileRef f = EndToEndIT.fileOf(p);
          if (f != null) {
            expected.put(f.fileUniqueId(), f.content().sha256Hex());
            if (f.kindDir().equals("documents")) {
              previous = f;
            }
          }
          published.incrementAndGet();
          try {
            Thread.sleep(r.nextInt(30));
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "publisher");
      publisher.start();

      for (int k = 0; k < KILLS; k++) {
        try (ChildProcess daemon = ChildProcess.start(dir.resolve("run-" + k + ".log"), List.of("-Xmx256m"),
            "--config", h.config.toString(), "run")) {
          Thread.sleep(700 + random.nextInt(3500));
          daemon.kill();
        }
      }
      publisher.join();
      assertThat(published.get()).isEqualTo(POSTS);

      // a last clean start catches up, then the invariants must hold
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run-final.log"), List.of(), "--config", h.config.toString(), "run")) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
            .until(() -> h.objects("media/").size() >= expected.size()
                && h.objects("channels/" + EndToEndIT.CHANNEL + "/posts/").size() >= POSTS);
        assertThat(daemon.terminate(30)).isNotEqualTo(-1);
      }
      Harness.Run sync = h.cli("sync");
      assertExit(sync, 0);

      // every media item byte-identical, each exactly once
      List<ObjectInfo> media = h.objects("media/");
      assertThat(media).hasSize(expected.size());
      Map<String, String> byUnique = new HashMap<>();
      for (JsonNode m : h.manifests(EndToEndIT.CHANNEL)) {
        m.path("media").forEach(i -> byUnique.put(i.path("file_unique_id").asText(), i.path("object_key").asText()));
      }
      Set<String> keys = new HashSet<>();
      for (Map.Entry<String, String> e : expected.entrySet()) {
        String key = byUnique.get(e.getKey());
        assertThat(key).as("manifest entry for %s", e.getKey()).isNotNull();
        assertThat(h.sha256(key)).as(key).isEqualTo(e.getValue());
        keys.add(key);
      }
      assertThat(media).extracting(ObjectInfo::key).containsExactlyInAnyOrderElementsOf(keys);
      // every post has its manifest, and each parses (manifests() parsed them all)
      assertThat(h.manifests(EndToEndIT.CHANNEL)).hasSize(POSTS);
      // nothing half-done
      assertThat(h.store.listMultipartUploads("")).isEmpty();
      // the catalog agrees with the bucket
      JsonNode status = Harness.JSON.readTree(h.cli("status", "--json").out());
      JsonNode c = status.path("channels").get(0);
      assertThat(c.path("posts").asInt()).isEqualTo(POSTS);
      assertThat(c.path("media").path("stored").asInt()).isEqualTo(expected.size());
      assertThat(c.path("media").path("pending").asInt() + c.path("media").path("failed").asInt()).isZero();
      assertThat(c.path("bytes_stored").asLong()).isEqualTo(media.stream().mapToLong(ObjectInfo::size).sum());
    }
  }
}
