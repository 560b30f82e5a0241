package org.channelmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.channelmirror.config.WebConfig;
import org.junit.jupiter.api.Test;

class StatusServerTest {
  @Test
  void queryNumbersAreInRangeOrAbsent() {
    assertThat(StatusServer.Query.parse(null).number("problems", 0, 100_000, -1)).isEqualTo(-1);
    assertThat(StatusServer.Query.parse("other=1").number("problems", 0, 100_000, -1)).isEqualTo(-1);
    assertThat(StatusServer.Query.parse("problems=0").number("problems", 0, 100_000, -1)).isZero();
    assertThat(StatusServer.Query.parse("x=y&limit=100&chat=-100").number("limit", 1, 500, 50)).isEqualTo(100);
    assertThat(StatusServer.Query.parse("x=y&limit=100&chat=-100").value("chat")).isEqualTo("-100");
    assertThat(StatusServer.Query.parse("problems=100000").number("problems", 0, 100_000, -1)).isEqualTo(100_000);
    assertThat(StatusServer.Query.parse("chat=-1001234567890").chatId("chat")).isEqualTo(-1001234567890L);
    assertThat(StatusServer.Query.parse("limit=5").chatId("chat")).isNull();
    for (String bad : new String[] {"chat=mine", "chat=-99999999999999999999", "chat="}) {
      assertThatThrownBy(() -> StatusServer.Query.parse(bad).chatId("chat")).as(bad)
          .isInstanceOf(StatusServer.BadRequest.class).hasMessageContaining("chat id");
    }
    for (String bad : new String[] {"problems=", "problems=-1", "problems=100001", "problems=1e3", "problems=99999999999"}) {
      assertThatThrownBy(() -> StatusServer.Query.parse(bad).number("problems", 0, 100_000, -1)).as(bad)
          .isInstanceOf(StatusServer.BadRequest.class).hasMessage("problems must be a number from 0 to 100000");
    }
  }

  @Test
  void dashboardFilesAreFoundByNameOnly() {
    Dashboard d = Dashboard.load();
    assertThat(d.find("/")).hasValueSatisfying(a -> assertThat(a.contentType()).startsWith("text/html"));
    assertThat(d.find("/app.js")).isPresent();
    assertThat(d.find("/sw.js")).hasValueSatisfying(a -> assertThat(new String(a.body())).doesNotContain("@VERSION@"));
    assertThat(d.find("/../app.js")).isEmpty();
    assertThat(d.find("/dashboard/app.js")).isEmpty();
    assertThat(d.find("/index.html/")).isEmpty();
  }

  @Test
  void healthIsAnsweredWhileReadsOfTheCatalogHang() throws Exception {
    // found with PostgreSQL unreachable: dashboard and Prometheus reads each waited 30 s for a
    // connection, held both web threads, and a container probe of /health timed out behind them
    CountDownLatch database = new CountDownLatch(1);
    CountDownLatch waiting = new CountDownLatch(2);
    StatusServer.Sources sources = new StatusServer.Sources() {
      @Override
      public StatusServer.Response health() {
        return StatusServer.Response.json(503, "{\"status\":\"unhealthy\"}");
      }

      @Override
      public String status(int maxProblems) {
        return waitFor(waiting, database);
      }

      @Override
      public String posts(Long chatId, int limit) {
        return waitFor(waiting, database);
      }

      @Override
      public String metrics() {
        return waitFor(waiting, database);
      }
    };
    try (StatusServer server = StatusServer.start(new WebConfig("127.0.0.1", 0), sources)) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      HttpClient http = HttpClient.newHttpClient();
      List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
      for (String path : new String[] {"/api/status", "/metrics", "/api/posts", "/api/status"}) {
        reads.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString()));
      }
      waiting.await(); // two reads hang in the catalog now
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("unhealthy");
      database.countDown();
      for (CompletableFuture<HttpResponse<String>> r : reads) {
        assertThat(r.get().body()).isEqualTo("{}");
      }
    }
  }

  private static String waitFor(CountDownLatch waiting, CountDownLatch latch) {
    waiting.countDown();
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "{}";
  }
}
