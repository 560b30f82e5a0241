package org.channelmirror.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.IntakeBatch;
import org.channelmirror.intake.Intake;
import org.channelmirror.recovery.Pacer;
import org.channelmirror.retry.Backoff;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up posts older than the bot (BOTAPI §7): the Bot API cannot read a channel's history, but
 * forwardMessage into a staging chat returns the full message with media this bot can download.
 * Each id the catalog lacks is forwarded, rebuilt as the channel post ({@link ForwardedPost}),
 * journaled through intake exactly like a live post (the next backup run copies its media), and
 * the forward is deleted again. Resumable by construction: journaled ids are skipped next time.
 */
public final class Backfiller {
  private static final Logger log = LoggerFactory.getLogger(Backfiller.class);
  private static final int MAX_FLOOD_WAITS = 30;
  private static final int MAX_RETRIES = 5;
  private static final int MAX_REFUSALS_IN_A_ROW = 10;

  private final BotApi api;
  private final Catalog catalog;
  private final Intake intake;
  private final Clock clock;
  /** The channel as getChat answered, for the chat of reposts; null when it could not be asked. */
  private JsonNode channelChat;
  private volatile boolean stopRequested;

  /**
   * @param channel a configured channel
   * @param via the staging chat forwards go to
   * @param perMinute forwards per minute into {@code via}, evenly spaced
   * @param recheckGaps try again the ids an earlier backfill found empty (normally skipped)
   */
  public record Options(long channel, long via, long from, long to, boolean dryRun, int perMinute,
      boolean recheckGaps) {}

  /** Hears how the run goes; called on the working thread. */
  public interface Progress {
    default void planned(long ids, int perMinute) {}

    default void tried(Outcome outcome) {}
  }

  /** What one id turned out to be. */
  public enum Outcome { FOUND, GAP, NOT_FORWARDABLE, FAILED }

  public Backfiller(BotApi api, Catalog catalog, Intake intake, Clock clock) {
    this.api = api;
    this.catalog = catalog;
    this.intake = intake;
    this.clock = clock;
  }

  /** Ends the run after the id being fetched now (Ctrl-C, SIGTERM). */
  public void requestStop() {
    stopRequested = true;
  }

  public BackfillReport run(Options o, Progress progress) throws InterruptedException {
    Set<Long> known = catalog.knownMessageIds(o.channel(), o.from(), o.to());
    // ids are never reused: an id found empty once stays empty, and asking again costs a forward
    Set<Long> gaps = o.recheckGaps() ? Set.of() : catalog.backfillGaps(o.channel(), o.from(), o.to());
    List<Long> toTry = new ArrayList<>();
    int knownGaps = 0;
    for (long id = o.from(); id <= o.to(); id++) {
      if (known.contains(id)) {
        continue;
      }
      if (gaps.contains(id)) {
        knownGaps++;
      } else {
        toTry.add(id);
      }
    }
    Run run = new Run(o, toTry, known.size(), knownGaps, progress);
    if (o.dryRun()) {
      return run.report(null, false);
    }
    String protectedChannel = protectedContent(o.channel());
    if (protectedChannel != null) {
      catalog.addWarning(new IntakeBatch.Warning(o.channel(), "backfill", protectedChannel));
      return run.report(protectedChannel, false);
    }
    return run.run();
  }

  /** A message when the channel has "Restrict saving content" on (nothing can be forwarded), else null. */
  private String protectedContent(long channel) throws InterruptedException {
    try {
      channelChat = api.chat(Long.toString(channel));
      if (channelChat.path("has_protected_content").asBoolean(false)) {
        return "channel " + channel + " has \"Restrict saving content\" turned on: Telegram refuses to forward any"
            + " of its posts, so older posts cannot be backfilled. Turn it off (channel settings, Channel type,"
            + " Content protection), run backfill, then turn it on again";
      }
    } catch (BotApiException e) {
      // not decisive: each forward says it again if so
      log.warn("backfill: could not ask Telegram about channel {} ({}); going on", channel, e.getMessage());
    }
    return null;
  }

