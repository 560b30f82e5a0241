package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The bot's pending updates and getUpdates long polling, with the real server's offset rules (BOTAPI §2.1). */
final class UpdateQueue {
  static final String CONFLICT =
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
  private static final Set<String> KNOWN = Set.of("message", "edited_message", "channel_post",
      "edited_channel_post", "business_connection", "business_message", "edited_business_message",
      "deleted_business_messages", "message_reaction", "message_reaction_count", "inline_query",
      "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
      "poll", "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
      "removed_chat_boost");
  private static final Set<String> OPT_IN = Set.of("chat_member", "message_reaction", "message_reaction_count");
  // the real server answers ~1-2 ms after the first new update, so a burst (album) often comes in one response
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private record Entry(int id, String type, ObjectNode payload, long expiresAt) {}

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private int nextId = ThreadLocalRandom.current().nextInt(2_000_001, 1_000_000_001);
  private Set<String> allowed;       // null = default set
  private long pollGeneration;
  private boolean closed;

  UpdateQueue(Clock clock) {
    this.clock = clock;
  }

  /** Queues an update unless filtered by allowed_updates; returns its id or 0. */
  int push(String type, ObjectNode payload, long expiresAtEpochSecond) {
    lock.lock();
    try {
      if (allowed == null ? OPT_IN.contains(type) : !allowed.contains(type)) {
        return 0;
      }
      int id = nextId++;
      queue.addLast(new Entry(id, type, payload, expiresAtEpochSecond));
      changed.signalAll();
      return id;
    } finally {
      lock.unlock();
    }
  }

  /** allowed_updates: JSON array of names; unknown ignored; empty/none valid = default; non-array = unchanged. */
  void setAllowed(JsonNode list) {
    if (list == null || !list.isArray()) {
      return;
    }
    Set<String> s = new HashSet<>();
    list.forEach(n -> {
      if (n.isTextual() && KNOWN.contains(n.asText())) {
        s.add(n.asText());
      }
    });
    lock.lock();
    try {
      allowed = s.isEmpty() ? null : s;
    } finally {
      lock.unlock();
    }
  }

  int pending() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** One getUpdates call; throws ApiException(409) when a newer long-poll takes over. */
  ArrayNode poll(long offset, int limit, int timeoutSeconds) throws InterruptedException {
    int lim = Math.max(1, Math.min(100, limit));
    int timeout = Math.max(0, Math.min(50, timeoutSeconds));
    lock.lock();
    try {
      dropExpired();
      confirm(offset);
      ArrayNode result = collect(lim);
      if (!result.isEmpty() || timeout == 0) {
        return result;
      }
      long my = ++pollGeneration;
      changed.signalAll(); // the previously waiting poll notices it was superseded
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      while (true) {
        if (closed) {
          return Json.array();
        }
        if (pollGeneration != my) {
          throw new ApiException(409, CONFLICT);
        }
        if (!queue.isEmpty()) {
          changed.awaitNanos(BATCH_NANOS);
          return collect(lim);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Json.array();
        }
        changed.awaitNanos(left);
      }
    } finally {
      lock.unlock();
    }
  }

  private void confirm(long offset) {
    if (offset < 0) {
      long keep = -offset;
      while (queue.size() > keep) {
        queue.removeFirst();
      }
    } else if (offset > 0 && offset <= (long) nextId + 10) {
      // far-future offsets confirm nothing and read from the head, like the real server
      while (!queue.isEmpty() && queue.peekFirst().id < offset) {
        queue.removeFirst();
      }
    }
  }

  private void dropExpired() {
    long now = clock.instant().getEpochSecond();
    queue.removeIf(e -> e.expiresAt <= now);
  }

  private ArrayNode collect(int limit) {
    ArrayNode out = Json.array();
    Iterator<Entry> it = queue.iterator();
    while (it.hasNext() && out.size() < limit) {
      Entry e = it.next();
      ObjectNode u = out.addObject();
      u.put("update_id", e.id);
      u.set(e.type, e.payload);
    }
    return out;
  }

  void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
