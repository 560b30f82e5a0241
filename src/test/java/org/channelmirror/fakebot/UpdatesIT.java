package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpdatesIT extends FakeBotFixture {
  static final long CH = -1001987654321L;
  Channel channel;

  @BeforeEach
  void createChannel() {
    channel = api.channel(CH, "Anna's Photo Journal", "anna_photo_journal");
  }

  @Test
  void offsetsConfirmAndUnconfirmedUpdatesAreRedelivered() throws Exception {
    PublishedPost p1 = channel.post().text("one").publish();
    PublishedPost p2 = channel.post().text("two").publish();
    PublishedPost p3 = channel.post().text("three").publish();
    assertThat(p1.updateId()).isBetween(2_000_001, 1_000_000_000);
    assertThat(p2.updateId()).isEqualTo(p1.updateId() + 1);
    assertThat(p3.messageId()).isEqualTo(p1.messageId() + 2);

    JsonNode first = http.updates("{\"offset\":1,\"timeout\":0}");
    assertThat(first).hasSize(3);
    assertThat(first.get(0).get("update_id").asInt()).isEqualTo(p1.updateId());
    assertThat(first.get(2).get("channel_post").get("text").asText()).isEqualTo("three");

    // not confirmed yet: delivered again
    assertThat(http.updates("{}")).hasSize(3);
    JsonNode rest = http.updates("{\"offset\":" + p2.updateId() + "}");
    assertThat(rest).hasSize(2);
    assertThat(api.pendingUpdates()).isEqualTo(2);
    assertThat(http.updates("{\"offset\":" + (p3.updateId() + 1) + "}")).isEmpty();
    assertThat(api.pendingUpdates()).isZero();
  }

  @Test
  void negativeOffsetKeepsTheLastUpdatesAndFarFutureOffsetConfirmsNothing() throws Exception {
    for (int i = 0; i < 5; i++) {
      channel.post().text("post " + i).publish();
    }
    JsonNode far = http.updates("{\"offset\":2000000000}");
    assertThat(far).hasSize(5);
    assertThat(api.pendingUpdates()).isEqualTo(5);
    JsonNode last2 = http.updates("{\"offset\":-2}");
    assertThat(last2).hasSize(2);
    assertThat(last2.get(1).get("channel_post").get("text").asText()).isEqualTo("post 4");
    assertThat(api.pendingUpdates()).isEqualTo(2);
  }

  @Test
  void limitIsClamped() throws Exception {
    for (int i = 0; i < 3; i++) {
      channel.post().text("p" + i).publish();
    }
    assertThat(http.updates("{\"limit\":0}")).hasSize(1);
    assertThat(http.updates("{\"limit\":2}")).hasSize(2);
    assertThat(http.updates("{\"limit\":1000}")).hasSize(3);
  }

  @Test
  void channelPostLooksLikeTelegrams() throws Exception {
    channel.post().photo(FileContent.jpeg(1, 640, 480))
        .caption("🌅 Sunset", MessageEntityJson.of("bold", 3, 6)).authorSignature("Anna K.").publish();
    JsonNode u = http.updates("{}").get(0);
    assertThat(u.fieldNames()).toIterable().containsExactly("update_id", "channel_post");
    JsonNode m = u.get("channel_post");
    assertThat(m.fieldNames()).toIterable().containsExactly("message_id", "author_signature", "sender_chat",
        "chat", "date", "photo", "caption", "caption_entities");
    assertThat(m.has("from")).isFalse();
    assertThat(m.get("chat").toString()).isEqualTo(
        "{\"id\":-1001987654321,\"title\":\"Anna's Photo Journal\",\"username\":\"anna_photo_journal\","
            + "\"type\":\"channel\"}");
    assertThat(m.get("sender_chat")).isEqualTo(m.get("chat"));
    JsonNode photo = m.get("photo");
    assertThat(photo).hasSize(3);
    assertThat(photo.get(2).get("width").asInt()).isEqualTo(640);
    assertThat(photo.get(2).fieldNames()).toIterable()
        .containsExactly("file_id", "file_unique_id", "file_size", "width", "height");
    assertThat(photo.get(0).get("width").asInt()).isLessThan(photo.get(1).get("width").asInt());
    assertThat(m.get("caption_entities").get(0).toString()).isEqualTo("{\"offset\":3,\"length\":6,\"type\":\"bold\"}");
    assertThat(m.toString()).doesNotContain("null");
  }

  @Test
  void albumsEditsAndRepostsFollowTheRealServer() throws Exception {
    PublishedPost a = channel.post().mediaGroup("14123456789012345").photo(FileContent.jpeg(2, 400, 300))
        .caption("album").publish();
    PublishedPost b = channel.post().mediaGroup("14123456789012345")
        .video(FileContent.random(1, 5000), "v.mp4", "video/mp4", 320, 240, 3).publish();
    PublishedPost e1 = channel.edit(a.messageId()).caption("album, edited").publish();
    PublishedPost e2 = channel.edit(a.messageId()).caption("album, edited twice").publish();
    PublishedPost repost = channel.post().photo(a.files().get(a.files().size() - 1)).publish();
    PublishedPost anim = channel.post().animation(FileContent.random(3, 3000), "a.mp4", "video/mp4", 10, 10, 1)
        .publish();

    JsonNode ups = http.updates("{}");
    assertThat(ups).hasSize(6);
    assertThat(ups.get(0).get("channel_post").get("media_group_id").isTextual()).isTrue();
    assertThat(ups.get(1).get("channel_post").get("media_group_id").asText()).isEqualTo("14123456789012345");
    assertThat(ups.get(1).get("channel_post").get("video").get("file_name").asText()).isEqualTo("v.mp4");
    JsonNode edit = ups.get(2).get("edited_channel_post");
    assertThat(edit.get("message_id").asInt()).isEqualTo(a.messageId());
    assertThat(edit.get("photo").toString()).isEqualTo(a.message().get("photo").toString());
    assertThat(edit.get("caption").asText()).isEqualTo("album, edited");
    long d1 = e1.message().get("edit_date").asLong();
    long d2 = e2.message().get("edit_date").asLong();
    assertThat(d2).isGreaterThan(d1);
    assertThat(d1).isGreaterThanOrEqualTo(a.message().get("date").asLong());

    JsonNode orig = a.message().get("photo").get(2);
    JsonNode re = repost.message().get("photo").get(2);
    assertThat(re.get("file_unique_id")).isEqualTo(orig.get("file_unique_id"));
    assertThat(re.get("file_id")).isNotEqualTo(orig.get("file_id"));

    assertThat(anim.message().has("animation")).isTrue();
    assertThat(anim.message().get("document").get("file_id").asText())
        .isEqualTo(anim.message().get("animation").get("file_id").asText());
    assertThat(b.files()).hasSize(1);
  }

  @Test
  void longPollWakesUpWhenAPostArrives() throws Exception {
    CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> call("{\"timeout\":20}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.requests().stream()
        .anyMatch(r -> r.method().equals("getupdates")));
    Thread.sleep(100); // the poll is waiting inside the server now
    assertThat(poll).isNotDone();
    long t0 = System.nanoTime();
    channel.post().text("wake up").publish();
    JsonNode result = poll.get(5, TimeUnit.SECONDS);
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(result).hasSize(1);
    assertThat(ms).as("wake-up latency").isLessThan(500);
  }

  @Test
  void longPollTimesOutWithAnEmptyResult() throws Exception {
    long t0 = System.nanoTime();
    assertThat(http.updates("{\"timeout\":1}")).isEmpty();
    assertThat(System.nanoTime() - t0).isGreaterThan(900_000_000L);
  }

  @Test
  void secondLongPollTerminatesTheFirstWith409() throws Exception {
    CompletableFuture<BotHttp.Resp> first = CompletableFuture.supplyAsync(() -> raw("{\"timeout\":20}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.requests().size() == 1);
    Thread.sleep(100);
    CompletableFuture<BotHttp.Resp> second = CompletableFuture.supplyAsync(() -> raw("{\"timeout\":1}"));
    BotHttp.Resp r1 = first.get(5, TimeUnit.SECONDS);
    assertThat(r1.status()).isEqualTo(409);
    assertThat(r1.raw()).isEqualTo("{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by other "
        + "getUpdates request; make sure that only one bot instance is running\"}");
    assertThat(second.get(5, TimeUnit.SECONDS).result()).isEmpty();
  }

  @Test
  void allowedUpdatesFilterAtCreationAndPersist() throws Exception {
    http.updates("{\"allowed_updates\":[\"channel_post\"]}");
    PublishedPost p = channel.post().text("kept").publish();
    PublishedPost e = channel.edit(p.messageId()).text("edit dropped").publish();
    assertThat(e.updateId()).isZero();
    assertThat(http.updates("{}")).hasSize(1); // absent allowed_updates keeps the setting
    channel.edit(p.messageId()).text("still dropped").publish();
    assertThat(api.pendingUpdates()).isEqualTo(1);
    // form body: allowed_updates as a JSON string; [] = default set again
    assertThat(http.form("getUpdates", "allowed_updates=%5B%5D").status()).isEqualTo(200);
    channel.edit(p.messageId()).text("delivered").publish();
    channel.setBotStatus("administrator");
    JsonNode ups = http.updates("{}");
    assertThat(ups).hasSize(3);
    assertThat(ups.get(1).has("edited_channel_post")).isTrue();
    assertThat(ups.get(2).get("my_chat_member").get("new_chat_member").get("status").asText())
        .isEqualTo("administrator");
  }

  @Test
  void leftChatsDeliverNothingAndStatusChangesEmitMyChatMember() throws Exception {
    BotHttp.Resp leave = http.json("leaveChat", "{\"chat_id\":\"" + CH + "\"}");
    assertThat(leave.raw()).isEqualTo("{\"ok\":true,\"result\":true}");
    assertThat(api.botLeft(CH)).isTrue();
    assertThat(channel.post().text("unseen").publish().updateId()).isZero();
    assertThat(api.pendingUpdates()).isZero();

    channel.setBotStatus("administrator");
    channel.setBotStatus("kicked");
    JsonNode ups = http.updates("{}");
    assertThat(ups).hasSize(2);
    JsonNode kicked = ups.get(1).get("my_chat_member");
    assertThat(kicked.get("old_chat_member").get("status").asText()).isEqualTo("administrator");
    assertThat(kicked.get("new_chat_member").get("status").asText()).isEqualTo("kicked");
    assertThat(kicked.get("new_chat_member").get("user").get("id").asLong()).isEqualTo(123456789L);
    BotHttp.Resp send = http.json("sendMessage", "{\"chat_id\":" + CH + ",\"text\":\"hi\"}");
    assertThat(send.status()).isEqualTo(403);
    assertThat(send.json().get("description").asText()).isEqualTo("Forbidden: bot was kicked from the channel chat");
  }

  @Test
  void groupPostsArriveAsMessagesWithFrom() throws Exception {
    Group g = api.group(-1009876543210L, "Group");
    g.post().text("hello group").publish();
    JsonNode m = http.updates("{}").get(0).get("message");
    assertThat(m.get("from").get("is_bot").asBoolean()).isFalse();
    assertThat(m.get("chat").get("type").asText()).isEqualTo("supergroup");
    assertThat(m.has("sender_chat")).isFalse();
  }

  @Test
  void updatesOlderThan24HoursAreDropped() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
    try (FakeBotApi api2 = FakeBotApi.start(FakeBotApi.Options.defaults().withClock(clock))) {
      Channel c = api2.channel(CH, "c", null);
      c.post().text("old").publish();
      clock.advance(Duration.ofHours(23));
      c.post().text("newer").publish();
      clock.advance(Duration.ofHours(2));
      JsonNode ups = new BotHttp(api2).updates("{}");
      assertThat(ups).hasSize(1);
      assertThat(ups.get(0).get("channel_post").get("text").asText()).isEqualTo("newer");
      assertThat(ups.get(0).get("channel_post").get("date").asLong())
          .isEqualTo(Instant.parse("2026-01-02T11:00:00Z").getEpochSecond());
    }
  }

  @Test
  void routingTokensMethodsAndEnvelopes() throws Exception {
    assertThat(http.get("/bot" + api.token() + "/GETME").json().get("result").get("id").asLong())
        .isEqualTo(api.botUserId());
    BotHttp.Resp wrong = http.get("/bot123:other/getMe");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.raw()).isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
    assertThat(http.get("/botabc/getMe").json().get("description").asText())
        .isEqualTo("Unauthorized: invalid token specified");
    BotHttp.Resp unknown = http.json("noSuchMethod", "{}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("description").asText()).isEqualTo("Not Found: method not found");
    assertThat(http.get("/favicon.ico").raw()).isEqualTo("{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
    assertThat(http.json("deleteWebhook", "{\"method\":\"deleteWebhook\"}").raw())
        .isEqualTo("{\"ok\":true,\"result\":true,\"description\":\"Webhook is already deleted\"}");
    channel.post().text("x").publish();
    assertThat(http.get("/bot" + api.token() + "/getWebhookInfo").result().get("pending_update_count").asInt())
        .isEqualTo(1);
    assertThat(http.get("/bot" + api.token() + "/getUpdates?offset=-1&limit=5").result()).hasSize(1);
    JsonNode member = http.json("getChatMember", "{\"chat_id\":\"" + CH + "\",\"user_id\":" + api.botUserId() + "}")
        .result();
    assertThat(member.get("status").asText()).isEqualTo("administrator");
    assertThat(member.get("can_post_messages").asBoolean()).isTrue();
    assertThat(http.json("getChat", "{\"chat_id\":\"@anna_photo_journal\"}").result().get("id").asLong()).isEqualTo(CH);
    assertThat(http.json("getChat", "{\"chat_id\":-100555}").json().get("description").asText())
        .isEqualTo("Bad Request: chat not found");
    assertThat(api.requests()).extracting(RecordedRequest::method).contains("getme", "nosuchmethod", "getchat");
  }

  @Test
  void closeEndsWaitingPollsPromptly() throws Exception {
    CompletableFuture<Object> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return http.json("getUpdates", "{\"timeout\":30}");
      } catch (Exception e) {
        return e;
      }
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> !api.requests().isEmpty());
    Thread.sleep(100);
    long t0 = System.nanoTime();
    api.close();
    Object outcome = poll.get(5, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3000);
    if (outcome instanceof BotHttp.Resp r) {
      assertThat(r.result()).isEmpty();
    } else {
      assertThat(outcome).isInstanceOf(java.io.IOException.class);
    }
  }

  private JsonNode call(String body) {
    try {
      return http.updates(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private BotHttp.Resp raw(String body) {
    try {
      return http.json("getUpdates", body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
