package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FileContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only configured channels are mirrored; membership changes are visible to the owner. */
class AccessControlIT {
  @TempDir
  Path dir;

  @Test
  void foreignChatsAreLeftAndRemovalFromTheChannelIsAWarning() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel mine = h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine");
      Channel stranger = h.api.channel(-1005555555555L, "Someone else's", null);
      stranger.setBotStatus("administrator");
      stranger.post().document(FileContent.random(1, 1000), "theirs.bin", "application/octet-stream").publish();
      h.api.group(-4444444L, "a group").post().text("hello bot").publish();
      mine.post().text("ours").publish();
      mine.setBotStatus("left");
      assertExit(h.cli("sync"), 0);
      assertThat(h.api.botLeft(-1005555555555L)).isTrue();
      assertThat(h.api.botLeft(-4444444L)).isTrue();
      assertThat(h.api.requests()).filteredOn(r -> r.method().equals("leavechat"))
          .extracting(r -> r.params().path("chat_id").asLong())
          .containsExactlyInAnyOrder(-1005555555555L, -4444444L);
      assertThat(h.objects("channels/-1005555555555/")).isEmpty();
      assertThat(h.objects("media/")).isEmpty();
      JsonNode status = Harness.JSON.readTree(h.cli("status", "--json").out());
      JsonNode ch = status.path("channels").get(0);
      assertThat(ch.path("chat_id").asLong()).isEqualTo(EndToEndIT.CHANNEL);
      assertThat(ch.path("bot_status").asText()).isEqualTo("left");
      assertThat(status.path("warnings").toString()).contains("'left' in channel " + EndToEndIT.CHANNEL);
      assertThat(h.cli("status").out()).contains("bot: left").contains("administrator again");

