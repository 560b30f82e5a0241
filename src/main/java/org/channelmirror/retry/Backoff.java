package org.channelmirror.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff policy for retries: exponential, capped, with jitter so that many items (or
 * several instances) failing together do not retry in lock-step against a recovering server.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * The wait before retry number {@code attempt} (1 for the first retry): {@code base * 2^(attempt-1)},
   * at most {@code cap}, then scaled by a random factor in [0.5, 1.0).
   */
  public static Duration delay(Duration base, int attempt, Duration cap) {
    long baseMs = Math.max(1, base.toMillis());
    int shift = Math.max(0, Math.min(attempt - 1, 30));
    long exp = baseMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMs << shift;
    long capped = Math.min(exp, cap.toMillis());
    double jitter = 0.5 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis(Math.max(1, (long) (capped * jitter)));
  }

  /** Sleeps for {@link #delay}. */
  public static void sleep(Duration base, int attempt, Duration cap) throws InterruptedException {
    Thread.sleep(delay(base, attempt, cap).toMillis());
  }
}
