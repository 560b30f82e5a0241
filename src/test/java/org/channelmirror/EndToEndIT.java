package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.IntakeBatch;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.MessageEntityJson;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.fakebot.RecordedRequest;
import org.channelmirror.storage.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The core capability, end to end: a channel's posts reach the bucket through `sync`. */
class EndToEndIT {
  static final long CHANNEL = -1001234567890L;
  static final long OTHER = -1009999999999L;

  @TempDir
  Path dir;

  /** Publishes the scenario; returns the posts and, per file_unique_id, the expected SHA-256. */
  static Map<String, String> publishChannel(Harness h, List<PublishedPost> posts) {
    Channel ch = h.api.channel(CHANNEL, "Backup test channel", "backup_test");
    Map<String, String> expected = new HashMap<>();
    posts.add(ch.post().text("Hello world, plain text only", MessageEntityJson.of("bold", 0, 5)).publish());
    posts.add(ch.post().photo(FileContent.jpeg(1, 640, 480))
        .caption("🌅 Sunset at the pier #travel", MessageEntityJson.of("bold", 3, 6), MessageEntityJson.of("hashtag", 22, 7))
        .publish());
    posts.add(ch.post().video(FileContent.random(2, 700_000), "clip.mp4", "video/mp4", 1280, 720, 12).publish());
    posts.add(ch.post().animation(FileContent.random(3, 200_000), "loop.mp4", "video/mp4", 320, 240, 3).publish());
    posts.add(ch.post().document(FileContent.random(4, 300_000), "report Q3 ../../etc/passwd.pdf", "application/pdf")
        .caption("the report", MessageEntityJson.of("italic", 4, 6)).publish());
    posts.add(ch.post().audio(FileContent.random(5, 400_000), "song.mp3", "audio/mpeg", "Song", "Band", 180).publish());
    posts.add(ch.post().voice(FileContent.random(6, 50_000), "audio/ogg", 7).publish());
    posts.add(ch.post().videoNote(FileContent.random(7, 150_000), 240, 5).publish());
    posts.add(ch.post().sticker(FileContent.random(8, 20_000), "😀", false, false).publish());
    posts.add(ch.post().mediaGroup("album-1").photo(FileContent.jpeg(9, 800, 600))
        .caption("Album of three", MessageEntityJson.of("underline", 0, 5)).publish());
    posts.add(ch.post().mediaGroup("album-1").video(FileContent.random(10, 250_000), "a.mp4", "video/mp4", 640, 360, 4).publish());
    posts.add(ch.post().mediaGroup("album-1").photo(FileContent.jpeg(11, 600, 800)).publish());
    PublishedPost original = ch.post().photo(FileContent.jpeg(12, 400, 300)).caption("before the edit").publish();
    posts.add(original);
    posts.add(ch.edit(original.messageId()).photo(FileContent.jpeg(13, 500, 300)).caption("after the edit").publish());
    FileRef doc = fileOf(posts.get(4));
    posts.add(ch.post().document(doc, "report-again.pdf", "application/pdf").caption("same file again").publish());
    posts.add(ch.post().document(FileContent.random(14, 30L * 1024 * 1024), "big.zip", "application/zip").publish());
    h.api.group(OTHER, "Not mirrored").post().photo(FileContent.jpeg(15, 100, 100)).caption("private stuff").publish();
    for (PublishedPost p : posts) {
      FileRef f = fileOf(p);
      if (f != null) {
        expected.put(f.fileUniqueId(), f.content().sha256Hex());
      }
    }
    return expected;
  }

  /** The file backed up for a post: the largest photo size is listed last. */
  static FileRef fileOf(PublishedPost p) {
    return p.files().isEmpty() ? null : p.files().get(p.files().size() - 1);
  }

