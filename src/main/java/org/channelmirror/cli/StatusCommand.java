package org.channelmirror.cli;

import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.app.StatusReport;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.config.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true,
    header = "Per channel: posts, media by state, bytes stored; last runs, files moving now, warnings (--json).",
    description = "Show per channel: posts, media by state (pending, stored, too big, failed), bytes stored, "
        + "the last run of each job, what a running backup is transferring right now (bytes done and "
        + "rate per file, from any process), and warnings. Reads the catalog only.",
    footer = {"%nExit status:%n"
        + "  0  the report was printed (failed or too-big items are in it; status --json%n"
        + "     gives them to scripts)%n"
        + "  2  configuration error or bad usage (the message names the key)%n"
        + "  3  could not run: the catalog is unreachable%n"})
final class StatusCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    try (Catalog catalog = Application.openCatalog(config)) {
      StatusReport report = Application.status(catalog, config);
      // reasons recorded from errors pass through the redactor once more on the way out
      System.out.print(Secrets.redact(json ? report.toJson() + System.lineSeparator() : report.toText()));
    }
    return ExitCodes.OK;
  }
}