      // made an administrator again: the warning that it is 'left' is over
      mine.setBotStatus("administrator");
      assertExit(h.cli("sync"), 0);
      status = Harness.JSON.readTree(h.cli("status", "--json").out());
      assertThat(status.path("channels").get(0).path("bot_status").asText()).isEqualTo("administrator");
      assertThat(status.path("warnings").toString()).doesNotContain("'left' in channel");
    }
  }

  @Test
  void theOwnersChannelListedWithoutItsMinus100IsNotLeftButNamedInStatus() throws Exception {
    // found by the core sweep: with 1234567890 (or -1234567890) configured, the first post of the
    // channel -1001234567890 counted as a foreign chat, and the bot left the channel it was to back up
    for (long listed : new long[] {1234567890L, -1234567890L}) {
      try (Harness h = Harness.cloud(dir.resolve("c" + listed), listed)) {
        Channel mine = h.api.channel(-1001234567890L, "Mine", null);
        mine.post().text("ours").publish();
        h.cli("sync");
        assertThat(h.api.botLeft(-1001234567890L)).as("left its own channel (listed as %d)", listed).isFalse();
        mine.post().text("ours again").publish();
        h.cli("sync"); // a second process: the warning is not repeated
        String status = h.cli("status").out();
        assertThat(status).contains("-1001234567890", "channel ids start with -100");
        assertThat(status.split("channel ids start with -100", -1)).as(status).hasSize(2);
      }
    }
  }

  @Test
  void aForeignChatIsLeftAtItsNextUpdateWhenTheFirstLeaveChatFailed() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel stranger = h.api.channel(-1005555555555L, "Someone else's", null);
      stranger.setBotStatus("administrator");
      h.api.faults().floodWait("leaveChat", 1, 1);
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), java.util.List.of(), "--config",
          h.config.toString(), "run")) {
        stranger.post().text("one").publish();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
            h.api.requests().stream().anyMatch(r -> r.method().equals("leavechat")));
        Thread.sleep(2000); // past the flood window
        stranger.post().text("two").publish();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
            .until(() -> h.api.botLeft(-1005555555555L));
        org.assertj.core.api.Assertions.assertThat(daemon.alive()).as("the service keeps running").isTrue();
      }
    }
  }

  @Test
  void jumpsInMessageIdsAreReportedAsGaps() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().text("one").publish();
      // the bot is out of the channel for a while: posts 2-4 never reach it
      ch.setBotStatus("left");
      for (int i = 0; i < 3; i++) {
        ch.post().text("missed " + i).publish();
      }
      ch.setBotStatus("administrator");
      ch.post().text("five").publish();
      assertExit(h.cli("sync"), 0);
      assertThat(h.manifests(EndToEndIT.CHANNEL)).hasSize(2);
      JsonNode status = Harness.JSON.readTree(h.cli("status", "--json").out());
      assertThat(status.path("warnings").toString()).contains("messages 2-4 never reached the bot");
    }
  }

  @Test
  void aGapIsReportedWhenTheFirstUpdateAfterItIsAnEdit() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      Channel ch = h.api.channel(EndToEndIT.CHANNEL, "c", null);
      ch.post().text("one").publish();
      // down for days: posts 2 and 3 never reach the bot, but 3 is edited once it is back
      ch.setBotStatus("left");
      ch.post().text("missed").publish();
      ch.post().text("missed, edited later").publish();
      ch.setBotStatus("administrator");
      ch.edit(3).text("edited after the downtime").publish();
      ch.post().text("four").publish();
      assertExit(h.cli("sync"), 0);
      JsonNode status = Harness.JSON.readTree(h.cli("status", "--json").out());
      assertThat(status.path("warnings").toString()).contains("message 2 never reached the bot");
    }
  }

  @Test
  void ownersGetStatusInPrivateAndEveryoneElseIsIgnored() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.editConfig("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 1\n  owners: [5550001111]\n");
      h.api.channel(EndToEndIT.CHANNEL, "Mine", null).post().text("a post").publish();
      h.api.privateChat(5550001111L, "Anna").post().text("/status").publish();
      h.api.privateChat(6660002222L, "Mallory").post().text("/status").publish();
      assertExit(h.cli("sync"), 0);
      assertThat(h.api.sent(6660002222L)).isEmpty();
      assertThat(h.api.sent(5550001111L)).singleElement()
          .satisfies(m -> assertThat(m.text()).contains(String.valueOf(EndToEndIT.CHANNEL)).contains("posts 1"));
      assertThat(h.api.botLeft(5550001111L)).isFalse();
    }
  }

  /**
   * The owner's command is the first word: "/status" or, as Telegram clients send it after picking
   * it from a menu, "/status@botname"; another command that merely starts with the same letters
   * ("/statusreport") is no /status.
   */
  @Test
  void theOwnersCommandIsTheFirstWordWithOrWithoutTheBotsName() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.editConfig("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 1\n  owners: [5550001111]\n");
      h.api.privateChat(5550001111L, "Anna").post().text("/statusreport").publish();
      h.api.privateChat(5550001111L, "Anna").post().text("/status@fake_channel_mirror_bot").publish();
      assertExit(h.cli("sync"), 0);
      assertThat(h.api.sent(5550001111L)).singleElement()
          .satisfies(m -> assertThat(m.text()).contains(String.valueOf(EndToEndIT.CHANNEL)));
    }
  }

  @Test
  void theOwnersStatusReplyNeverCarriesTheToken() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.editConfig("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 1\n  owners: [5550001111]\n");
      var post = h.api.channel(EndToEndIT.CHANNEL, "Mine", null).post()
          .document(FileContent.random(3, 1000), "a.bin", "application/octet-stream").publish();
      assertExit(h.cli("sync"), 0);
      // a reason recorded with the token in it (an older version, or an error text nobody redacted)
      try (org.channelmirror.catalog.Catalog catalog = org.channelmirror.catalog.Catalog.open(
          "jdbc:h2:file:" + dir.resolve("data/catalog"), "", "", 1)) {
        catalog.markFailed(EndToEndIT.fileOf(post).fileUniqueId(),
            "download of http://x/file/bot" + h.api.token() + "/documents/a.bin answered HTTP 500",
            java.time.Instant.now().plusSeconds(3600), "cloud");
      }
      h.api.privateChat(5550001111L, "Anna").post().text("/status").publish();
      h.cli("sync");
      assertThat(h.api.sent(5550001111L)).singleElement()
          .satisfies(m -> assertThat(m.text()).contains("answered HTTP 500").doesNotContain(h.api.token()));
    }
  }
}