  @Test
  void syncBacksUpEveryKindOnceAndReportsTheTooBigFile() throws Exception {
    try (Harness h = Harness.cloud(dir, CHANNEL)) {
      List<PublishedPost> posts = new ArrayList<>();
      Map<String, String> expected = publishChannel(h, posts);
      String bigId = fileOf(posts.get(posts.size() - 1)).fileUniqueId();

      Harness.Run first = h.cli("sync");
      assertExit(first, 1);
      assertThat(first.out()).contains("too big").contains("self-hosted telegram-bot-api").contains(bigId);

      // every media item byte-identical, under a key made from its file_unique_id
      List<JsonNode> manifests = h.manifests(CHANNEL);
      Map<String, JsonNode> mediaByUnique = new HashMap<>();
      for (JsonNode m : manifests) {
        m.path("media").forEach(item -> mediaByUnique.put(item.path("file_unique_id").asText(), item));
      }
      for (Map.Entry<String, String> e : expected.entrySet()) {
        JsonNode item = mediaByUnique.get(e.getKey());
        assertThat(item).as("manifest entry for %s", e.getKey()).isNotNull();
        if (e.getKey().equals(bigId)) {
          assertThat(item.path("state").asText()).isEqualTo("too_big");
          assertThat(item.path("reason").asText()).contains("localMode");
          continue;
        }
        assertThat(item.path("state").asText()).isEqualTo("stored");
        String key = item.path("object_key").asText();
        assertThat(key).startsWith("media/" + e.getKey());
        assertThat(h.sha256(key)).isEqualTo(e.getValue()).isEqualTo(item.path("sha256").asText());
        ObjectInfo head = h.store.head(key).orElseThrow();
        assertThat(head.userMetadata()).containsEntry("sha256", e.getValue())
            .containsEntry("file-unique-id", e.getKey()).containsKey("chat-id").containsKey("message-id");
        assertThat(head.contentType()).isNotBlank();
      }
      // one manifest per post version: 16 posts + 1 edit
      assertThat(manifests).hasSize(posts.size());
      // exactly one object per distinct file (the repost is deduplicated), plus nothing else under media/
      assertThat(h.objects("media/")).hasSize(expected.size() - 1);

      // captions with entities, text posts, albums
      JsonNode text = manifestOf(manifests, posts.get(0).messageId(), 0);
      assertThat(text.path("text").asText()).isEqualTo("Hello world, plain text only");
      assertThat(text.path("media")).isEmpty();
      JsonNode photo = manifestOf(manifests, posts.get(1).messageId(), 0);
      assertThat(photo.path("caption").asText()).isEqualTo("🌅 Sunset at the pier #travel");
      assertThat(photo.path("caption_entities").toString()).isEqualTo(posts.get(1).message().get("caption_entities").toString());
      assertThat(photo.path("message").toString()).isEqualTo(posts.get(1).message().toString());
      for (int i = 9; i <= 11; i++) {
        assertThat(manifestOf(manifests, posts.get(i).messageId(), 0).path("media_group_id").asText()).isEqualTo("album-1");
      }
      JsonNode doc = manifestOf(manifests, posts.get(4).messageId(), 0).path("media").get(0);
      assertThat(doc.path("file_name").asText()).isEqualTo("report Q3 ../../etc/passwd.pdf");
      assertThat(doc.path("object_key").asText()).doesNotContain("..").doesNotContain("passwd");

      // the edit replaced the photo: both versions and both photos are kept
      int edited = posts.get(12).messageId();
      JsonNode before = manifestOf(manifests, edited, 0);
      JsonNode after = manifests.stream().filter(m -> m.path("message_id").asInt() == edited
          && m.path("edit_date").asLong() > 0).findFirst().orElseThrow();
      assertThat(before.path("caption").asText()).isEqualTo("before the edit");
      assertThat(after.path("caption").asText()).isEqualTo("after the edit");
      assertThat(before.path("media").get(0).path("object_key").asText())
          .isNotEqualTo(after.path("media").get(0).path("object_key").asText());

      // nothing from the other chat, and the bot left it
      assertThat(h.objects("channels/" + OTHER + "/")).isEmpty();
      assertThat(h.api.botLeft(OTHER)).isTrue();

      // channel index lists every version
      JsonNode index = Harness.JSON.readTree(h.store.getBytes("channels/" + CHANNEL + "/index.json"));
      assertThat(index.path("versions")).hasSize(posts.size());

      // getUpdates asked for the channel updates, and the second call confirmed the first batch
      List<RecordedRequest> polls = h.api.requests().stream().filter(r -> r.method().equals("getupdates")).toList();
      assertThat(polls).hasSizeGreaterThanOrEqualTo(2);
      assertThat(polls.get(0).params().path("allowed_updates").toString())
          .contains("channel_post", "edited_channel_post", "my_chat_member");
      assertThat(polls.get(0).params().has("timeout")).isTrue();
      assertThat(polls.get(1).params().path("offset").asLong()).isPositive();

      // a second sync transfers nothing
      long downloads = h.downloads();
      long getFiles = h.calls("getFile");
      Harness.Run second = h.cli("sync");
      assertExit(second, 1);
      assertThat(second.out()).contains("stored 0 media file(s)");
      assertThat(h.downloads()).isEqualTo(downloads);
      assertThat(h.calls("getFile")).isEqualTo(getFiles);

      // status, text and JSON
      Harness.Run status = h.cli("status", "--json");
      assertExit(status, 0);
      JsonNode st = Harness.JSON.readTree(status.out());
      JsonNode ch = st.path("channels").get(0);
      assertThat(ch.path("chat_id").asLong()).isEqualTo(CHANNEL);
      assertThat(ch.path("posts").asInt()).isEqualTo(posts.size() - 1);
      assertThat(ch.path("media").path("stored").asInt()).isEqualTo(expected.size() - 1);
      assertThat(ch.path("media").path("too_big").asInt()).isEqualTo(1);
      assertThat(ch.path("bytes_stored").asLong()).isPositive();
      assertThat(st.path("last_runs").path("backup").path("status").asText()).isEqualTo("PARTIAL");
      Harness.Run text2 = h.cli("status");
      assertThat(text2.out()).contains("too big").contains(String.valueOf(CHANNEL));
      assertThat(first.out() + first.err() + second.out() + second.err() + status.out() + text2.out())
          .doesNotContain(h.api.token());
    }
  }

