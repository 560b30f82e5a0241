package org.channelmirror.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.channelmirror.app.Application;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Journal posts as they arrive and back up media on schedule.backup (a service).",
    description = "Run as a service: journal every new post and edit as it arrives (long polling, or Telegram's "
        + "deliveries when telegram.webhook.url is set), and back up media on the schedule.backup cron. With "
        + "web.listen set, it also serves a dashboard, /health, /api/status and /metrics. Media that cannot be "
        + "stored does not stop it: each item is retried on later runs and shown by `status`. Stops cleanly on "
        + "SIGTERM or Ctrl-C.",
    footer = ExitCodes.RUN_FOOTER)
final class RunCommand implements Callable<Integer> {
  /** How long a stop may take before the process exits anyway (SIGTERM's promise is 30 s). */
  static final long STOP_SECONDS = 20;

  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals signals = StopSignals.install(STOP_SECONDS, stop::countDown);
    try (Application app = Application.start(config)) {
      app.run(stop);
    } catch (RuntimeException e) {
      if (stop.getCount() > 0) {
        throw e;
      }
      // stopped while still starting (catching up, say): if the JVM's shutdown already closed the
      // H2 catalog under it, its error is the stop itself; what was committed stays committed
      var log = LoggerFactory.getLogger(RunCommand.class);
      log.info("stopped while starting; what was journaled so far stays journaled");
      log.debug("the start-up step that was cut short", e);
    } finally {
      signals.done();
    }
    return signals.exitStatus() != 0 ? signals.exitStatus() : ExitCodes.OK;
  }
}
