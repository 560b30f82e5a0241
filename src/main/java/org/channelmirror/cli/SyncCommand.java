package org.channelmirror.cli;

import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.backup.BackupReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "sync", mixinStandardHelpOptions = true,
    header = "One pass: fetch pending updates, back up pending media, print a summary, exit.",
    description = "One pass, then exit: fetch every pending update, back up every pending media item, write"
        + " manifests, and print a summary listing every item that is not stored with its reason. If another"
        + " process sharing the catalog (the service, say) is running a backup, waits for it to finish first.",
    footer = ExitCodes.FOOTER)
final class SyncCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    try (Application app = Application.start(config)) {
      ProgressBar bar = ProgressBar.forTerminal();
      BackupReport report;
      try {
        report = app.sync(bar);
      } finally {
        bar.finish();
      }
      return Summaries.print(report, System.out, System.err);
    }
  }
}
