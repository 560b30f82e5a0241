package org.channelmirror.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a restore at or below {@code perMinute} messages per rolling minute into one chat
 * (Telegram's guidance for groups, BOTAPI §4; an album counts as one message per item).
 * Backfill uses it with a short window: one forward per interval, never a burst.
 */
public final class Pacer {
  private final Duration window;
  private final Clock clock;
  private final int perWindow;
  private final Deque<Instant> sent = new ArrayDeque<>();

  Pacer(Clock clock, int perMinute) {
    this(clock, perMinute, Duration.ofMinutes(1));
  }

  private Pacer(Clock clock, int perWindow, Duration window) {
    if (perWindow < 1) {
      throw new IllegalArgumentException("messages per window must be at least 1, was " + perWindow);
    }
    this.clock = clock;
    this.perWindow = perWindow;
    this.window = window;
  }

  /** At most one message per {@code interval}: evenly spaced, no bursts (backfill's forwards). */
  public static Pacer onePer(Clock clock, Duration interval) {
    return new Pacer(clock, 1, interval);
  }

  /** Waits until {@code messages} more fit into the window, then counts them as sent now. */
  public void await(int messages) throws InterruptedException {
    int n = Math.min(messages, perWindow);
    while (true) {
      Instant now = clock.instant();
      while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
        sent.removeFirst();
      }
      if (sent.size() + n <= perWindow) {
        break;
      }
      Duration wait = Duration.between(now, sent.peekFirst().plus(window));
      Thread.sleep(Math.max(1, wait.toMillis()));
    }
    Instant now = clock.instant();
    for (int i = 0; i < n; i++) {
      sent.addLast(now);
    }
  }
}
