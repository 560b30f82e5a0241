package org.channelmirror.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void growsExponentiallyWithinHalfAndFullAndStopsAtTheCap() {
    Duration base = Duration.ofSeconds(1);
    Duration cap = Duration.ofSeconds(30);
    Set<Long> seen = new HashSet<>();
    for (int attempt = 1; attempt <= 40; attempt++) {
      long full = Math.min(1000L << Math.min(attempt - 1, 30), 30_000L);
      for (int i = 0; i < 50; i++) {
        long d = Backoff.delay(base, attempt, cap).toMillis();
        assertThat(d).as("attempt %d", attempt).isBetween(full / 2, full);
        seen.add(d);
      }
    }
    assertThat(seen.size()).as("jittered, not lock-step").isGreaterThan(100);
  }
}
