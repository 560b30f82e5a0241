package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.RecordedRequest;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new server takes a bucket over: reindex, then sync uploads nothing that is already stored. */
class ReindexIT {
  @TempDir
  Path tmp;

  @Test
  void reindexOnAFreshDataDirLetsSyncContinueWithoutUploadingAgain() throws Exception {
    TestLogs.quiet();
    try (Drill drill = Drill.start(tmp); ObjectStore store = drill.store()) {
      drill.publishEverything();
      assertThat(drill.backup().problems()).isEmpty();
      Map<String, Instant> before = objects(store);
      drill.loseServer();

      Drill.Result r = drill.cli("reindex");
      assertThat(r.exitCode()).as(r.out()).isZero();
      assertThat(r.out()).contains("read 17 manifest(s): 17 post version(s) added to the catalog, 0 already there");
      JsonNode channel = Drill.json(drill.cli("status", "--json").out()).path("channels").get(0);
      assertThat(channel.path("chat_id").asLong()).isEqualTo(Drill.SOURCE);
      assertThat(channel.path("title").asText()).isEqualTo("Harbour Diaries");
      assertThat(channel.path("posts").asInt()).isEqualTo(14);
      assertThat(channel.path("versions").asInt()).isEqualTo(17);
      assertThat(channel.path("media").path("stored").asInt()).isEqualTo(14);
      assertThat(channel.path("media").path("pending").asInt()).isZero();

      Drill.Result again = drill.cli("reindex");
      assertThat(again.out()).as("idempotent").contains("0 post version(s) added to the catalog, 17 already there");

      // the channel goes on: one new post, then the new server's first sync
      PublishedPost fresh = drill.source.post().photo(FileContent.jpeg(900, 640, 480)).caption("after the move")
          .publish();
      Instant lastWrite = before.values().stream().max(Instant::compareTo).orElseThrow();
      // last-modified has whole seconds: let one pass so a rewrite would show a later time
      while (!Instant.now().isAfter(lastWrite.plusSeconds(1))) {
        Thread.sleep(50);
      }
      Instant syncStart = Instant.now();
      Drill.Result sync = drill.cli("sync");
      assertThat(sync.exitCode()).as(sync.out()).isZero();
      assertThat(sync.out()).contains("stored 1 media file(s)");

      Set<String> downloaded = drill.api.requests().stream()
          .filter(q -> q.method().equals("getfile") && !q.at().isBefore(syncStart))
          .map(RecordedRequest::params).map(p -> p.path("file_id").asText()).collect(Collectors.toSet());
      String freshFileId = fresh.message().path("photo").get(fresh.message().path("photo").size() - 1)
          .path("file_id").asText();
      assertThat(downloaded).as("only the new post's file is fetched").containsExactly(freshFileId);

      Map<String, Instant> after = objects(store);
      before.forEach((key, modified) -> assertThat(after.get(key)).as("%s is not written again", key)
          .isEqualTo(modified));
      assertThat(after.size()).as("one new media object, one new manifest").isEqualTo(before.size() + 2);
    }
  }

  /** Every media object and manifest with its last-modified time. */
  private static Map<String, Instant> objects(ObjectStore store) {
    Map<String, Instant> out = new HashMap<>();
    for (ObjectInfo o : store.list(store.prefix())) {
      if (!o.key().endsWith("index.json")) {
        out.put(o.key(), o.lastModified());
      }
    }
    return out;
  }
}
