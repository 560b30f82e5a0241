package org.channelmirror.telegram;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Holds back Bot API calls so Telegram's flood control is obeyed exactly and rarely met:
 * <ul>
 *   <li>a global budget spaces all calls (except the long poll) to {@code requestsPerSecond};
 *   <li>after a 429 with {@code retry_after = N}, no call of that method leaves for N seconds;
 *   <li>until a method has answered successfully (at start, and again after each 429), its calls
 *       go out one at a time, so no second call is already in flight when a 429 comes back.
 * </ul>
 * The file server (downloads) has a gate of its own, without the budget: {@link BotApi#fileServerGate()}.
 */
public final class FloodGate {
  private final Clock clock;
  private final long minIntervalNanos;
  private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> probes = new ConcurrentHashMap<>();
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private long nextSlot;

  public FloodGate(Clock clock, double requestsPerSecond) {
    this.clock = clock;
    this.minIntervalNanos = requestsPerSecond <= 0 ? 0 : (long) (1_000_000_000L / requestsPerSecond);
  }

  /** A call that may leave now; {@link #done} must follow it. */
  public final class Pass {
    private final String key;
    private final Semaphore probe;

    private Pass(String key, Semaphore probe) {
      this.key = key;
      this.probe = probe;
    }
  }

  /** Waits until a call of {@code method} may leave. */
  public Pass enter(String method) throws InterruptedException {
    String key = key(method);
    if (!key.equals("getupdates")) {
      pace();
    }
    Semaphore probe = null;
    if (!open.contains(key)) {
      probe = probes.computeIfAbsent(key, k -> new Semaphore(1));
      probe.acquire();
      if (open.contains(key)) { // the probe before us succeeded: no need to go alone
        probe.release();
        probe = null;
      }
    }
    try {
      awaitUnblocked(key);
    } catch (InterruptedException e) {
      if (probe != null) {
        probe.release();
      }
      throw e;
    }
    return new Pass(key, probe);
  }

  /** Ends a call: {@code ok} when Telegram answered without flood control. */
  public void done(Pass pass, boolean ok) {
    if (ok) {
      open.add(pass.key);
    }
    if (pass.probe != null) {
      pass.probe.release();
    }
  }

  public void block(String method, int retryAfterSeconds) {
    String key = key(method);
    // a small margin: retry_after is whole seconds, and clocks differ by a little
    Instant until = clock.instant().plusSeconds(Math.max(1, retryAfterSeconds)).plusMillis(250);
    blockedUntil.merge(key, until, (a, b) -> a.isAfter(b) ? a : b);
    open.remove(key);
  }

  private void awaitUnblocked(String key) throws InterruptedException {
    while (true) {
      Instant until = blockedUntil.get(key);
      Duration wait = until == null ? Duration.ZERO : Duration.between(clock.instant(), until);
      if (wait.isNegative() || wait.isZero()) {
        return;
      }
      Thread.sleep(Math.max(1, wait.toMillis()));
    }
  }

  private void pace() throws InterruptedException {
    if (minIntervalNanos == 0) {
      return;
    }
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
