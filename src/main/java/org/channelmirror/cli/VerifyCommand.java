package org.channelmirror.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.recovery.BucketReader;
import org.channelmirror.recovery.VerifyReport;
import org.channelmirror.recovery.VerifyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "verify", mixinStandardHelpOptions = true,
    header = "Check every manifest's media in the bucket (--deep: re-read, check SHA-256).",
    description = "Check the bucket against its manifests, reading the bucket alone: every stored media "
        + "object must exist with its recorded size (--deep: and hash to its recorded SHA-256). "
        + "Reports missing, corrupt and orphan objects (objects under media/ that no manifest "
        + "references). The result also shows in `status`.",
    footer = {"%nExit status:%n"
        + "  0  the bucket matches its manifests%n"
        + "  1  problems were found (each is listed)%n"
        + "  2  configuration error or bad usage%n"
        + "  3  could not run: storage unreachable, or an unexpected error%n"})
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--deep", description = "Also read every object and check its SHA-256 (reads the whole bucket).")
  boolean deep;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(names = "--orphan-min-age", paramLabel = "DURATION", defaultValue = "PT1H",
      description = "While a backup run is in progress, its uploads younger than this are not called orphans: it"
          + " writes manifests at its end (ISO-8601 duration; default: ${DEFAULT-VALUE}; PT0S reports every"
          + " unreferenced object).")
  String orphanMinAge;

  @Override
  public Integer call() throws Exception {
    Duration minAge = OptionValues.duration("--orphan-min-age", orphanMinAge);
    var config = cli.loadConfig();
    try (Application app = Application.startOnExistingBackup(config)) {
      RecoveryProgressBar bar = RecoveryProgressBar.forTerminal();
      VerifyReport report = new VerifyRun(app.catalog(), new BucketReader(app.store()), Clock.systemUTC())
          .run(deep, minAge, bar);
      bar.finish();
      System.out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
      if (!json && report.manifests() == 0) {
        System.out.println("note: bucket '" + app.store().bucket() + "' holds no post manifests under prefix '"
            + app.store().prefix() + "': nothing is backed up there yet, or storage.prefix names another place");
      }
      return report.ok() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
    }
  }
}
