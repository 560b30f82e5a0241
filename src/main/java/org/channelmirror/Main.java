package org.channelmirror;

import org.channelmirror.app.CompilerPolicy;
import org.channelmirror.cli.Cli;

/** Entry point: the JIT policy, then argv to the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // The policy saves the JIT work a short command never earns back. A service runs for weeks:
    // its warm code is what counts, and C2's ran intake 1.4-1.8x as fast (docs/benchmarks.md, item 16).
    if (!Cli.longRunning(args)) {
      CompilerPolicy.applyInBackground();
    }
    System.exit(Cli.execute(args));
  }
}
