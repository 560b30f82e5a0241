package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
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
}
