package org.channelmirror.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.channelmirror.app.Application;
import org.channelmirror.backup.BackupReport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "sync", mixinStandardHelpOptions = true,
    header = "One pass: fetch pending updates, back up pending media, print a summary, exit.",
    description = "One pass, then exit: fetch every pending update, back up every pending media item, write"
        + " manifests, and print a summary listing every item that is not stored with its reason. If another"
        + " process sharing the catalog (the service, say) is running a backup, waits for it to finish first.",
    footer = ExitCodes.STOPPABLE_FOOTER)
final class SyncCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    AtomicReference<Application> running = new AtomicReference<>();
    AtomicBoolean stopAsked = new AtomicBoolean();
    // SIGTERM or Ctrl-C: the pass ends after its current step and records its backup run as
    // CANCELLED (items stay due, an unfinished upload stays resumable), then the process exits
    StopSignals signals = StopSignals.install(RunCommand.STOP_SECONDS, () -> {
      stopAsked.set(true);
      Application app = running.get();
      if (app != null) {
        app.stop();
      }
    });
    try (Application app = Application.start(config)) {
      running.set(app);
      if (stopAsked.get()) {
        app.stop(); // the signal came while it was starting
      }
      ProgressBar bar = ProgressBar.forTerminal();
      BackupReport report;
      try {
        report = app.sync(bar);
      } catch (RuntimeException e) {
        if (!app.stopped()) {
          throw e;
        }
        // a step the stop cut short; what was committed stays committed
        LoggerFactory.getLogger(SyncCommand.class).debug("the step the stop cut short", e);
        report = null;
      } finally {
        bar.finish();
      }
      if (app.stopped()) {
        System.err.printf("stopped: %d media file(s) stored before the stop; the rest stays due, and the next"
            + " sync or run continues it (unfinished uploads resume)%n", report == null ? 0 : report.stored());
        return signals.exitStatus() != 0 ? signals.exitStatus() : ExitCodes.RUNTIME;
      }
      return Summaries.print(report, System.out, System.err);
    } finally {
      running.set(null);
      signals.done();
    }
  }
}
