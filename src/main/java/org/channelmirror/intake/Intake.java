package org.channelmirror.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.IntakeBatch;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.telegram.Retries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates to catalog, at least once: each getUpdates batch is committed together with the next
 * offset, and only the following getUpdates call (carrying that offset) confirms it to Telegram.
 * A crash anywhere means the batch is fetched again; the catalog recognises replays. A webhook
 * delivery goes through the same {@link #commit} before it is answered 200, so Telegram resends
 * whatever was not committed.
 */
public final class Intake {
  private static final Logger log = LoggerFactory.getLogger(Intake.class);
  private static final int BATCH = 100;
  private static final int POLL_ATTEMPTS = 6;
  /**
   * How long a poll that got only updates without update_id waits before the next: no offset can
   * confirm them, so the server answers the same at once, and polling on would spin.
   */
  static final long UNCONFIRMABLE_PAUSE_MS = 5_000;

  private final BotApi api;
  private final Catalog catalog;
  private final UpdateNormalizer normalizer;
  private final Set<Long> left = ConcurrentHashMap.newKeySet();
  private final Set<Long> configured;
  /** Updates without a usable update_id already reported (each is answered again on every poll). */
  private final Set<String> unconfirmable = ConcurrentHashMap.newKeySet();
  private final PrivateChatHandler privateChats;
  /** Webhook deliveries commit on several threads; one at a time keeps replays and offsets simple. */
  private final Object commitLock = new Object();

  /** Answers private messages (owners' commands); may be a no-op. */
  public interface PrivateChatHandler {
    void handle(long chatId, long fromUserId, String text) throws InterruptedException;
  }

  public Intake(BotApi api, Catalog catalog, Set<Long> channels, PrivateChatHandler privateChats) {
    this.api = api;
    this.catalog = catalog;
    this.configured = Set.copyOf(channels);
    this.normalizer = new UpdateNormalizer(configured);
    this.privateChats = privateChats;
  }

  /**
   * One getUpdates call and its commit.
   *
   * @return the number of updates received (0 when the poll timed out empty)
   */
  public int pollOnce(int timeoutSeconds) throws InterruptedException {
    ObjectNode envelope = api.getUpdates(catalog.nextOffset(api.botId()), BATCH, timeoutSeconds);
    JsonNode result = envelope.get("result");
    if (result.isEmpty()) {
      return 0;
    }
    List<JsonNode> updates = new ArrayList<>(result.size());
    result.forEach(updates::add);
    if (!commit(updates, true)) {
      // nothing here can be confirmed, so the server answers it again at once: pause like an
      // empty long poll, and count it as nothing received (a catch-up ends)
      Thread.sleep(UNCONFIRMABLE_PAUSE_MS);
      return 0;
    }
    return result.size();
  }

  /**
   * Normalises webhook deliveries and commits them to the catalog (the offset stays as it is),
   * then leaves foreign chats and answers private messages. An update without a usable update_id
   * is recorded as a warning. Safe to call from several threads: commits are serialised.
   */
  public void commit(List<JsonNode> updates) throws InterruptedException {
    commit(updates, false);
  }

  /**
   * The commit of both: {@code polled} updates also set the offset that confirms them. False when
   * polled updates could not be confirmed at all (none had a usable update_id).
   */
  private boolean commit(List<JsonNode> updates, boolean polled) throws InterruptedException {
    Map<Long, IntakeBatch.ChannelSeen> channels = new LinkedHashMap<>();
    List<org.channelmirror.catalog.PostVersion> posts = new ArrayList<>();
    List<IntakeBatch.Rejected> rejected = new ArrayList<>();
    List<IntakeBatch.Warning> warnings = new ArrayList<>();
    Set<Long> foreign = new HashSet<>();
    List<UpdateNormalizer.Outcome.Private> privates = new ArrayList<>();
    long maxId = -1;
    for (JsonNode update : updates) {
      JsonNode idNode = update.get("update_id");
      if (idNode == null || !idNode.canConvertToLong()) {
        if (unconfirmable.size() < 1000 && unconfirmable.add(update.toString())) { // reported once, not every poll
          log.warn("an update without a usable update_id was skipped: {}", abbreviate(update.toString()));
          warnings.add(new IntakeBatch.Warning(null, "rejected-update", "an update without update_id was skipped: "
              + abbreviate(update.toString())));
        }
        continue;
      }
      long updateId = idNode.asLong();
      maxId = Math.max(maxId, updateId);
      UpdateNormalizer.Outcome outcome = normalizer.normalize(update);
      if (outcome instanceof UpdateNormalizer.Outcome.Post p) {
        posts.add(p.version());
        warnings.addAll(unknownFiles(p, update.has("channel_post") ? update.get("channel_post")
            : update.get("edited_channel_post")));
        channels.putIfAbsent(p.version().chatId(),
            new IntakeBatch.ChannelSeen(p.version().chatId(), p.title(), p.username(), null, 0));
      } else if (outcome instanceof UpdateNormalizer.Outcome.Membership m) {
        channels.put(m.chatId(), new IntakeBatch.ChannelSeen(m.chatId(), m.title(), m.username(), m.status(), m.date()));
        if (!m.status().equals("administrator") && !m.status().equals("creator")) {
          warnings.add(new IntakeBatch.Warning(m.chatId(), "bot-status", "the bot is now '" + m.status()
              + "' in channel " + m.chatId() + ": new posts will not reach it until you make it an administrator again"));
        }
      } else if (outcome instanceof UpdateNormalizer.Outcome.Foreign f) {
        foreign.add(f.chatId());
      } else if (outcome instanceof UpdateNormalizer.Outcome.Private pm) {
        privates.add(pm);
      } else if (outcome instanceof UpdateNormalizer.Outcome.Reject r) {
        log.warn("update {} not understood ({}); kept verbatim in the catalog", updateId, r.reason());
        rejected.add(new IntakeBatch.Rejected(updateId, r.reason(), update.toString()));
        warnings.add(new IntakeBatch.Warning(null, "rejected-update", "update " + updateId + " was not understood: " + r.reason()));
      }
    }
    if (maxId < 0 && polled) {
      // no offset can confirm these: the next poll sees them again; only the warnings are kept
      if (!warnings.isEmpty()) {
        synchronized (commitLock) {
          catalog.commit(new IntakeBatch(List.of(), List.of(), List.of(), warnings, api.botId(), 0));
        }
      }
      return false;
    }
    // in message order, so id gaps are judged correctly even if a batch arrives shuffled
    posts.sort(java.util.Comparator.comparingLong(org.channelmirror.catalog.PostVersion::chatId)
        .thenComparingLong(org.channelmirror.catalog.PostVersion::messageId));
    // a getUpdates batch is confirmed by the offset past its highest id; a webhook delivery by
    // the 200 that follows this commit, and must not move the offset: deliveries of different
    // chats arrive out of order, and an offset past an update still being retried would confirm
    // (drop) it once intake switches back to polling
    long nextOffset = polled ? maxId + 1 : 0;
    int added;
    synchronized (commitLock) {
      added = catalog.commit(new IntakeBatch(posts, List.copyOf(channels.values()), rejected, warnings,
          api.botId(), nextOffset));
    }
    log.debug("committed {} updates ({} new post versions), next offset {}", updates.size(), added,
        polled ? String.valueOf(nextOffset) : "unchanged");
    for (long chat : foreign) {
      leave(chat);
    }
    for (UpdateNormalizer.Outcome.Private pm : privates) {
      privateChats.handle(pm.chatId(), pm.fromUserId(), pm.text());
    }
    return true;
  }

  /**
   * Commits one channel post that did not come as an update (backfill rebuilds it from a
   * forward): the same normalisation and catalog path as a live post, with no update_id and the
   * getUpdates offset left as it is. A post already in the catalog (same identity) adds nothing.
   *
   * @return true when a new post version was journaled
   * @throws IllegalArgumentException the message is not a post of a configured channel, or not understood
   */
  public boolean commitPost(JsonNode channelPost) {
    UpdateNormalizer.Outcome outcome = normalizer.normalizePost(channelPost);
    if (!(outcome instanceof UpdateNormalizer.Outcome.Post p)) {
      throw new IllegalArgumentException(outcome instanceof UpdateNormalizer.Outcome.Reject r ? r.reason()
          : "not a post of a configured channel");
    }
    IntakeBatch.ChannelSeen seen = new IntakeBatch.ChannelSeen(p.version().chatId(), p.title(), p.username(), null, 0);
    synchronized (commitLock) {
      return catalog.commit(new IntakeBatch(List.of(p.version()), List.of(seen), List.of(),
          unknownFiles(p, channelPost), api.botId(), 0)) > 0;
    }
  }

  /** A warning for each file the post carries under a field this version does not know (a newer Bot API's). */
  private static List<IntakeBatch.Warning> unknownFiles(UpdateNormalizer.Outcome.Post p, JsonNode msg) {
    List<IntakeBatch.Warning> out = new ArrayList<>();
    for (String file : UpdateNormalizer.unknownFiles(msg)) {
      String why = "message " + p.version().messageId() + " carries a file of a kind this version of channel-mirror"
          + " does not back up (" + file + "): its manifest keeps the raw message, the file is not stored";
      log.warn("channel {}: {}", p.version().chatId(), why);
      out.add(new IntakeBatch.Warning(p.version().chatId(), IntakeBatch.Warning.UNKNOWN_MEDIA, why));
    }
    return out;
  }

  /**
   * Records something that arrived as an update but cannot be read as one (a webhook body that is
   * not JSON) as a visible warning, like polling records rejected updates.
   */
  public void recordUnusable(String reason, String raw) {
    log.warn("{}; recorded as a warning: {}", reason, abbreviate(raw));
    catalog.addWarning(new IntakeBatch.Warning(null, "rejected-update", reason));
  }

  /** Fetches every pending update (short polls until one comes back empty). */
  public int drain() throws InterruptedException {
    return drain(() -> false);
  }

  /** {@link #drain()}, ending after the committed batch once {@code stop} says so. */
  public int drain(java.util.function.BooleanSupplier stop) throws InterruptedException {
    int total = 0;
    int n;
    while (!stop.getAsBoolean() && (n = pollWithRetry(0)) > 0) {
      total += n;
    }
    return total;
  }

  /** pollOnce, waiting out flood control and passing faults (a bounded number of tries). */
  public int pollWithRetry(int timeoutSeconds) throws InterruptedException {
    return Retries.call("getUpdates", POLL_ATTEMPTS, () -> pollOnce(timeoutSeconds));
  }

  private void leave(long chatId) throws InterruptedException {
    if (!left.add(chatId)) {
      return;
    }
    Long meant = configuredWithoutPrefix(chatId);
    if (meant != null) {
      // the owner's own channel, most likely, listed without its -100: leaving it would end the backup
      String why = "posts arrive from channel " + chatId + ", which telegram.channels does not list; it lists "
          + meant + ": if that is meant to be this channel, write " + chatId + " (channel ids start with -100)."
          + " The bot stays in the channel and ignores its posts until then";
      log.warn(why);
      catalog.addWarningOnce(new IntakeBatch.Warning(chatId, "channel-id-mismatch", why));
      return;
    }
    log.info("chat {} is not a configured channel: ignoring its updates and leaving it", chatId);
    try {
      api.leaveChat(chatId);
    } catch (BotApiException e) {
      // forgotten, so the chat's next update tries again (flood control, a passing server error)
      left.remove(chatId);
      log.warn("could not leave chat {}: {}; trying again at its next update", chatId, e.getMessage());
    }
  }

  /** The configured id that is {@code chatId} with its "-100" left out (1234567890 or -1234567890 for -1001234567890), or null. */
  private Long configuredWithoutPrefix(long chatId) {
    String id = Long.toString(chatId);
    if (!id.startsWith("-100")) {
      return null;
    }
    String digits = id.substring(4);
    for (long c : configured) {
      if (Long.toString(Math.abs(c)).equals(digits)) {
        return c;
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
