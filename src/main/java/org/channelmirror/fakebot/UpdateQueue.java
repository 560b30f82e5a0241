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
  static final String WEBHOOK_ACTIVE =
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
  static final String TERMINATED_BY_SET_WEBHOOK = "Conflict: terminated by setWebhook request";
  private static final Set<String> KNOWN = Set.of("message", "edited_message", "channel_post",
      "edited_channel_post", "business_connection", "business_message", "edited_business_message",
      "deleted_business_messages", "message_reaction", "message_reaction_count", "inline_query",
      "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query", "purchased_paid_media",
      "poll", "poll_answer", "my_chat_member", "chat_member", "chat_join_request", "chat_boost",
      "removed_chat_boost");
  private static final Set<String> OPT_IN = Set.of("chat_member", "message_reaction", "message_reaction_count");
  // the real server answers ~1-2 ms after the first new update, so a burst (album) often comes in one response
  private static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  /** One pending update. */
  record Entry(int id, String type, ObjectNode payload, long expiresAt) {
    /** The chat it belongs to (webhook delivery keeps order per chat); 0 when it has none. */
    long chatId() {
      return payload.path("chat").path("id").asLong(0);
    }

    /** The update as Telegram sends it. */
    ObjectNode json() {
      ObjectNode u = Json.object();
      u.put("update_id", id);
      u.set(type, payload);
      return u;
    }
  }

  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private int nextId = ThreadLocalRandom.current().nextInt(2_000_001, 1_000_000_001);
  private Set<String> allowed;       // null = default set
  private long pollGeneration;
  private String supersededBy = CONFLICT;
  private boolean webhookActive;
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
      if (webhookActive) {
        throw new ApiException(409, WEBHOOK_ACTIVE);
      }
      dropExpired();
      confirm(offset);
      ArrayNode result = collect(lim);
      if (!result.isEmpty() || timeout == 0) {
        return result;
      }
      long my = ++pollGeneration;
      supersededBy = CONFLICT;
      changed.signalAll(); // the previously waiting poll notices it was superseded
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
      while (true) {
        if (closed) {
          return Json.array();
        }
        if (pollGeneration != my) {
          throw new ApiException(409, supersededBy);
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

  /**
   * setWebhook / deleteWebhook: while a webhook is active getUpdates answers 409, and setting one
   * ends a waiting long poll with 409 (BOTAPI §2.3).
   */
  void webhookActive(boolean active) {
    lock.lock();
    try {
      if (active && !webhookActive) {
        pollGeneration++;
        supersededBy = TERMINATED_BY_SET_WEBHOOK;
      }
      webhookActive = active;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** drop_pending_updates. */
  void clear() {
    lock.lock();
    try {
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  /**
   * For webhook delivery: the oldest pending update of each chat that {@code ready} accepts, in
   * queue order, at most {@code max}. A chat not ready is skipped whole, so its order holds.
   */
  java.util.List<Entry> heads(java.util.function.LongPredicate ready, int max) {
    lock.lock();
    try {
      dropExpired();
      java.util.List<Entry> out = new java.util.ArrayList<>();
      Set<Long> seen = new HashSet<>();
      for (Entry e : queue) {
        if (out.size() >= max) {
          break;
        }
        if (seen.add(e.chatId()) && ready.test(e.chatId())) {
          out.add(e);
        }
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** A delivered update leaves the queue. */
  void remove(int id) {
    lock.lock();
    try {
      queue.removeIf(e -> e.id == id);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until something changes (an update is queued or removed, a webhook set) or the time is up. */
  void awaitChange(long nanos) throws InterruptedException {
    lock.lock();
    try {
      if (!closed) {
        changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes whoever waits in {@link #awaitChange}. */
  void poke() {
    lock.lock();
    try {
      changed.signalAll();
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
      out.add(it.next().json());
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