  /**
   * A live photo (Bot API 10.0) is a short video and its still; only the still was stored, and the
   * manifest called the post complete. Both files must land in the bucket, byte-identical.
   */
  @Test
  void aLivePhotoStoresItsVideoAndItsStill() throws Exception {
    try (Harness h = Harness.cloud(dir, CHANNEL)) {
      PublishedPost live = h.api.channel(CHANNEL, "c", null).post()
          .livePhoto(FileContent.random(41, 90_000), FileContent.jpeg(42, 640, 480), 640, 480, 3)
          .caption("moving").publish();
      assertExit(h.cli("sync"), 0);
      JsonNode manifest = h.manifests(CHANNEL).get(0);
      assertThat(manifest.path("media")).extracting(m -> m.path("kind").asText())
          .containsExactly("photo", "live_photo");
      assertThat(manifest.path("complete").asBoolean()).isTrue();
      FileRef video = live.files().get(live.files().size() - 1);
      JsonNode item = manifest.path("media").get(1);
      assertThat(item.path("file_unique_id").asText()).isEqualTo(video.fileUniqueId());
      assertThat(item.path("mime_type").asText()).isEqualTo("video/mp4");
      assertThat(h.sha256(item.path("object_key").asText())).isEqualTo(video.content().sha256Hex());
      assertThat(h.objects("media/")).hasSize(2);
    }
  }

  @Test
  void replayedUpdatesCreateNothingTwice() throws Exception {
    try (Harness h = Harness.cloud(dir, CHANNEL)) {
      Channel ch = h.api.channel(CHANNEL, "c", null);
      ch.post().document(FileContent.random(40, 10_000), "a.bin", "application/octet-stream").publish();
      assertExit(h.cli("sync"), 0);
      // the same message delivered again (Telegram re-sends unconfirmed updates after a crash)
      ch.edit(1).publish();
      assertExit(h.cli("sync"), 0);
      JsonNode st = Harness.JSON.readTree(h.cli("status", "--json").out());
      assertThat(st.path("channels").get(0).path("media").path("stored").asInt()).isEqualTo(1);
      assertThat(h.objects("media/")).hasSize(1);
    }
  }

  /**
   * Telegram's update ids can restart lower (a random id after a week without updates), and to
   * an offset ahead of its queue it answers with the queue's head, confirming nothing. Intake
   * must follow those ids, or it fetches the same head again forever and never confirms it.
   */
  @Test
  @Timeout(180)
  void intakeFollowsUpdateIdsThatRestartedLower() throws Exception {
    try (Harness h = Harness.cloud(dir, CHANNEL)) {
      assertExit(h.cli("status"), 0); // creates the catalog
      try (Catalog catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("data/catalog"), "", "", 2)) {
        // the offset after the last update of the queue's previous life: above every id the fake hands out now
        catalog.commit(new IntakeBatch(List.of(), List.of(), List.of(), List.of(), h.api.botUserId(), 1_999_999_999L));
      }
      Channel ch = h.api.channel(CHANNEL, "c", null);
      for (int i = 0; i < 3; i++) {
        ch.post().document(FileContent.random(50 + i, 10_000), "f" + i + ".bin", "application/octet-stream").publish();
      }
      assertExit(h.cli("sync"), 0);
      assertThat(h.manifests(CHANNEL)).hasSize(3);
      assertThat(h.objects("media/")).hasSize(3);
      ch.post().text("after the restart").publish();
      assertExit(h.cli("sync"), 0);
      assertThat(h.manifests(CHANNEL)).hasSize(4);
      assertThat(h.api.pendingUpdates()).as("every update confirmed to the queue").isZero();
    }
  }

  static JsonNode manifestOf(List<JsonNode> manifests, int messageId, long editDate) {
    return manifests.stream()
        .filter(m -> m.path("message_id").asInt() == messageId && m.path("edit_date").asLong() == editDate)
        .findFirst().orElseThrow(() -> new AssertionError("no manifest for message " + messageId));
  }
}
