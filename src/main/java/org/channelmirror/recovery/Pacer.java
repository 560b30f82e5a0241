package org.channelmirror.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a restore at or below {@code perMinute} messages per rolling minute into one chat
 * (Telegram's guidance for groups, BOTAPI §4; an album counts as one message per item).
 */
final class Pacer {
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private final Clock clock;
  private final int perMinute;
  private final Deque<Instant> sent = new ArrayDeque<>();

  Pacer(Clock clock, int perMinute) {
    if (perMinute < 1) {
      throw new IllegalArgumentException("messages per minute must be at least 1, was " + perMinute);
    }
    this.clock = clock;
    this.perMinute = perMinute;
  }

  /** Waits until {@code messages} more fit into the window, then counts them as sent now. */
  void await(int messages) throws InterruptedException {
    int n = Math.min(messages, perMinute);
    while (true) {
      Instant now = clock.instant();
      while (!sent.isEmpty() && !sent.peekFirst().plus(WINDOW).isAfter(now)) {
        sent.removeFirst();
      }
      if (sent.size() + n <= perMinute) {
        break;
      }
      Duration wait = Duration.between(now, sent.peekFirst().plus(WINDOW));
      Thread.sleep(Math.max(1, wait.toMillis()));
    }
    Instant now = clock.instant();
    for (int i = 0; i < n; i++) {
      sent.addLast(now);
    }
  }
}
