package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.PublishedPost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook intake end to end: the real `run` process registers its URL with the fake Bot API
 * (with the rules of a --local server, so http://127.0.0.1 is accepted), the fake POSTs every
 * update to it over real HTTP, and the posts end up in the real S3 server.
 */
class WebhookIT {
  static final long CHANNEL = EndToEndIT.CHANNEL;
  static final long OTHER = -1009999999999L;
  static final String SECRET = "webhook-IT_secret-0123456789";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static FakeBotApi.Options fakeOptions() {
    return FakeBotApi.Options.defaults().withLocalWebhooks().withWebhookRetryBase(Duration.ofMillis(100));
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The harness config with backups every second, the status endpoint, and webhook keys under telegram:. */
  private static void configure(Harness h, String webhookYaml) throws Exception {
    h.writeConfig(List.of(CHANNEL), false, "web:\n  listen: 127.0.0.1:0\n");
    String yaml = Files.readString(h.config).replace("0 0 0 1 1 ? 2099", "* * * * * ?");
    Files.writeString(h.config, yaml.replace("  pollTimeoutSeconds: 1\n", "  pollTimeoutSeconds: 1\n" + webhookYaml));
  }

  private static String webhookYaml(String url, int port, String secret) {
    return "  webhook:\n    url: " + url + "\n    listen: 127.0.0.1:" + port + "\n"
        + (secret == null ? "" : "    secretToken: " + secret + "\n");
  }

  private static ChildProcess run(Harness h, Path log, String... jvmArgs) throws Exception {
    return ChildProcess.start(log, List.of(jvmArgs), "--config", h.config.toString(), "run");
  }

  private JsonNode getJson(String url) throws Exception {
    return Harness.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private int post(String url, String secret, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      b.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Every post version has exactly one manifest, and every file is in the bucket byte for byte, once. */
  private static void assertBacked(Harness h, List<PublishedPost> versions) throws Exception {
    Map<String, String> expected = new HashMap<>();
    for (PublishedPost p : versions) {
      FileRef f = EndToEndIT.fileOf(p);
      if (f != null) {
        expected.put(f.fileUniqueId(), f.content().sha256Hex());
      }
    }
    List<JsonNode> manifests = h.manifests(CHANNEL);
    assertThat(manifests).hasSize(versions.size());
    Set<String> seen = new HashSet<>();
    Map<String, String> keyByUnique = new HashMap<>();
    for (JsonNode m : manifests) {
      assertThat(seen.add(m.path("message_id").asInt() + "/" + m.path("edit_date").asLong()))
          .as("one manifest per version").isTrue();
      m.path("media").forEach(i -> {
        assertThat(i.path("state").asText()).isEqualTo("stored");
        keyByUnique.put(i.path("file_unique_id").asText(), i.path("object_key").asText());
      });
    }
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(keyByUnique).containsKey(e.getKey());
      assertThat(h.sha256(keyByUnique.get(e.getKey()))).isEqualTo(e.getValue());
    }
    assertThat(h.objects("media/")).hasSize(expected.size());
  }

  private void deleteWebhook(Harness h) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create(h.api.baseUrl() + "/bot" + h.api.token() + "/deleteWebhook"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
  }

  /** Every version has its manifest, and each says all its media are stored (a post that arrives during a run is
   * first written as incomplete, and rewritten by the next run). */
  private static boolean allBacked(Harness h, int versions) throws Exception {
    return h.api.pendingUpdates() == 0 && h.objects("channels/" + CHANNEL + "/posts/").size() >= versions
        && h.manifests(CHANNEL).stream().allMatch(m -> m.path("complete").asBoolean());
  }

  @Test
  void postsArriveByWebhookAreBackedUpAndOnlyTelegramWithTheSecretIsHeard() throws Exception {
    try (Harness h = new Harness(dir, fakeOptions(), List.of(CHANNEL), "")) {
      int port = freePort();
      String url = "http://127.0.0.1:" + port + "/tg/hook";
      configure(h, webhookYaml(url, port, SECRET));
      Channel ch = h.api.channel(CHANNEL, "Webhook channel", "webhook_channel");
      List<PublishedPost> versions = new ArrayList<>();
      versions.add(ch.post().photo(FileContent.jpeg(1, 640, 480)).caption("queued before the start").publish());

      try (ChildProcess daemon = run(h, dir.resolve("run.log"),
          "-Dchannel-mirror.webhook.check=PT0.3S", "-Dchannel-mirror.webhook.grace=PT1S")) {
        String base = WebIT.startedAt(daemon);
        assertThat(daemon.output()).contains("webhook: Telegram delivers to " + url + " (listening on 127.0.0.1:" + port + ")");
        assertThat(h.api.webhookUrl()).isEqualTo(url);

        versions.add(ch.post().text("a text post").publish());
        versions.add(ch.post().mediaGroup("album-7").photo(FileContent.jpeg(2, 800, 600)).caption("album").publish());
        versions.add(ch.post().mediaGroup("album-7").video(FileContent.random(3, 300_000), "a.mp4", "video/mp4", 640, 360, 4)
            .publish());
        versions.add(ch.post().document(FileContent.random(4, 6_000_000), "big.bin", "application/octet-stream").publish());
        PublishedPost edited = versions.get(1);
        versions.add(ch.edit(edited.messageId()).text("a text post, edited").publish());
        h.api.group(OTHER, "Not mirrored").post().text("stays out").publish();

        await().atMost(Duration.ofSeconds(60)).until(() -> allBacked(h, versions.size()));
        assertBacked(h, versions);
        assertThat(h.calls("getupdates")).as("webhook mode never polls").isZero();
        assertThat(h.api.botLeft(OTHER)).as("foreign chats are left, as with polling").isTrue();
        JsonNode album = h.manifests(CHANNEL).stream()
            .filter(m -> m.path("message_id").asInt() == versions.get(3).messageId()).findFirst().orElseThrow();
        assertThat(album.path("media_group_id").asText()).isEqualTo("album-7");

        JsonNode health = getJson(base + "/health");
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(health.path("intake").path("mode").asText()).isEqualTo("webhook");
        assertThat(health.path("intake").path("deliveries").asInt()).isGreaterThanOrEqualTo(versions.size());
        assertThat(health.path("intake").path("webhook").path("ours").asBoolean()).isTrue();

        // someone deletes the webhook: the service registers it again, and what waited is delivered
        deleteWebhook(h);
        versions.add(ch.post().text("while the webhook was deleted").publish());
        await().atMost(Duration.ofSeconds(30)).until(() -> allBacked(h, versions.size()));
        assertThat(h.api.webhookUrl()).isEqualTo(url);
        assertThat(daemon.output()).contains("webhook: the webhook was deleted at Telegram; registered " + url + " again");
        Thread.sleep(1100); // Telegram dates delivery errors in seconds: the hijack below must come later than this

        // without the secret, or with a wrong one: 401, nothing stored
        int before = getJson(base + "/api/status").path("channels").path(0).path("versions").asInt();
        String forged = "{\"update_id\":1999999999,\"channel_post\":{\"message_id\":999999,\"date\":1700000000,"
            + "\"chat\":{\"id\":" + CHANNEL + ",\"type\":\"channel\",\"title\":\"x\"},\"text\":\"forged\"}}";
        assertThat(post(url, null, forged)).isEqualTo(401);
        assertThat(post(url, "wrong-secret-value", forged)).isEqualTo(401);
        assertThat(post("http://127.0.0.1:" + port + "/other", SECRET, forged)).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode()).isEqualTo(405);
        // refused before the body is read: the client sees the 413, or, still sending, the connection closed
        int oversize;
        try {
          oversize = post(url, SECRET, "x".repeat(5 << 20));
        } catch (IOException e) {
          oversize = -1;
        }
        assertThat(oversize).isIn(413, -1);
        // a body that is no update is recorded as a warning and answered 200 (a resend would be no better)
        assertThat(post(url, SECRET, "this is not json")).isEqualTo(200);
        JsonNode status = getJson(base + "/api/status");
        assertThat(status.path("channels").path(0).path("versions").asInt()).isEqualTo(before);
        assertThat(status.path("warnings").toString()).contains("not a JSON update");
        assertThat(daemon.output()).doesNotContain("wrong-secret-value").doesNotContain(SECRET)
            .doesNotContain(h.api.token()).contains("refused 1 request(s) without the right secret token (401)");

        // another program re-registers our URL with its own secret, soon after the repair above: deliveries
        // get 401, and the service does not fight over the webhook; health says so
        HttpResponse<String> hijack = http.send(HttpRequest.newBuilder(URI.create(h.api.baseUrl() + "/bot"
            + h.api.token() + "/setWebhook")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\",\"secret_token\":\"someone-else\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hijack.statusCode()).isEqualTo(200);
        versions.add(ch.post().text("while the secret is wrong").publish());
        await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
        health = getJson(base + "/health");
        assertThat(health.path("status").asText()).isEqualTo("unhealthy");
        JsonNode wh = health.path("intake").path("webhook");
        assertThat(wh.path("last_error_message").asText()).isEqualTo("Wrong response from the webhook: 401 Unauthorized");
        assertThat(wh.path("pending_update_count").asInt()).isEqualTo(1);
        assertThat(wh.path("problem").asText()).contains("cannot deliver");
        await().atMost(Duration.ofSeconds(10)).until(() -> daemon.output().contains("another program that uses this"
            + " bot token keeps changing it"));
        assertThat(health.toString()).doesNotContain(SECRET).doesNotContain(h.api.token());
        // and so does the dashboard, in a real browser
        String dom = Chromium.dumpDom(URI.create(base + "/"), dir.resolve("chromium-profile"));
        assertThat(Chromium.visibleText(dom)).contains("by webhook: " + wh.path("problem").asText())
            .contains("Wrong response from the webhook: 401 Unauthorized").contains("waiting at Telegram1");
        assertThat(dom).contains("<span id=\"health\" class=\"badge bad\">unhealthy</span>")
            .doesNotContain(SECRET).doesNotContain(h.api.token());

        // deleted again, still soon after the repair: not registered again; health names that too
        deleteWebhook(h);
        await().atMost(Duration.ofSeconds(10)).until(() -> getJson(base + "/health").path("intake").path("webhook")
            .path("problem").asText().contains("no webhook is registered"));
        assertThat(daemon.terminate(30)).as("exit after SIGTERM; log:%n%s", daemon.output()).isNotEqualTo(-1);
      }

      // a restart registers the URL again, and what waited is delivered
      try (ChildProcess daemon = run(h, dir.resolve("run-2.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> allBacked(h, versions.size()));
        assertBacked(h, versions);
        assertThat(daemon.terminate(30)).isNotEqualTo(-1);
      }
      // stopping leaves the webhook registered: Telegram keeps queuing for the next start
      assertThat(h.api.webhookUrl()).isEqualTo(url);
    }
  }

  @Test
  void aKillDuringDeliveryLosesNothingAndSwitchingBackToPollingFetchesWhatWaited() throws Exception {
    try (Harness h = new Harness(dir, fakeOptions(), List.of(CHANNEL), "")) {
      int port = freePort();
      String url = "http://127.0.0.1:" + port + "/hook";
      configure(h, webhookYaml(url, port, null)); // a fresh secret at each start
      Channel ch = h.api.channel(CHANNEL, "Webhook channel", null);
      List<PublishedPost> versions = new ArrayList<>();
      try (ChildProcess daemon = run(h, dir.resolve("run-1.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().contains("webhook: Telegram delivers to"));
        for (int i = 0; i < 30; i++) {
          versions.add(ch.post().document(FileContent.random(100 + i, 50_000 + i * 1000), "d" + i + ".bin",
              "application/octet-stream").caption("post " + i).publish());
          if (i == 14) {
            // some delivered and committed, the rest coming in as the process dies
            await().atMost(Duration.ofSeconds(30)).until(() -> h.api.pendingUpdates() < 10);
          }
          if (i == 16) {
            daemon.kill();
          }
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> getWebhookInfo(h).path("last_error_message").asText()
          .equals("Connection refused"));
      assertThat(h.api.pendingUpdates()).isPositive();

      try (ChildProcess daemon = run(h, dir.resolve("run-2.log"))) {
        String base = WebIT.startedAt(daemon);
        await().atMost(Duration.ofSeconds(60)).until(() -> allBacked(h, versions.size()));
        assertBacked(h, versions);
        JsonNode health = getJson(base + "/health");
        // Telegram's error from while the service was down is shown, but is older than our deliveries
        assertThat(health.path("intake").path("webhook").path("last_error_message").asText()).isEqualTo("Connection refused");
        assertThat(health.path("status").asText()).isEqualTo("ok");
        assertThat(daemon.output()).as("the generated secret is never logged").doesNotContainPattern("[A-Za-z0-9_-]{43}");
        assertThat(daemon.terminate(30)).isNotEqualTo(-1);
      }

      // queued while the service is down, then webhook mode is turned off
      versions.add(ch.post().photo(FileContent.jpeg(7, 300, 200)).caption("while switching").publish());
      versions.add(ch.post().text("also while switching").publish());
      configure(h, "");
      try (ChildProcess daemon = run(h, dir.resolve("run-3.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().contains("intake switched to long polling"));
        assertThat(h.api.webhookUrl()).isEmpty();
        await().atMost(Duration.ofSeconds(60)).until(() -> allBacked(h, versions.size()));
        assertBacked(h, versions);
        assertThat(h.calls("getupdates")).isPositive();
        assertThat(daemon.terminate(30)).isNotEqualTo(-1);
      }
    }
  }

  /**
   * A webhook of another program (another URL) registered for the bot token: `run` takes the
   * token's updates over at start, as configured, and says whose webhook it replaced, since
   * that program receives nothing from then on (it used to replace it without a word).
   */
  @Test
  void aForeignWebhookReplacedAtStartIsNamedInTheLog() throws Exception {
    try (Harness h = new Harness(dir, fakeOptions(), List.of(CHANNEL), "")) {
      String foreign = "https://other-bot-host.example.com/hook";
      HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(h.api.baseUrl() + "/bot" + h.api.token()
          + "/setWebhook?url=" + foreign)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(set.statusCode()).isEqualTo(200);
      int port = freePort();
      String url = "http://127.0.0.1:" + port + "/hook";
      configure(h, webhookYaml(url, port, SECRET));
      try (ChildProcess daemon = run(h, dir.resolve("run.log"))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> daemon.output().contains("webhook: Telegram delivers to"));
        assertThat(h.api.webhookUrl()).isEqualTo(url);
        assertThat(daemon.output()).contains("webhook: replaced the webhook " + foreign
            + " that was registered for this bot token");
        assertThat(daemon.output()).doesNotContain(h.api.token()).doesNotContain(SECRET);
      }
    }
  }

  @Test
  void syncNeverPollsWhileAWebhookIsInUseAndARefusedUrlIsAConfigError() throws Exception {
    try (Harness h = Harness.cloud(dir, CHANNEL)) { // cloud rules: http:// is refused
      int port = freePort();
      configure(h, webhookYaml("http://127.0.0.1:" + port + "/hook", port, null));
      try (ChildProcess daemon = run(h, dir.resolve("refused.log"))) {
        assertThat(daemon.waitFor(60)).as("exit code; log:%n%s", daemon.output()).isEqualTo(2);
        assertThat(daemon.output()).contains("config error: telegram.webhook.url http://127.0.0.1:" + port + "/hook:"
            + " Telegram refused it").contains("An HTTPS URL must be provided for webhook")
            .contains("port 443, 80, 88 or 8443");
      }
      assertThat(h.api.webhookUrl()).isEmpty();

      Channel ch = h.api.channel(CHANNEL, "Webhook channel", null);
      ch.post().text("journaled by the service, not by sync").publish();
      String out = ChildProcess.succeed(dir.resolve("sync-1.log"), h.config, "sync");
      assertThat(out).contains("intake: skipped, telegram.webhook.url is set");
      assertThat(h.calls("getupdates")).isZero();

      // polling configured, but some webhook is set: sync leaves it alone (a service may be using it)
      configure(h, "");
      HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(h.api.baseUrl() + "/bot" + h.api.token()
          + "/setWebhook?url=https://backup.example.com/hook")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      out = ChildProcess.succeed(dir.resolve("sync-2.log"), h.config, "sync");
      assertThat(out).contains("intake: skipped, a webhook is set at Telegram (https://backup.example.com/hook)");
      assertThat(h.api.webhookUrl()).isEqualTo("https://backup.example.com/hook");
    }
  }

  private JsonNode getWebhookInfo(Harness h) throws Exception {
    return getJson(h.api.baseUrl() + "/bot" + h.api.token() + "/getWebhookInfo").path("result");
  }
}
