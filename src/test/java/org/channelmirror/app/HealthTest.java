package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.channelmirror.TcpForwarder;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.web.StatusServer;
import org.junit.jupiter.api.Test;

/** /health's verdict: intake heard from within the grace period, and a catalog that answers. */
class HealthTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T00:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private static JsonNode json(StatusServer.Response r) throws Exception {
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void intakeSilentLongerThanTheGraceIsUnhealthyAndTheLastErrorSaysWhy() throws Exception {
    try (Catalog catalog = Catalog.open("jdbc:h2:mem:health-" + System.nanoTime(), "", "", 2)) {
      Health health = new Health(clock, Duration.ofSeconds(170));
      assertThat(health.check(catalog).code()).isEqualTo(200); // just started: not yet overdue
      health.polled(0);
      now.set(now.get().plusSeconds(100));
      health.failed("receiving updates: getUpdates failed: [502] Bad Gateway");
      StatusServer.Response r = health.check(catalog);
      assertThat(r.code()).isEqualTo(200);
      assertThat(json(r).path("intake").path("last_error").asText()).contains("502");
      now.set(now.get().plusSeconds(71));
      r = health.check(catalog);
      assertThat(r.code()).isEqualTo(503);
      assertThat(json(r).path("status").asText()).isEqualTo("unhealthy");
      assertThat(json(r).path("intake").path("ok").asBoolean()).isFalse();
      assertThat(json(r).path("intake").path("seconds_since").asLong()).isEqualTo(171);
      health.polled(5);
      assertThat(health.check(catalog).code()).isEqualTo(200);
      assertThat(health.updatesReceived()).isEqualTo(5); // what /metrics counts
      assertThat(health.intakeFailures()).isEqualTo(1);
    }
  }

  @Test
  void aCatalogThatDoesNotAnswerIsUnhealthy() throws Exception {
    Catalog catalog = Catalog.open("jdbc:h2:mem:health-" + System.nanoTime(), "", "", 2);
    Health health = new Health(clock, Duration.ofSeconds(170));
    health.polled(0);
    catalog.close();
    StatusServer.Response r = health.check(catalog);
    assertThat(r.code()).isEqualTo(503);
    assertThat(json(r).path("catalog").asText()).isNotEqualTo("ok").isNotEmpty();
  }

  @Test
  void aCatalogServerThatStoppedAnsweringIsReportedWithinTheWaitNotAfterThePoolsTimeout() throws Exception {
    // the pool waits 30 s for a connection to a server that does not answer; a probe must get its
    // 503 first, as an answer rather than a timeout of its own
    org.h2.tools.Server server = org.h2.tools.Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    TcpForwarder network = new TcpForwarder(server.getPort());
    try (Catalog catalog = Catalog.open("jdbc:h2:tcp://127.0.0.1:" + network.port() + "/mem:health-"
             + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "", "", 2)) {
      Health health = new Health(clock, Duration.ofSeconds(170));
      health.polled(0);
      assertThat(health.check(catalog).code()).isEqualTo(200);
      network.partition();
      // a pooled connection fails at once ("connection is broken"); the pool checks one that was idle
      // for more than 0.5 s, drops it, and then waits for a new one, which hangs
      StatusServer.Response r = health.check(catalog);
      for (int i = 0; i < 3 && !json(r).path("catalog").asText().startsWith("the catalog did not"); i++) {
        assertThat(r.code()).isEqualTo(503);
        Thread.sleep(600);
        r = health.check(catalog);
      }
      assertThat(r.code()).isEqualTo(503);
      assertThat(json(r).path("catalog").asText()).isEqualTo("the catalog did not answer within 3 s (is the"
          + " database server reachable?)");
      // the next check waits for the same question instead of asking again
      assertThat(json(health.check(catalog)).path("catalog").asText()).startsWith("the catalog did not answer");
      network.close(); // ends the connection attempt that hangs, so closing the pool need not wait for it
    } finally {
      network.close();
      server.stop();
    }
  }

  private static JsonNode info(String url, int pending, long errorDate, String error) throws Exception {
    String json = "{\"url\":\"" + url + "\",\"pending_update_count\":" + pending
        + (error == null ? "" : ",\"last_error_date\":" + errorDate + ",\"last_error_message\":\"" + error + "\"") + "}";
    return new ObjectMapper().readTree(json);
  }

  @Test
  void inWebhookModeSilenceIsFineButADeliveryErrorOrALostWebhookOutlastingTheGraceIsNot() throws Exception {
    String ours = "https://backup.example.com/tg/hook";
    try (Catalog catalog = Catalog.open("jdbc:h2:mem:health-wh-" + System.nanoTime(), "", "", 2)) {
      Health health = new Health(clock, Duration.ofSeconds(170));
      health.useWebhook(ours, Duration.ofMinutes(2));
      long started = now.get().getEpochSecond();
      // an error from before the start (Telegram could not reach us while we were down) does not count
      health.webhookInfo(info(ours, 3, started - 60, "Connection refused"));
      now.set(now.get().plusSeconds(3600)); // hours without a post
      StatusServer.Response r = health.check(catalog);
      assertThat(r.code()).isEqualTo(200);
      JsonNode intake = json(r).path("intake");
      assertThat(intake.path("mode").asText()).isEqualTo("webhook");
      assertThat(intake.path("webhook").path("last_error_message").asText()).isEqualTo("Connection refused");
      assertThat(intake.path("webhook").path("pending_update_count").asInt()).isEqualTo(3);

      health.delivered(1);
      now.set(now.get().plusSeconds(10));
      long errorAt = now.get().getEpochSecond();
      health.webhookInfo(info(ours, 2, errorAt, "Wrong response from the webhook: 502 Bad Gateway"));
      now.set(now.get().plusSeconds(119));
      assertThat(health.check(catalog).code()).as("within the grace").isEqualTo(200);
      now.set(now.get().plusSeconds(2));
      health.webhookInfo(info(ours, 2, errorAt, "Wrong response from the webhook: 502 Bad Gateway"));
      r = health.check(catalog);
      assertThat(r.code()).isEqualTo(503);
      assertThat(json(r).path("intake").path("webhook").path("problem").asText()).contains("502 Bad Gateway");
      // a delivery after the error heals it
      health.delivered(1);
      health.webhookInfo(info(ours, 1, errorAt, "Wrong response from the webhook: 502 Bad Gateway"));
      assertThat(health.check(catalog).code()).isEqualTo(200);
      // nothing waiting: an old error is no problem either
      now.set(now.get().plusSeconds(5));
      health.webhookInfo(info(ours, 0, now.get().getEpochSecond(), "Connection refused"));
      now.set(now.get().plusSeconds(600));
      health.webhookInfo(info(ours, 0, now.get().getEpochSecond() - 590, "Connection refused"));
      assertThat(health.check(catalog).code()).isEqualTo(200);

      // someone else's URL, or none: unhealthy once it outlasts the grace
      health.webhookInfo(info("https://other.example/hook", 0, 0, null));
      now.set(now.get().plusSeconds(121));
      health.webhookInfo(info("", 0, 0, null));
      r = health.check(catalog);
      assertThat(r.code()).isEqualTo(503);
      assertThat(json(r).path("intake").path("webhook").path("ours").asBoolean()).isFalse();
      assertThat(json(r).path("intake").path("webhook").path("problem").asText()).contains("no webhook is registered");
      health.webhookInfo(info(ours, 0, 0, null));
      assertThat(health.check(catalog).code()).isEqualTo(200);
      assertThat(health.updatesReceived()).isEqualTo(2);
    }
  }
}
