package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.fakebot.FileContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` with web.listen: the dashboard, /health, /api/status and /metrics over real HTTP from the real process. */
class WebIT {
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> bytes(String base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The base URL of a `run` process's web.listen endpoint (port 0: any free port), once it says it. */
  static String startedAt(ChildProcess daemon) {
    Pattern url = Pattern.compile("health on (http://127\\.0\\.0\\.1:\\d+)/health");
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      Matcher m = url.matcher(daemon.output());
      return m.find() ? m.group(1) : null;
    }, b -> b != null);
  }

  @Test
  void theServiceAnswersHealthAndStatusAndReportsIntakeFaults() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.writeConfig(List.of(EndToEndIT.CHANNEL), false, "web:\n  listen: 127.0.0.1:0\n");
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine").post().text("hello").publish();
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config",
          h.config.toString(), "run")) {
        String base = startedAt(daemon);

        HttpResponse<String> health = get(base, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
        JsonNode n = Harness.JSON.readTree(health.body());
        assertThat(n.path("status").asText()).isEqualTo("ok");
        assertThat(n.path("catalog").asText()).isEqualTo("ok");
        assertThat(n.path("intake").path("ok").asBoolean()).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> Harness.JSON.readTree(get(base, "/api/status").body())
            .path("channels").path(0).path("versions").asInt() == 1);
        JsonNode status = Harness.JSON.readTree(get(base, "/api/status").body());
        assertThat(status.path("channels").get(0).path("chat_id").asLong()).isEqualTo(EndToEndIT.CHANNEL);

        HttpResponse<String> metrics = get(base, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String chat = "chat_id=\"" + EndToEndIT.CHANNEL + "\"";
        assertThat(metrics.body())
            .containsPattern("(?m)^channel_mirror_posts\\{" + chat + "} 1\\.0$")
            .containsPattern("(?m)^channel_mirror_media\\{" + chat + ",state=\"pending\"} 0\\.0$")
            .containsPattern("(?m)^channel_mirror_stored_bytes\\{" + chat + "} 0\\.0$")
            .containsPattern("(?m)^channel_mirror_intake_updates_total [1-9]")
            .containsPattern("(?m)^channel_mirror_intake_since_poll_seconds [0-9.]+$")
            .contains("jvm_memory_used_bytes");

        // Telegram failing: still healthy within the grace period, and the reason is visible
        h.api.faults().serverError("getUpdates", 502, 1000);
        // (the poller retries with backoff for 15-31 s before it gives up on a round and says so)
        await().atMost(Duration.ofSeconds(60)).until(() -> Harness.JSON.readTree(get(base, "/health").body())
            .path("intake").path("last_error").asText().contains("getUpdates failed"));
        health = get(base, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        // the fake answers 502 with a plain error page, as a proxy in front of Telegram would
        assertThat(Harness.JSON.readTree(health.body()).path("intake").path("last_error").asText())
            .contains("not Bot API JSON");
        assertThat(health.body()).doesNotContain(h.api.token());

        assertThat(get(base, "/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(daemon.terminate(30)).as("exit after SIGTERM; log:%n%s", daemon.output()).isNotEqualTo(-1);
      }
    }
  }

  @Test
  void theDashboardIsAnInstallableAppThatShowsTheCatalogAndEscapesWhatOwnersTyped() throws Exception {
    String hostileTitle = "<img src=x onerror=alert(1)>Mine & more";
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.writeConfig(List.of(EndToEndIT.CHANNEL), false, "web:\n  listen: 127.0.0.1:0\n");
      var ch = h.api.channel(EndToEndIT.CHANNEL, hostileTitle, "mine");
      ch.post().photo(FileContent.jpeg(1, 640, 480)).caption("a photo").publish();
      ch.post().document(FileContent.random(2, 300_000), "notes.pdf", "application/pdf").publish();
      // over the cloud Bot API's 20 MB: recorded as too big, with the reason
      ch.post().document(FileContent.random(3, 21_000_000), "huge.bin", "application/octet-stream").publish();
      Harness.assertExit(h.cli("sync"), 1);
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config",
          h.config.toString(), "run")) {
        String base = startedAt(daemon);

        HttpResponse<String> page = get(base, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
            assertThat(v).contains("default-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(page.body()).contains("<link rel=\"manifest\" href=\"manifest.webmanifest\">")
            .contains("<script src=\"app.js\"");

        // what makes it installable: a manifest whose icons exist in the sizes it says, a service worker
        JsonNode manifest = Harness.JSON.readTree(get(base, "/manifest.webmanifest").body());
        assertThat(manifest.path("display").asText()).isEqualTo("standalone");
        assertThat(manifest.path("start_url").asText()).isEqualTo("./");
        assertThat(manifest.path("name").asText()).isEqualTo("channel-mirror");
        List<String> sizes = new java.util.ArrayList<>();
        for (JsonNode icon : manifest.path("icons")) {
          HttpResponse<byte[]> file = bytes(base, "/" + icon.path("src").asText());
          assertThat(file.statusCode()).as(icon.toString()).isEqualTo(200);
          assertThat(file.headers().firstValue("Content-Type")).hasValue(icon.path("type").asText());
          if (icon.path("type").asText().equals("image/png")) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(file.body()));
            assertThat(img.getWidth() + "x" + img.getHeight()).isEqualTo(icon.path("sizes").asText());
            sizes.add(icon.path("sizes").asText());
          }
        }
        assertThat(sizes).contains("192x192", "512x512");
        HttpResponse<String> worker = get(base, "/sw.js");
        assertThat(worker.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(worker.body()).contains("addEventListener('fetch'").doesNotContain("@VERSION@");

        // files are revalidated by ETag; unknown or escaping paths are not files
        String etag = page.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
            .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(get(base, "/../pom.xml").statusCode()).isEqualTo(404);
        assertThat(get(base, "/%2e%2e/%2e%2e/etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get(base, "/org/channelmirror/web/dashboard/app.js").statusCode()).isEqualTo(404);

        // the page asks for one page of problems; the total is still counted
        JsonNode limited = Harness.JSON.readTree(get(base, "/api/status?problems=0").body());
        assertThat(limited.path("problems")).isEmpty();
        assertThat(limited.path("problems_total").asInt()).isEqualTo(1);
        assertThat(get(base, "/api/status?problems=lots").statusCode()).isEqualTo(400);

        // the latest posts, newest first, with what they say and how far their backup is
        JsonNode posts = Harness.JSON.readTree(get(base, "/api/posts").body());
        assertThat(posts).hasSize(3);
        assertThat(posts.get(2).path("excerpt").asText()).isEqualTo("a photo");
        assertThat(posts.get(2).path("kinds").get(0).asText()).isEqualTo("photo");
        assertThat(posts.get(2).path("media_stored").asInt()).isEqualTo(1);
        assertThat(posts.get(2).path("manifest_key").asText()).startsWith("channels/" + EndToEndIT.CHANNEL + "/posts/");
        assertThat(posts.get(0).path("media_stored").asInt()).as("the file over 20 MB").isZero();
        assertThat(Harness.JSON.readTree(get(base, "/api/posts?limit=1&chat=" + EndToEndIT.CHANNEL).body())).hasSize(1);
        assertThat(Harness.JSON.readTree(get(base, "/api/posts?chat=-100777").body())).isEmpty();
        assertThat(get(base, "/api/posts?chat=mine").statusCode()).isEqualTo(400);
        assertThat(get(base, "/api/posts?limit=501").statusCode()).isEqualTo(400);

        // a real browser runs the page against the real service
        String dom = Chromium.dumpDom(URI.create(base + "/"), dir.resolve("chromium-profile"));
        String text = Chromium.visibleText(dom);
        assertThat(text).contains(hostileTitle).contains("Not stored").contains("20 MB");
        assertThat(dom).contains("<span id=\"health\" class=\"badge ok\">healthy</span>");
        assertThat(dom).doesNotContain("<img src=\"x\"").doesNotContain("onerror=\"");
        Matcher card = Pattern.compile("(?s)<article class=\"card\" data-chat-id=\"" + EndToEndIT.CHANNEL
            + "\">(.*?)</article>").matcher(dom);
        assertThat(card.find()).as("a card for the channel in:%n%s", dom).isTrue();
        String cardText = Chromium.visibleText("<body>" + card.group(1));
        assertThat(cardText).contains("3posts").contains("2stored").contains("1not stored");
        Matcher photoRow = Pattern.compile("(?s)<tr data-post=\"" + EndToEndIT.CHANNEL + "/\\d+\">((?:(?!</tr>).)*a photo.*?)</tr>")
            .matcher(dom);
        assertThat(photoRow.find()).as("a row for the photo post in:%n%s", dom).isTrue();
        assertThat(Chromium.visibleText("<body>" + photoRow.group(1))).contains(hostileTitle).contains("1 of 1").contains("written");
        assertThat(dom).containsPattern("<tr data-job=\"backup\"><td>backup</td><td><time [^>]+>[^<]+ ago</time></td>"
            + "<td class=\"warn\">PARTIAL</td><td>2</td><td class=\"bad\">1</td>");
        assertThat(dom).doesNotContain(h.api.token()).doesNotContain(h.s3.secretAccessKey());
        // the service worker installs beside the first visit and may finish after it: visit again until it is active
        boolean workerReady = dom.contains("data-offline=\"ready\"");
        for (int visit = 2; visit <= 4 && !workerReady; visit++) {
          workerReady = Chromium.dumpDom(URI.create(base + "/"), dir.resolve("chromium-profile")).contains("data-offline=\"ready\"");
        }
        assertThat(daemon.terminate(30)).as("exit after SIGTERM; log:%n%s", daemon.output()).isNotEqualTo(-1);

        // installed, it opens with the service gone: the service worker has the page, and the page
        // shows the figures it saw last, saying so
        assertThat(workerReady).as("the service worker became active in one of the visits").isTrue();
        String offline = Chromium.dumpDom(URI.create(base + "/"), dir.resolve("chromium-profile"));
        assertThat(offline).contains("data-chat-id=\"" + EndToEndIT.CHANNEL + "\"")
            .contains("<span id=\"health\" class=\"badge bad\">no answer</span>")
            .containsPattern("<p id=\"offline\" class=\"banner\">The service does not answer \\([^)]*\\)\\. Showing what it said at ");
      }
    }
  }
}