  private final class Run {
    private final Options o;
    private final List<Long> toTry;
    private final int alreadyKnown;
    private final int knownGaps;
    private final Progress progress;
    private final Pacer pacer;
    private final List<Long> notForwardable = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final List<String> deleteWarnings = new ArrayList<>();
    private int tried;
    private int found;
    private int gaps;
    private int refusalsInARow;

    Run(Options o, List<Long> toTry, int alreadyKnown, int knownGaps, Progress progress) {
      this.o = o;
      this.toTry = toTry;
      this.alreadyKnown = alreadyKnown;
      this.knownGaps = knownGaps;
      this.progress = progress;
      this.pacer = Pacer.onePer(clock, Duration.ofMillis(Math.max(1, 60_000L / o.perMinute())));
    }

    BackfillReport run() {
      progress.planned(toTry.size(), o.perMinute());
      log.info("backfill of channel {} via chat {}: {} id(s) to try between {} and {} ({} already journaled, {} known"
          + " gaps)", o.channel(), o.via(), toTry.size(), o.from(), o.to(), alreadyKnown, knownGaps);
      String stopped = null;
      boolean cannotRun = false;
      try {
        for (long id : toTry) {
          if (stopRequested || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
          Outcome outcome = fetch(id);
          tried++;
          progress.tried(outcome);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = "interrupted after " + tried + " of " + toTry.size() + " id(s); run the same command again to"
            + " continue (journaled ids are skipped)";
      } catch (Stop e) {
        stopped = e.getMessage();
        cannotRun = e.cannotRun;
      }
      if (!notForwardable.isEmpty()) {
        catalog.addWarning(new IntakeBatch.Warning(o.channel(), "backfill", "backfill: Telegram refused to forward "
            + notForwardable.size() + " post(s) of channel " + o.channel() + " (\"the message can't be forwarded\"):"
            + " messages " + Ranges.of(notForwardable)));
      }
      return report(stopped, cannotRun);
    }

    BackfillReport report(String stopped, boolean cannotRun) {
      return new BackfillReport(o.channel(), o.via(), o.from(), o.to(), o.dryRun(), List.copyOf(toTry), alreadyKnown,
          knownGaps, tried, found, gaps, List.copyOf(notForwardable), List.copyOf(failed), List.copyOf(deleteWarnings),
          stopped, cannotRun);
    }

    private Outcome fetch(long id) throws InterruptedException, Stop {
      pacer.await(1);
      int floods = 0;
      int retries = 0;
      while (true) {
        JsonNode forwarded;
        try {
          forwarded = api.forwardMessage(o.via(), o.channel(), id);
        } catch (BotApiException e) {
          switch (e.kind()) {
            case FLOOD -> {
              if (++floods > MAX_FLOOD_WAITS) {
                throw new Stop("Telegram kept answering 'too many requests' at message " + id + "; nothing is lost,"
                    + " run the same command again later to continue", false);
              }
              // the Bot API gate holds the next forwardMessage until retry_after has passed
              log.info("backfill: {}; waiting {} s", e.getMessage(), e.retryAfterSeconds());
              if (stopRequested) {
                throw new InterruptedException();
              }
              continue;
            }
            case RETRYABLE -> {
              if (++retries >= MAX_RETRIES) {
                throw new Stop("cannot reach Telegram (" + e.getMessage() + "); nothing is lost, run the same"
                    + " command again to continue", true);
              }
              long wait = Backoff.delay(Duration.ofSeconds(1), retries, Duration.ofSeconds(30)).toMillis();
              log.warn("backfill: message {}: {}; trying again in {} ms", id, e.getMessage(), wait);
              Thread.sleep(wait);
              continue;
            }
            default -> {
              return refused(id, e);
            }
          }
        }
        refusalsInARow = 0;
        return journal(id, forwarded);
      }
    }

    /**
     * Telegram refused the forward. Its error code alone cannot tell a deleted post from an
     * unforwardable one (both 400), so the description decides here (BOTAPI §7 lists the texts).
     */
    private Outcome refused(long id, BotApiException e) throws Stop {
      String text = e.getMessage().toLowerCase(Locale.ROOT);
      if (text.contains("message to forward not found") || text.contains("message_id_invalid")) {
        gaps++;
        catalog.addBackfillGap(o.channel(), id);
        log.debug("backfill: message {} does not exist (deleted, or a service message)", id);
        return Outcome.GAP;
      }
      if (text.contains("can't be forwarded") || text.contains("cannot be forwarded")) {
        notForwardable.add(id);
        log.warn("backfill: Telegram refuses to forward message {} of channel {}", id, o.channel());
        return Outcome.NOT_FORWARDABLE;
      }
      if (e.errorCode() == 401) {
        throw new Stop(e.getMessage() + " (is telegram.token right?)", true);
      }
      if (e.errorCode() == 403) {
        throw new Stop("Telegram does not let the bot post into the staging chat " + o.via() + " (" + e.getMessage()
            + "). If it is your private chat with the bot: open the bot in Telegram, press Start (or send /start),"
            + " and unblock it if you blocked it. If it is a group or channel: add the bot there and let it post"
            + " messages. Or choose another chat with --via", true);
      }
      if (text.contains("chat not found")) {
        throw new Stop("Telegram does not know chat " + o.via() + " or channel " + o.channel() + " (" + e.getMessage()
            + "): check --via and that the bot is an administrator of the channel", true);
      }
      failed.add("message " + id + ": " + e.getMessage());
      if (++refusalsInARow >= MAX_REFUSALS_IN_A_ROW) {
        throw new Stop("Telegram refused " + refusalsInARow + " forwards in a row, the last: " + e.getMessage(), true);
      }
      return Outcome.FAILED;
    }

    /** Commits the post first, then cleans up: a crash between the two leaves a stray forward, never a lost post. */
    private Outcome journal(long id, JsonNode forwarded) throws InterruptedException {
      Outcome outcome;
      try {
        // a repost's own date is not in the forward: the post is no older than the one before it
        ObjectNode post = ForwardedPost.toChannelPost(forwarded, channelChat, o.channel(), id,
            () -> catalog.latestPostDateBefore(o.channel(), id));
        intake.commitPost(post);
        found++;
        outcome = Outcome.FOUND;
        log.debug("backfill: message {} journaled", id);
      } catch (IllegalArgumentException e) {
        failed.add("message " + id + ": " + e.getMessage());
        log.warn("backfill: message {}: {}", id, e.getMessage());
        outcome = Outcome.FAILED;
      }
      deleteForward(forwarded.path("message_id").asLong(0));
      return outcome;
    }

    private void deleteForward(long forwardId) throws InterruptedException {
      if (forwardId <= 0) {
        return;
      }
      for (int attempt = 1; ; attempt++) {
        try {
          api.deleteMessage(o.via(), forwardId);
          return;
        } catch (BotApiException e) {
          if (e.kind() != BotApiException.Kind.PERMANENT && attempt < 3) {
            continue; // flood control waits in the gate; a passing fault is tried again
          }
          String w = "could not delete the forward " + forwardId + " from chat " + o.via() + ": " + e.getMessage();
          log.warn("backfill: {}; delete it by hand", w);
          deleteWarnings.add(w);
          return;
        }
      }
    }
  }

  /** Ends the run early; {@code cannotRun} when nothing more can work (exit 3). */
  private static final class Stop extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean cannotRun;

    Stop(String message, boolean cannotRun) {
      super(message, null, false, false);
      this.cannotRun = cannotRun;
    }
  }
}
