package org.channelmirror.cli;

/** The exit codes every command documents in --help. */
final class ExitCodes {
  static final int OK = 0;
  /** Some media item failed or was refused; the summary lists each with its reason. */
  static final int ITEMS_FAILED = 1;
  /** The configuration is missing or invalid (also: bad command-line usage). */
  static final int CONFIG = 2;
  /** Could not work at all: catalog, storage or Telegram unreachable, or an unexpected error. */
  static final int RUNTIME = 3;

  static final String FOOTER = "%nExit status:%n"
      + "  0  success: everything is stored%n"
      + "  1  some media item failed or was refused (each is listed with its reason)%n"
      + "  2  configuration error or bad usage (the message names the key)%n"
      + "  3  could not run: catalog, storage or Telegram unreachable, or an unexpected error%n";

  /** {@link #FOOTER} for the commands that stop cleanly on a signal. */
  static final String STOPPABLE_FOOTER = FOOTER
      + "  143, 130  stopped by SIGTERM or Ctrl-C: what was done is kept, the rest stays due%n";

  private ExitCodes() {}
}
