package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** setWebhook, deleteWebhook, getWebhookInfo and webhook delivery of the fake, over real HTTP (BOTAPI §5, §2.3). */
class FakeWebhookIT {
  static final long A = -1001111111111L;
  static final long B = -1002222222222L;
  static final String SECRET = "s3cret_Token-1";

  FakeBotApi api;
  BotHttp http;
  HttpServer receiver;

  private void start(FakeBotApi.Options options) throws Exception {
    api = FakeBotApi.start(options);
    http = new BotHttp(api);
  }

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (api != null) {
      api.close();
    }
  }

  /** What the test's webhook endpoint received: the update, its chat, and the headers that matter. */
  record Delivery(JsonNode update, long chat, String secret, String contentType) {}

  private String listen(List<Delivery> got, java.util.function.IntSupplier status, long delayMillis,
                        Map<Long, AtomicInteger> inFlight, AtomicInteger maxChats, AtomicInteger maxPerChat)
      throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    AtomicInteger chatsNow = new AtomicInteger();
    receiver.createContext("/hook", ex -> {
      JsonNode u = BotHttp.MAPPER.readTree(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      JsonNode msg = u.has("channel_post") ? u.get("channel_post") : u.path("edited_channel_post");
      long chat = msg.path("chat").path("id").asLong();
      AtomicInteger mine = inFlight.computeIfAbsent(chat, c -> new AtomicInteger());
      maxPerChat.accumulateAndGet(mine.incrementAndGet(), Math::max);
      maxChats.accumulateAndGet(chatsNow.incrementAndGet(), Math::max);
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int code = status.getAsInt();
      if (code == 200) {
        got.add(new Delivery(u, chat, ex.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"),
            ex.getRequestHeaders().getFirst("Content-Type")));
      }
      mine.decrementAndGet();
      chatsNow.decrementAndGet();
      ex.sendResponseHeaders(code, -1);
      ex.close();
    });
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.start();
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @Test
  void setWebhookChecksLikeTheCloudServerAndGetUpdatesIsRefusedWhileSet() throws Exception {
    start(FakeBotApi.Options.defaults());
    BotHttp.Resp r = http.json("setWebhook", "{\"url\":\"http://example.org/hook\"}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("description").asText())
        .isEqualTo("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
    r = http.json("setWebhook", "{\"url\":\"https://example.org:8080/hook\"}");
    assertThat(r.json().path("description").asText())
        .isEqualTo("Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    r = http.json("setWebhook", "{\"url\":\"https://example.org/hook\",\"secret_token\":\"" + "x".repeat(257) + "\"}");
    assertThat(r.json().path("description").asText()).isEqualTo("Bad Request: secret token is too long");
    r = http.json("setWebhook", "{\"url\":\"https://example.org/hook\",\"secret_token\":\"no spaces\"}");
    assertThat(r.json().path("description").asText()).isEqualTo("Bad Request: secret token contains unallowed characters");
    assertThat(http.json("getWebhookInfo", "{}").result().path("url").asText()).isEmpty();

    api.channel(A, "A", null).post().text("queued before the webhook").publish();
    String set = "{\"url\":\"https://example.org:8443/hook\",\"secret_token\":\"" + SECRET
        + "\",\"max_connections\":7,\"allowed_updates\":[\"channel_post\",\"edited_channel_post\"]}";
    r = http.json("setWebhook", set);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("description").asText()).isEqualTo("Webhook was set");
    assertThat(http.json("setWebhook", set).json().path("description").asText()).isEqualTo("Webhook is already set");

    r = http.json("getUpdates", "{}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("description").asText()).isEqualTo("Conflict: can't use getUpdates method while webhook"
        + " is active; use deleteWebhook to delete the webhook first");

    JsonNode info = http.json("getWebhookInfo", "{}").result();
    assertThat(info.path("url").asText()).isEqualTo("https://example.org:8443/hook");
    assertThat(info.path("max_connections").asInt()).isEqualTo(7);
    assertThat(info.path("allowed_updates").toString()).isEqualTo("[\"channel_post\",\"edited_channel_post\"]");
    assertThat(info.path("pending_update_count").asInt()).isEqualTo(1);
    // example.org is not reachable from a test: delivery fails and says why
    await().atMost(Duration.ofSeconds(20)).until(() -> http.json("getWebhookInfo", "{}").result()
        .has("last_error_message"));
    assertThat(http.json("getWebhookInfo", "{}").result().path("last_error_date").asLong())
        .isGreaterThan(System.currentTimeMillis() / 1000 - 60);

    r = http.json("deleteWebhook", "{\"drop_pending_updates\":false}");
    assertThat(r.json().path("description").asText()).isEqualTo("Webhook was deleted");
    assertThat(http.json("deleteWebhook", "{}").json().path("description").asText()).isEqualTo("Webhook is already deleted");
    info = http.json("getWebhookInfo", "{}").result();
    assertThat(info.path("url").asText()).isEmpty();
    assertThat(info.has("last_error_message")).isFalse();
    // nothing was lost: the update waits for getUpdates
    assertThat(http.updates("{}")).hasSize(1);
  }

  @Test
  void settingAWebhookEndsAWaitingLongPollAndDropPendingUpdatesClearsTheQueue() throws Exception {
    start(FakeBotApi.Options.defaults());
    CompletableFuture<BotHttp.Resp> poll = CompletableFuture.supplyAsync(() -> {
      try {
        return http.json("getUpdates", "{\"timeout\":20}");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertThat(http.json("setWebhook", "{\"url\":\"https://example.org/hook\"}").status()).isEqualTo(200);
    BotHttp.Resp r = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().path("description").asText()).isEqualTo("Conflict: terminated by setWebhook request");

    api.channel(A, "A", null).post().text("one").publish();
    http.json("deleteWebhook", "{\"drop_pending_updates\":true}");
    assertThat(http.updates("{}")).isEmpty();
  }

  @Test
  void deliversEachUpdateAloneInOrderPerChatWithChatsInParallelAndTheSecretHeader() throws Exception {
    start(FakeBotApi.Options.defaults().withLocalWebhooks());
    List<Delivery> got = new CopyOnWriteArrayList<>();
    Map<Long, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    AtomicInteger maxChats = new AtomicInteger();
    AtomicInteger maxPerChat = new AtomicInteger();
    String url = listen(got, () -> 200, 150, inFlight, maxChats, maxPerChat);
    Channel a = api.channel(A, "A", null);
    Channel b = api.channel(B, "B", null);
    for (int i = 0; i < 4; i++) {
      a.post().text("a" + i).publish();
      b.post().text("b" + i).publish();
    }
    BotHttp.Resp r = http.json("setWebhook", "{\"url\":\"" + url + "\",\"secret_token\":\"" + SECRET + "\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 8);
    assertThat(api.pendingUpdates()).isZero();
    assertThat(got).allSatisfy(d -> {
      assertThat(d.secret()).isEqualTo(SECRET);
      assertThat(d.contentType()).isEqualTo("application/json");
      assertThat(d.update().has("update_id")).isTrue();
    });
    assertThat(got.stream().filter(d -> d.chat() == A).map(d -> d.update().path("channel_post").path("text").asText()))
        .containsExactly("a0", "a1", "a2", "a3");
    assertThat(got.stream().filter(d -> d.chat() == B).map(d -> d.update().path("channel_post").path("text").asText()))
        .containsExactly("b0", "b1", "b2", "b3");
    assertThat(maxPerChat.get()).as("one update in flight per chat").isEqualTo(1);
    assertThat(maxChats.get()).as("chats delivered in parallel").isEqualTo(2);

    // a post made while the webhook is set arrives by itself
    a.post().text("live").publish();
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 9);
  }

  @Test
  void failedDeliveriesAreRetriedAndRecordedLikeTelegram() throws Exception {
    start(FakeBotApi.Options.defaults().withLocalWebhooks().withWebhookRetryBase(Duration.ofMillis(50)));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    String url = listen(got, () -> calls.incrementAndGet() <= 3 ? 500 : 200, 0, new ConcurrentHashMap<>(),
        new AtomicInteger(), new AtomicInteger());
    Channel a = api.channel(A, "A", null);
    a.post().text("first").publish();
    a.post().text("second").publish();
    http.json("setWebhook", "{\"url\":\"" + url + "\"}");
    await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 2);
    assertThat(calls.get()).isEqualTo(5); // three refusals of "first", then both
    assertThat(got).extracting(d -> d.update().path("channel_post").path("text").asText())
        .containsExactly("first", "second");
    assertThat(got.get(0).secret()).isNull();
    JsonNode info = http.json("getWebhookInfo", "{}").result();
    assertThat(info.path("last_error_message").asText()).isEqualTo("Wrong response from the webhook: 500 Internal Server Error");
    assertThat(info.path("pending_update_count").asInt()).isZero();

    // nobody listening: "Connection refused", and the update stays queued
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    http.json("setWebhook", "{\"url\":\"http://127.0.0.1:" + closedPort + "/hook\"}");
    a.post().text("third").publish();
    await().atMost(Duration.ofSeconds(10)).until(() -> http.json("getWebhookInfo", "{}").result()
        .path("last_error_message").asText().equals("Connection refused"));
    assertThat(api.pendingUpdates()).isEqualTo(1);
    // pointing it back delivers what waited
    http.json("setWebhook", "{\"url\":\"" + url + "\"}");
    await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 3);
    assertThat(api.pendingUpdates()).isZero();
  }
}
