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
      + "  3  could not run: catalog, storage or Telegram unreachable, or an%n"
      + "     unexpected error%n";

  /** {@link #FOOTER} for the commands that stop cleanly on a signal. */
  static final String STOPPABLE_FOOTER = FOOTER
      + "  143, 130  stopped by SIGTERM or Ctrl-C: what was done is kept, the rest%n"
      + "            stays due%n";

  /** The top level's: what the codes mean across commands; each command's --help has its own. */
  static final String TOP_FOOTER = "%nExit status (each command's --help says what its codes mean):%n"
      + "  0  success: everything is stored, checked or done%n"
      + "  1  some items failed or problems were found (each is listed with its reason)%n"
      + "  2  configuration error or bad usage (the message names the key or option)%n"
      + "  3  could not run: catalog, storage or Telegram unreachable, or an%n"
      + "     unexpected error%n"
      + "  143, 130  stopped by SIGTERM or Ctrl-C%n";

  /** {@code run}: failed items wait for later runs (see status); the process ends on a signal. */
  static final String RUN_FOOTER = "%nExit status:%n"
      + "  2  configuration error or bad usage (the message names the key; also a bot%n"
      + "     token Telegram refuses, or a webhook URL it refuses)%n"
      + "  3  could not start: the catalog is unreachable, web.listen or the webhook's%n"
      + "     port is taken, or an unexpected error%n"
      + "  143, 130  stopped by SIGTERM or Ctrl-C: what was done is kept, the rest%n"
      + "            stays due%n";

  /** {@code simulate}: the fake Bot API runs until stopped. */
  static final String SIMULATE_FOOTER = "%nExit status:%n"
      + "  2  bad usage (e.g. --port is not a number)%n"
      + "  3  could not start: the port is taken, or an unexpected error%n"
      + "  143, 130  stopped by SIGTERM or Ctrl-C%n";

  private ExitCodes() {}
}
