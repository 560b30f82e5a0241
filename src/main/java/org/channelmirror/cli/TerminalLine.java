package org.channelmirror.cli;

import java.io.PrintStream;
import java.util.function.Supplier;

/** One self-overwriting status line on a terminal, redrawn at most five times a second; silent elsewhere. */
final class TerminalLine {
  private final PrintStream out;
  private final boolean enabled;
  private volatile long lastDraw;
  private volatile boolean drawn;

  TerminalLine(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  static TerminalLine onStderr() {
    return new TerminalLine(System.err, System.console() != null);
  }

  void draw(boolean force, Supplier<String> text) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (!force && now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    drawn = true;
    String line = "\r" + text.get() + "   ";
    synchronized (out) {
      out.print(line);
      out.flush();
    }
  }

  /** Ends the line so later output starts on a fresh one. */
  void finish() {
    if (enabled && drawn) {
      out.println();
    }
  }
}
