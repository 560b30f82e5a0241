package org.channelmirror.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lets a long command stop cleanly on SIGTERM or Ctrl-C: the JVM's shutdown asks the work to stop
 * after its current step, then waits (at most {@code wait}) for the command to be done with it,
 * so that step's journal entries are written before the process exits.
 */
final class GracefulStop implements AutoCloseable {
  private final Thread hook;
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicReference<Runnable> stopper = new AtomicReference<>();
  private volatile boolean requested;

  private GracefulStop(String name, Duration wait) {
    this.hook = new Thread(() -> {
      requested = true;
      Runnable stop = stopper.get();
      if (stop != null) {
        stop.run();
      }
      try {
        done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown");
  }

  static GracefulStop install(String name, Duration wait) {
    GracefulStop s = new GracefulStop(name, wait);
    Runtime.getRuntime().addShutdownHook(s.hook);
    return s;
  }

  /** What asks the work to stop; called at once when the stop came before the work existed. */
  void onStop(Runnable requestStop) {
    stopper.set(requestStop);
    if (requested) {
      requestStop.run(); // the hook may have missed it: asking twice is harmless
    }
  }

  /** Whether SIGTERM or Ctrl-C has come. */
  boolean requested() {
    return requested;
  }

  /** The command is done: the shutdown may go on, or the hook is not needed any more. */
  @Override
  public void close() {
    done.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
