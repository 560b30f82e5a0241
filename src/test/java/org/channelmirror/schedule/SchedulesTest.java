package org.channelmirror.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchedulesTest {
  @Test
  void aFireTimeMissedWhileDownRunsOnceAtStart() {
    Instant last = Instant.parse("2026-11-25T10:00:00Z");
    assertThat(Schedules.missedSince("0 0 * * * ?", Optional.of(last), Instant.parse("2026-11-25T10:30:00Z"))).isFalse();
    assertThat(Schedules.missedSince("0 0 * * * ?", Optional.of(last), Instant.parse("2026-11-25T11:00:01Z"))).isTrue();
    assertThat(Schedules.missedSince("0 0 * * * ?", Optional.of(last), Instant.parse("2026-11-27T00:00:00Z"))).isTrue();
    assertThat(Schedules.missedSince("0 0 * * * ?", Optional.empty(), Instant.now())).isFalse();
  }
}
