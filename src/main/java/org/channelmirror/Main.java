package org.channelmirror;

import org.channelmirror.cli.Cli;

/** Entry point: argv to the command line, nothing else. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.execute(args));
  }
}
