package org.channelmirror.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and Ctrl-C for the commands that stop cleanly ({@code run}, {@code sync}): the signal
 * asks the work to stop and lets the JVM shut down only after the command has returned. A stop
 * driven from a shutdown hook instead finds the H2 catalog closed under it, as H2 closes itself in
 * a shutdown hook of its own, so the work could not record how it ended. A watchdog exits anyway
 * after {@code limit} seconds. The exit status is what the JVM reports for a signal (128 + its
 * number: 143 for SIGTERM, which deploy/channel-mirror.service counts as success, 130 for Ctrl-C).
 */
final class StopSignals {
  private final AtomicInteger requested = new AtomicInteger();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final long limitSeconds;
  private final Runnable stop;
  /** The handlers in place before ours, put back by {@link #done} (commands also run in-process, in tests). */
  private final List<Runnable> restore = new java.util.ArrayList<>();
  private Thread hook;

  private StopSignals(long limitSeconds, Runnable stop) {
    this.limitSeconds = limitSeconds;
    this.stop = stop;
  }

  /**
   * Has SIGTERM and SIGINT call {@code stop} (once). Any other way out of the JVM (SIGHUP,
   * System.exit, -Xrs) calls it from a shutdown hook, which then waits for {@link #done}.
   */
  static StopSignals install(long limitSeconds, Runnable stop) {
    StopSignals s = new StopSignals(limitSeconds, stop);
    handle(s::request, s.restore);
    s.hook = new Thread(() -> {
      if (s.requested.get() != 0) {
        return; // stopped by a signal: the command is done, or the watchdog gave it its time
      }
      s.stop.run();
      try {
        s.stopped.await(limitSeconds + 5, TimeUnit.SECONDS); // let the command finish and close first
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "shutdown");
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** The command has returned and closed what it opened: a stop may finish, and the signals are the JVM's again. */
  void done() {
    stopped.countDown();
    if (requested.get() != 0) {
      return; // the process is exiting on that signal
    }
    restore.forEach(Runnable::run);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs, and returns at once
    }
  }

  /** 128 + the signal that stopped the command, or 0 when none did. */
  int exitStatus() {
    return requested.get();
  }

  private void request(int exitStatus) {
    if (!requested.compareAndSet(0, exitStatus)) {
      return;
    }
    Thread watchdog = new Thread(() -> {
      try {
        if (!stopped.await(limitSeconds, TimeUnit.SECONDS)) {
          LoggerFactory.getLogger(StopSignals.class).warn("still stopping after {} s; exiting now (what was"
              + " journaled stays journaled, unfinished uploads are resumed by the next run)", limitSeconds);
          System.exit(exitStatus);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    stop.run();
  }

  private static void handle(java.util.function.IntConsumer requestStop, List<Runnable> restore) {
    // sun.misc.Signal (module jdk.unsupported) through reflection: used directly, javac warns on
    // every build that it is internal API, and that warning cannot be suppressed
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      java.lang.reflect.Method number = signal.getMethod("getNumber");
      Object handler = java.lang.reflect.Proxy.newProxyInstance(StopSignals.class.getClassLoader(),
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
          Object sig = signal.getConstructor(String.class).newInstance(name);
          Object previous = handle.invoke(null, sig, handler);
          restore.add(() -> {
            try {
              handle.invoke(null, sig, previous);
            } catch (ReflectiveOperationException | RuntimeException e) {
              // ours stays: it only asks a command that has ended to stop
            }
          });
        } catch (java.lang.reflect.InvocationTargetException e) {
          // IllegalArgumentException (-Xrs, a platform without it): the shutdown hook stops the work
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // no sun.misc.Signal in this JVM: the shutdown hook stops the work
    }
  }
}
