package org.channelmirror.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.channelmirror.app.BackupBucket;
import org.channelmirror.app.Humans;
import org.channelmirror.config.ConfigException;
import org.channelmirror.recovery.BucketReader;
import org.channelmirror.recovery.RestorePlan;
import org.channelmirror.recovery.RestoreReport;
import org.channelmirror.recovery.Restorer;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", mixinStandardHelpOptions = true,
    header = "Re-post a channel from the bucket into another chat, in order, albums intact.",
    description = "Re-post a channel from the bucket alone into another chat (usually a new channel where the "
        + "bot is an administrator): in the original order, the latest version of each post, media "
        + "uploaded from the stored bytes, captions and formatting as they were, albums as albums. "
        + "Resumable: a journal in the data directory makes a rerun continue where the last run "
        + "stopped without posting anything twice. Ctrl-C stops after the current post.",
    footer = {"%nExit status:%n"
        + "  0  every post was restored%n"
        + "  1  something could not be sent, or the run stopped early (each is listed%n"
        + "     with its reason and what to do)%n"
        + "  2  configuration error or bad usage (e.g. several channels and no --channel)%n"
        + "  3  could not run: storage or Telegram unreachable, another restore into the%n"
        + "     same chat running, or an unexpected error%n"})
final class RestoreCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--to", required = true, paramLabel = "CHAT",
      description = "Chat to post into: its numeric id, e.g. -1001234567890, or a public channel's @username"
          + " (the bot must be allowed to post there).")
  String to;

  @Option(names = "--channel", paramLabel = "ID", description = "Channel to restore (default: the only one in the bucket).")
  Long channel;

  @Option(names = "--since", paramLabel = "DATE", description = "Only posts from this date on (2024-05-01 or an ISO instant, UTC).")
  String since;

  @Option(names = "--until", paramLabel = "DATE", description = "Only posts up to this date (the whole day) or instant, inclusive: 2024-05-01 or 2024-05-01T12:00:00Z.")
  String until;

  @Option(names = "--dry-run", description = "List what would be sent, and what cannot be, without sending anything.")
  boolean dryRun;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "20",
      description = "At most N messages per minute into the chat (an album item counts as one; default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--resend-uncertain",
      description = "Send again the post an interrupted run may or may not have posted (the run says which). Look at"
          + " the target chat first: use this only when the post is missing there.")
  boolean resendUncertain;

  @Option(names = "--skip-uncertain",
      description = "The post an interrupted run may have posted is in the target chat: go on after it.")
  boolean skipUncertain;

  @Option(names = "--reuse-file-ids",
      description = "Send files over the Bot API server's upload limit (cloud: 50 MB) by their original file_id"
          + " instead of reporting them. No size limit, but it works only with the bot that received the file,"
          + " while Telegram keeps it; smaller files are still uploaded from the bucket.")
  boolean reuseFileIds;

  @Option(names = "--journal-dir", paramLabel = "DIR",
      description = "Where the restore journal lives (default: <dataDir>/restore).")
  Path journalDir;

  @Override
  public Integer call() throws Exception {
    if (resendUncertain && skipUncertain) {
      throw new ConfigException("--resend-uncertain and --skip-uncertain exclude each other: choose one");
    }
    if (rate < 1 || rate > 1000) {
      throw new ConfigException("--rate must be between 1 and 1000 messages per minute, not " + rate);
    }
    Long numericTarget = targetId(to);
    var sinceAt = OptionValues.date("--since", since, false);
    var untilAt = OptionValues.date("--until", until, true);
    OptionValues.requireRange(since, sinceAt, until, untilAt);
    var config = cli.loadConfig();
    Path journal = journalDir != null ? journalDir : config.dataDir().resolve("restore");
    // the bucket and Telegram alone: the old server's catalog may be gone, unreachable or in use
    try (GracefulStop stop = GracefulStop.install("restore", Duration.ofSeconds(120));
         BackupBucket bucket = BackupBucket.openExisting(config);
         BotApi api = new BotApi(config.telegram(), Clock.systemUTC())) {
      long target = numericTarget != null ? numericTarget : resolve(api, to);
      RecoveryProgressBar bar = dryRun ? new RecoveryProgressBar(new TerminalLine(System.err, false)) : RecoveryProgressBar.forTerminal();
      Restorer restorer = new Restorer(new BucketReader(bucket.store()), api, config.telegram().localMode(),
          Clock.systemUTC());
      stop.onStop(restorer::requestStop); // after the post being sent, with the journal up to date
      RestoreReport r;
      try {
        r = restorer.restore(new Restorer.Options(channel, target, sinceAt, untilAt, dryRun, rate, resendUncertain,
            skipUncertain, journal, reuseFileIds), bar);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      } finally {
        bar.finish();
      }
      return print(r, System.out);
    }
  }

  private static final Pattern USERNAME = Pattern.compile("@[A-Za-z][A-Za-z0-9_]{2,31}");

  /** {@code --to} as a number, or null for an {@code @username} that Telegram resolves. */
  static Long targetId(String to) {
    String t = to.strip();
    if (t.matches("-?\\d{1,19}")) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        // too large for an id: reported below
      }
    }
    if (USERNAME.matcher(t).matches()) {
      return null;
    }
    throw new ConfigException("--to '" + to + "': give the chat's numeric id (e.g. -1001234567890) or a public"
        + " channel's @username");
  }

  private static long resolve(BotApi api, String to) throws InterruptedException {
    String username = to.strip();
    try {
      long id = api.chatId(username);
      System.err.println(username + " is chat " + id);
      return id;
    } catch (BotApiException e) {
      if (e.kind() == BotApiException.Kind.PERMANENT) {
        throw new ConfigException("--to " + username + ": Telegram does not know this chat (" + e.getMessage()
            + "). Check the @username, or give the chat's numeric id; the bot must be a member of it.");
      }
      throw e;
    }
  }

  static int print(RestoreReport r, PrintStream out) {
    RestorePlan plan = r.plan();
    if (r.dryRun()) {
      out.printf("restore of channel %d into chat %d would make %d call(s) for %d post(s), uploading %s%s:%n",
          plan.sourceChat(), r.targetChat(), plan.sends().size(), plan.posts().size(), Humans.bytes(plan.totalBytes()),
          plan.itemsByFileId() == 0 ? "" : " and sending " + plan.itemsByFileId() + " item(s) by file_id");
      for (RestorePlan.Send s : plan.sends()) {
        String items = s.items().stream().map(i -> i.sendAs() + " " + Humans.bytes(i.media().size())
                + (i.byFileId() ? " by file_id" : "")).collect(Collectors.joining(", "));
        String what = items.isEmpty() ? s.summary() : s.params() == null ? items : s.summary() + ": " + items;
        out.printf("  %-18s %-15s %s%n", s.id(), s.method(), what);
      }
    }
    if (!plan.notes().isEmpty()) {
      out.println("not restored as it was:");
      for (RestorePlan.Note n : plan.notes()) {
        out.printf("  message %d: %s: %s%n", n.messageId(),
            switch (n.severity()) {
              case NOT_SENT -> "NOT SENT";
              case CHANGED -> "changed";
              case SKIPPED -> "skipped";
            }, n.message());
      }
    }
    if (!r.failed().isEmpty()) {
      out.println("not sent (refused by Telegram, or missing or damaged in the bucket):");
      r.failed().forEach(f -> out.println("  " + f));
    }
    if (!r.uncertain().isEmpty()) {
      out.println(r.dryRun() ? "an earlier run stopped without knowing whether these were posted (look at the"
          + " target chat, then use --skip-uncertain or --resend-uncertain):"
          : "skipped as already posted (--skip-uncertain):");
      r.uncertain().forEach(u -> out.println("  " + u));
    }
    if (r.dryRun()) {
      out.printf("%d call(s) already done by an earlier run (journal %s)%n", r.alreadySent(), r.journal());
      return ExitCodes.OK;
    }
    // without file_id items the line stays as it always was
    String byFileId = plan.itemsByFileId() == 0 ? "" : ", " + r.itemsByFileId() + " item(s) by file_id";
    out.printf(Locale.ROOT, "restore of channel %d into chat %d: %d call(s) sent now (%s uploaded%s), %d done before,"
            + " %d refused, %d uncertain; journal %s%n", plan.sourceChat(), r.targetChat(), r.sentNow(),
        Humans.bytes(r.bytesUploaded()), byFileId, r.alreadySent(), r.failed().size(), r.uncertain().size(),
        r.journal());
    if (r.stopped() != null) {
      out.println("STOPPED: " + r.stopped());
    } else if (r.complete()) {
      out.println("every post was restored");
    }
    if (r.unreachable()) {
      return ExitCodes.RUNTIME; // README: 3, storage or Telegram unreachable
    }
    return r.complete() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
  }
}
