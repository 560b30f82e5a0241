package org.channelmirror.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.backfill.BackfillReport;
import org.channelmirror.backfill.Backfiller;
import org.channelmirror.backfill.Ranges;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigException;
import org.channelmirror.config.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "backfill", mixinStandardHelpOptions = true,
    header = "Back up a channel's older posts (from before the bot joined) by forwarding them to a staging chat.",
    description = {"The Bot API cannot read a channel's history, so the bot forwards each post the catalog does not"
        + " have yet (ids --from..--to) into a staging chat, journals the channel post the forward copies (text,"
        + " formatting, media) exactly like a live post, and deletes the forward again. Then one backup pass copies"
        + " the media into the bucket, as `sync` would; manifests of these posts say \"source\": \"backfill\".",
        "",
        "Staging chat (--via): your private chat with the bot (you must have sent it /start), or a private group or"
        + " channel where the bot may post. Default: the first of telegram.owners.",
        "",
        "At most --rate forwards a minute (default 60, Telegram's limit for one chat): 1,000 posts take about"
        + " 17 minutes. Flood control (429) is waited out. Resumable: ids already journaled, and ids an earlier run"
        + " found empty, are skipped, so running it again continues; Ctrl-C stops after the current id.",
        "",
        "Limits: albums come back as separate posts (a single forward has no media_group_id); edits made earlier are"
        + " not visible (the forward shows the current content, journaled as the original); views and reactions are"
        + " not copied; a channel with \"Restrict saving content\" cannot be backfilled at all. Deleted posts and"
        + " service messages count as gaps."},
    footer = {"%nExit status:%n"
        + "  0  every post found is journaled (and its media stored)%n"
        + "  1  some posts not forwardable, or some media not stored (each is listed)%n"
        + "  2  configuration error or bad usage (the message says what to set)%n"
        + "  3  could not run: the staging chat refuses the bot, or Telegram, catalog or%n     storage unreachable%n"})
