package org.channelmirror;

import org.channelmirror.app.CompilerPolicy;
import org.channelmirror.cli.Cli;

/** Entry point: the JIT policy, then argv to the command line. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CompilerPolicy.applyInBackground();
    System.exit(Cli.execute(args));
  }
}
