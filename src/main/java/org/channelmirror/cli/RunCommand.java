package org.channelmirror.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.channelmirror.app.Application;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Journal posts as they arrive and back up media on schedule.backup (a service).",
    description = "Run as a service: journal every new post and edit as it arrives (long polling, or Telegram's "
        + "deliveries when telegram.webhook.url is set), and back up media on the schedule.backup cron. With "
        + "web.listen set, it also serves a dashboard, /health, /api/status and /metrics. Stops cleanly on "
        + "SIGTERM or Ctrl-C.",
    footer = ExitCodes.FOOTER)
final class RunCommand implements Callable<Integer> {
  /** How long a stop may take before the process exits anyway (SIGTERM's promise is 30 s). */
  static final long STOP_SECONDS = 20;

  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and Ctrl-C stop the service first and let the JVM shut down afterwards: the H2
    // catalog closes itself in a shutdown hook of its own, which runs alongside ours, so a stop
    // driven from a shutdown hook found the catalog closed under it (the stopping backup run could
    // not record how it ended, release its lease or record the files it stored last)
    // the exit status stays what the JVM reported for a signal before (128 + its number: 143 for
    // SIGTERM, which deploy/channel-mirror.service counts as success)
    AtomicInteger requested = new AtomicInteger();
    java.util.function.IntConsumer requestStop = exitStatus -> {
      if (!requested.compareAndSet(0, exitStatus)) {
        return;
      }
      stop.countDown();
      Thread watchdog = new Thread(() -> {
        try {
          if (!stopped.await(STOP_SECONDS, TimeUnit.SECONDS)) {
            LoggerFactory.getLogger(RunCommand.class).warn("still stopping after {} s; exiting now"
                + " (what was journaled stays journaled, unfinished uploads are resumed by the next run)", STOP_SECONDS);
            System.exit(exitStatus);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "stop-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
    };
    handleStopSignals(requestStop);
    Thread hook = new Thread(() -> {
      if (requested.get() != 0) {
        return; // stopped by a signal: run() is done, or the watchdog gave it its time and exits now
      }
      // any other way out (SIGHUP, System.exit, or signals not handled here)
      stop.countDown();
      try {
        stopped.await(STOP_SECONDS + 5, TimeUnit.SECONDS); // let run() finish and close everything first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
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
      stopped.countDown();
    }
    return requested.get() != 0 ? requested.get() : ExitCodes.OK;
  }

  /**
   * Has SIGTERM and SIGINT call {@code requestStop} instead of starting the JVM's shutdown. Where
   * the JVM does not let us (-Xrs, a platform without them) the shutdown hook stops the service.
   */
  private static void handleStopSignals(java.util.function.IntConsumer requestStop) {
    // sun.misc.Signal (module jdk.unsupported) through reflection: used directly, javac warns on
    // every build that it is internal API, and that warning cannot be suppressed
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      java.lang.reflect.Method number = signal.getMethod("getNumber");
      Object handler = java.lang.reflect.Proxy.newProxyInstance(RunCommand.class.getClassLoader(),
          new Class<?>[] {handlerType}, (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
              requestStop.accept(128 + (int) number.invoke(args[0]));
              return null;
            }
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "stop-signal-handler";
            };
          });
      java.lang.reflect.Method handle = signal.getMethod("handle", signal, handlerType);
      for (String name : List.of("TERM", "INT")) {
        try {
          handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
        } catch (java.lang.reflect.InvocationTargetException e) {
          // IllegalArgumentException (-Xrs, a platform without it): the shutdown hook below stops the service
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no sun.misc.Signal in this JVM: the shutdown hook below stops the service
    }
  }
}