final class BackfillCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--channel", required = true, paramLabel = "ID",
      description = "The channel to backfill: one of telegram.channels, e.g. -1001234567890.")
  long channel;

  @Option(names = "--via", paramLabel = "CHAT",
      description = "Staging chat's numeric id: your user id (private chat with the bot), or a group or channel"
          + " (default: the first of telegram.owners).")
  Long via;

  @Option(names = "--from", paramLabel = "N", defaultValue = "1", description = "First message id (default: ${DEFAULT-VALUE}).")
  long from;

  @Option(names = "--to", paramLabel = "M",
      description = "Last message id (default: the highest the catalog has for the channel). A post's id is the"
          + " last number of its link: t.me/c/1234567890/M (Copy Post Link).")
  Long to;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "60",
      description = "At most N forwards per minute into the staging chat, evenly spaced (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--dry-run", description = "List the ids that would be tried, without forwarding anything.")
  boolean dryRun;

  @Option(names = "--no-sync", description = "Journal the posts only; the next `sync` or `run` backs up their media.")
  boolean noSync;

  @Option(names = "--recheck-gaps",
      description = "Also try the ids an earlier backfill found empty (deleted posts, service messages); they are"
          + " skipped otherwise, since Telegram never reuses a message id.")
  boolean recheckGaps;

  @Override
  public Integer call() throws Exception {
    if (rate < 1 || rate > 3000) {
      throw new ConfigException("--rate must be between 1 and 3000 forwards per minute, not " + rate);
    }
    if (from < 1) {
      throw new ConfigException("--from must be 1 or more, not " + from);
    }
    Config config = cli.loadConfig();
    List<Long> channels = config.telegram().channels();
    if (!channels.contains(channel)) {
      throw new ConfigException("--channel " + channel + " is not in telegram.channels " + channels
          + ": add it there first (the bot must be an administrator of it)");
    }
    long staging = stagingChat(config);
    try (GracefulStop stop = GracefulStop.install("backfill", Duration.ofSeconds(60));
         Application app = Application.start(config)) {
      long last = to != null ? to : app.catalog().maxMessageId(channel);
      if (last == 0) {
        throw new ConfigException("the catalog has no post of channel " + channel + " yet, so the newest id is"
            + " unknown: give --to M, the id of the channel's newest post (in Telegram: the post's menu, Copy Post"
            + " Link; the link ends in it: t.me/c/" + String.valueOf(channel).replaceFirst("^-100", "") + "/M)");
      }
      if (last < from) {
        throw new ConfigException("--to " + last + " is below --from " + from);
      }
      Backfiller backfiller = new Backfiller(app.api(), app.catalog(), app.intake(), Clock.systemUTC());
      stop.onStop(backfiller::requestStop); // after the current id: its post journaled, its forward deleted
      BackfillProgressBar bar = dryRun ? new BackfillProgressBar(new TerminalLine(System.err, false))
          : BackfillProgressBar.forTerminal();
      BackfillReport report;
      try {
        report = backfiller.run(new Backfiller.Options(channel, staging, from, last, dryRun, rate, recheckGaps), bar);
      } finally {
        bar.finish();
      }
      int code = print(report, System.out);
      if (report.dryRun() || report.cannotRun() || noSync || stop.requested()) {
        if (!report.dryRun() && !report.cannotRun() && report.found() > 0) {
          System.out.println("the media of the posts found are backed up by the next `sync` or `run`");
        }
        return code;
      }
      ProgressBar media = ProgressBar.forTerminal();
      BackupReport backup;
      try {
        backup = app.backupPass(media);
      } finally {
        media.finish();
      }
      return Math.max(code, Summaries.print(backup, System.out, System.err));
    }
  }

  private long stagingChat(Config config) {
    long chat;
    if (via != null) {
      chat = via;
    } else if (!config.telegram().owners().isEmpty()) {
      chat = config.telegram().owners().get(0);
    } else {
      throw new ConfigException("backfill needs a staging chat to forward posts into: set telegram.owners to your"
          + " Telegram user id (then send /start to the bot), or give --via CHAT (a private group or channel where"
          + " the bot may post)");
    }
    if (chat == channel) {
      throw new ConfigException("--via must be another chat than the channel itself: forwarding into it would"
          + " re-post its history there");
    }
    return chat;
  }

  private static String knownGaps(BackfillReport r) {
    return r.knownGaps() == 0 ? "" : ", " + r.knownGaps() + " gap(s) found by an earlier backfill skipped"
        + " (--recheck-gaps tries them again)";
  }

  static int print(BackfillReport r, PrintStream out) {
    if (r.dryRun()) {
      out.printf("backfill of channel %d via chat %d would try %d id(s) of %d-%d (%d already journaled%s)%s%n",
          r.channel(), r.via(), r.toTry().size(), r.from(), r.to(), r.alreadyKnown(), knownGaps(r),
          r.toTry().isEmpty() ? "" : ": " + Ranges.of(r.toTry()));
      return ExitCodes.OK;
    }
    out.printf("backfill of channel %d via chat %d, messages %d-%d: %d already journaled%s, %d of %d id(s) tried%n",
        r.channel(), r.via(), r.from(), r.to(), r.alreadyKnown(), knownGaps(r), r.tried(), r.toTry().size());
    out.printf("  found %d post(s), %d gap(s) (deleted posts or service messages), %d not forwardable, %d failed%n",
        r.found(), r.gaps(), r.notForwardable().size(), r.failed().size());
    if (!r.notForwardable().isEmpty()) {
      out.println("not forwardable (Telegram: \"the message can't be forwarded\"), not backed up: messages "
          + Ranges.of(r.notForwardable()));
    }
    if (!r.failed().isEmpty()) {
      out.println("failed:");
      r.failed().forEach(f -> out.println("  " + Secrets.redact(f)));
    }
    if (!r.deleteWarnings().isEmpty()) {
      out.println("warning: forwards left in the staging chat (delete them by hand):");
      r.deleteWarnings().forEach(w -> out.println("  " + Secrets.redact(w)));
    }
    if (r.found() > 0) {
      out.println("note: albums come back as separate posts (a single forward has no media_group_id); the content is"
          + " as it is now (earlier edits are not visible); views and reactions are not copied");
    }
    if (r.stopped() != null) {
      out.println("STOPPED: " + Secrets.redact(r.stopped()));
    }
    if (r.cannotRun()) {
      return ExitCodes.RUNTIME;
    }
    return r.complete() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
  }
}
