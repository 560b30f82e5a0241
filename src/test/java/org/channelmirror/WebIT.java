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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run` with web.listen: /health and /api/status over real HTTP from the real process. */
class WebIT {
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theServiceAnswersHealthAndStatusAndReportsIntakeFaults() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.writeConfig(List.of(EndToEndIT.CHANNEL), false, "web:\n  listen: 127.0.0.1:0\n");
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine").post().text("hello").publish();
      try (ChildProcess daemon = ChildProcess.start(dir.resolve("run.log"), List.of(), "--config",
          h.config.toString(), "run")) {
        Pattern url = Pattern.compile("health on (http://127\\.0\\.0\\.1:\\d+)/health");
        String base = await().atMost(Duration.ofSeconds(60)).until(() -> {
          Matcher m = url.matcher(daemon.output());
          return m.find() ? m.group(1) : null;
        }, b -> b != null);

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
}
