package org.channelmirror.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.channelmirror.app.Application;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Journal posts as they arrive and back up media on schedule.backup (a service).",
    description = "Run as a service: journal every new post and edit as it arrives (long polling), and back up "
        + "media on the schedule.backup cron. Stops cleanly on SIGTERM or Ctrl-C.",
    footer = ExitCodes.FOOTER)
final class RunCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(); // let run() finish and close everything before the JVM exits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Application app = Application.start(config)) {
      app.run(stop);
    } finally {
      stopped.countDown();
    }
    return ExitCodes.OK;
  }
}
