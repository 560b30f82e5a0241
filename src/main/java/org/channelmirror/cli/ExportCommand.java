package org.channelmirror.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.channelmirror.app.BackupBucket;
import org.channelmirror.app.Humans;
import org.channelmirror.config.ConfigException;
import org.channelmirror.recovery.BucketReader;
import org.channelmirror.recovery.Exporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", mixinStandardHelpOptions = true,
    header = "Write a browsable offline copy (index.html, result.json, media files).",
    description = "Write a browsable offline copy of a channel from the bucket alone: index.html (open it in "
        + "any browser, no internet needed), result.json in Telegram Desktop's export format, and the "
        + "media files.",
    footer = {"%nExit status:%n"
        + "  0  every post and media file was exported%n"
        + "  1  some media could not be exported (each is listed with its reason)%n"
        + "  2  configuration error or bad usage (e.g. several channels and no --channel)%n"
        + "  3  could not run: storage unreachable, or an unexpected error%n"})
final class ExportCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Directory to write (created if missing).")
  Path to;

  @Option(names = "--channel", paramLabel = "ID", description = "Channel to export (default: the only one in the bucket).")
  Long channel;

  @Option(names = "--since", paramLabel = "DATE", description = "Only posts from this date on (2024-05-01 or an ISO instant, UTC).")
  String since;

  @Option(names = "--until", paramLabel = "DATE", description = "Only posts up to this date (the whole day) or instant, inclusive: 2024-05-01 or 2024-05-01T12:00:00Z.")
  String until;

  @Override
  public Integer call() throws Exception {
    var sinceAt = OptionValues.date("--since", since, false);
    var untilAt = OptionValues.date("--until", until, true);
    OptionValues.requireRange(since, sinceAt, until, untilAt);
    var config = cli.loadConfig();
    if (java.nio.file.Files.exists(to) && !java.nio.file.Files.isDirectory(to)) {
      throw new ConfigException("--to " + to + " is a file, not a directory: give a directory to write the export into");
    }
    // the bucket alone: the old server's catalog may be gone, unreachable or in use
    try (BackupBucket bucket = BackupBucket.openExisting(config)) {
      RecoveryProgressBar bar = RecoveryProgressBar.forTerminal();
      Exporter.ExportReport r;
      try {
        r = new Exporter(new BucketReader(bucket.store()), Clock.systemUTC()).export(channel, to, sinceAt, untilAt, bar);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      } finally {
        bar.finish();
      }
      System.out.printf("exported %d post(s) of channel %d with %d file(s) (%s) to %s%n", r.posts(), r.chatId(),
          r.files(), Humans.bytes(r.bytes()), r.index().toAbsolutePath());
      r.notes().forEach(n -> System.out.println("  " + n));
      return r.notes().isEmpty() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
    }
  }
}
