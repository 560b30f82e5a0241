package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.channelmirror.catalog.RecentVersion;
import org.junit.jupiter.api.Test;

class RecentPostsTest {
  private static JsonNode one(String rawJson, long editDate, String manifest) throws Exception {
    RecentVersion v = new RecentVersion(-100123, 42, editDate, 1_700_000_000L, null, rawJson,
        Instant.parse("2026-11-26T04:00:00Z"), 2, 1, manifest);
    JsonNode n = new ObjectMapper().readTree(RecentPosts.json(List.of(v)));
    assertThat(n).hasSize(1);
    return n.get(0);
  }

  @Test
  void aPostShowsWhatItSaysItsKindsAndItsBackup() throws Exception {
    JsonNode n = one("{\"caption\":\"  Sunset\\n\\n at  the pier \",\"photo\":[{}]}", 0, "channels/x.json");
    assertThat(n.path("excerpt").asText()).isEqualTo("Sunset at the pier");
    assertThat(n.path("kinds").toString()).isEqualTo("[\"photo\"]");
    assertThat(n.path("media").asInt()).isEqualTo(2);
    assertThat(n.path("media_stored").asInt()).isEqualTo(1);
    assertThat(n.path("manifest_key").asText()).isEqualTo("channels/x.json");
    // every documented field, edit_date too: 0 for the original post, as in manifests and index.json
    assertThat(n.has("edit_date")).isTrue();
    assertThat(n.path("edit_date").asLong()).isZero();
    assertThat(n.path("received_at").asText()).isEqualTo("2026-11-26T04:00:00Z");
  }

  @Test
  void anAnimationIsNotAlsoADocumentAndAnEditSaysSo() throws Exception {
    JsonNode n = one("{\"animation\":{},\"document\":{}}", 1_700_000_100L, null);
    assertThat(n.path("kinds").toString()).isEqualTo("[\"animation\"]");
    assertThat(n.path("excerpt").asText()).isEmpty();
    assertThat(n.path("edit_date").asLong()).isEqualTo(1_700_000_100L);
    assertThat(n.path("manifest_key").isNull()).isTrue();
    assertThat(n.has("source")).as("a live post").isFalse();
  }

  @Test
  void aLivePhotoAndPaidMediaAreNamed() throws Exception {
    assertThat(one("{\"photo\":[{}],\"live_photo\":{}}", 0, null).path("kinds").toString())
        .isEqualTo("[\"photo\",\"live_photo\"]");
    assertThat(one("{\"paid_media\":{\"star_count\":5,\"paid_media\":[]}}", 0, null).path("kinds").toString())
        .isEqualTo("[\"paid_media\"]");
  }

  @Test
  void aBackfilledPostSaysSo() throws Exception {
    JsonNode n = one("{\"text\":\"old\",\"channel_mirror_source\":\"backfill\"}", 0, null);
    assertThat(n.path("source").asText()).isEqualTo("backfill");
  }

  @Test
  void longTextIsCutOnACodePointBoundary() {
    String text = "🌅".repeat(RecentPosts.EXCERPT + 5);
    String cut = RecentPosts.excerpt(text);
    assertThat(cut).isEqualTo("🌅".repeat(RecentPosts.EXCERPT) + "…");
    assertThat(RecentPosts.excerpt("short")).isEqualTo("short");
  }
}
