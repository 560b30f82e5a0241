package org.channelmirror.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One self-overwriting status line on a terminal, redrawn at most five times a second; silent
 * elsewhere. Log lines go to the same terminal: written through {@link #sharing()}, they first
 * wipe the status line, which the next redraw puts back below them.
 */
final class TerminalLine {
  private final PrintStream out;
  private final boolean enabled;
  private volatile long lastDraw;
  private volatile boolean drawn;
  private int showing; // width of the status text on the current line, 0 when none; guarded by out
  private PrintStream replacedErr;

  TerminalLine(PrintStream out, boolean enabled) {
    this.out = out;
    this.enabled = enabled;
  }

  /** The line on stderr when it is a terminal; log output to stderr is routed around it until {@link #finish}. */
  static TerminalLine onStderr() {
    TerminalLine line = new TerminalLine(System.err, System.console() != null);
    if (line.enabled) {
      line.replacedErr = System.err;
      System.setErr(line.sharing());
    }
    return line;
  }

  /** A bar of 24 characters, {@code #} for the share done: {@code [######------------------]}. */
  static String bar(long done, long total) {
    int width = 24;
    int filled = (int) Math.min(width, done * width / Math.max(1, total));
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
  }

  /** Whether it draws (stderr is a terminal). */
  boolean enabled() {
    return enabled;
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
    String line = text.get();
    synchronized (out) {
      // spaces rather than an ANSI erase: they work on every console
      out.print("\r" + line + " ".repeat(Math.max(3, showing - line.length())));
      out.flush();
      showing = line.length() + Math.max(3, showing - line.length());
    }
  }

  /** A stream for other output to the same terminal: each write starts on a line wiped of the status. */
  PrintStream sharing() {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (out) {
          if (showing > 0) {
            out.print("\r" + " ".repeat(showing) + "\r");
            showing = 0;
          }
          out.write(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }
    }, true);
  }

  /** Ends the line so later output starts on a fresh one, and gives stderr back. */
  void finish() {
    if (enabled && drawn) {
      synchronized (out) {
        out.println();
        showing = 0;
      }
    }
    if (replacedErr != null) {
      System.setErr(replacedErr);
      replacedErr = null;
    }
  }
}
