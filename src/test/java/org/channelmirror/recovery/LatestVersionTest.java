package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class LatestVersionTest {
  private static PostManifest manifest(String writtenAt, String album, boolean backfilled) throws Exception {
    String message = "{\"message_id\":10" + (album == null ? "" : ",\"media_group_id\":\"" + album + "\"")
        + (backfilled ? ",\"channel_mirror_source\":\"backfill\"" : "") + "}";
    return BucketReader.parse("k", new ObjectMapper().readTree("{\"format\":\"channel-mirror/manifest/v1\","
        + "\"chat_id\":-100,\"message_id\":10,\"edit_date\":0,\"written_at\":\"" + writtenAt + "\","
        + (album == null ? "" : "\"media_group_id\":\"" + album + "\",") + "\"message\":" + message + "}"));
  }

  @Test
  void aLiveVersionWinsOverABackfilledOneOfTheSameEditDateWhicheverWasWrittenLast() throws Exception {
    PostManifest live = manifest("2026-11-26T04:00:00Z", "album-1", false);
    PostManifest backfilled = manifest("2026-11-26T05:00:00Z", null, true);
    assertThat(backfilled.backfilled()).isTrue();
    assertThat(live.backfilled()).isFalse();
    assertThat(BucketReader.preferred(backfilled, live)).isFalse();
    assertThat(BucketReader.preferred(live, backfilled)).isTrue();
  }

  @Test
  void otherwiseTheOneWrittenLastWins() throws Exception {
    PostManifest early = manifest("2026-11-26T04:00:00Z", null, false);
    PostManifest late = manifest("2026-11-26T05:00:00Z", null, false);
    assertThat(BucketReader.preferred(late, early)).isTrue();
    assertThat(BucketReader.preferred(early, late)).isFalse();
  }
}
