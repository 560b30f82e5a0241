package org.channelmirror.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds back calls while Telegram's flood control is in force: after a 429 with
 * {@code retry_after = N}, no call of that method leaves before N seconds have passed.
 * Also spaces all calls to a global budget so we rarely meet flood control at all.
 */
final class FloodGate {
  private final Clock clock;
  private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
  private final long minIntervalNanos;
  private long nextSlot;

  FloodGate(Clock clock, double requestsPerSecond) {
    this.clock = clock;
    this.minIntervalNanos = (long) (1_000_000_000L / requestsPerSecond);
  }

  void block(String method, int retryAfterSeconds) {
    // +1 s margin: retry_after is whole seconds and Telegram rounds down
    Instant until = clock.instant().plusSeconds(Math.max(1, retryAfterSeconds)).plusMillis(250);
    blockedUntil.merge(key(method), until, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Waits until a call of {@code method} may leave. */
  void await(String method) throws InterruptedException {
    Instant until = blockedUntil.get(key(method));
    while (until != null) {
      Duration wait = Duration.between(clock.instant(), until);
      if (wait.isNegative() || wait.isZero()) {
        break;
      }
      Thread.sleep(Math.max(1, wait.toMillis()));
    }
    // getFile is a read that every media transfer starts with: Telegram's documented limits are
    // for sending; pacing it with the sends capped backups at 25 files/s. A 429 still blocks it.
    if (!method.equalsIgnoreCase("getUpdates") && !method.equalsIgnoreCase("getFile")) {
      pace();
    }
  }

  private void pace() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlot);
      nextSlot = slot + minIntervalNanos;
      wait = slot - now;
    }
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  private static String key(String method) {
    return method.toLowerCase(Locale.ROOT);
  }
}
