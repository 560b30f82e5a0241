package org.channelmirror.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.channelmirror.app.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "doctor", mixinStandardHelpOptions = true,
    header = "Check the setup: catalog, bot token, webhook, the bot's rights in each channel, the bucket.",
    description = "Check, one at a time, what channel-mirror needs, and say for each problem what to change: "
        + "the catalog opens; the Bot API accepts the token; no webhook blocks getUpdates; each configured "
        + "channel exists for the bot and the bot is an administrator there; the bucket exists (or may be "
        + "created) and an object can be written, read and deleted under the prefix. Safe while `run` is "
        + "running: it fetches no updates and touches nothing of the backup.",
    footer = {"%nExit status:%n"
        + "  0  everything checked is in place (warnings may be listed)%n"
        + "  1  problems were found (each is listed with what to change)%n"
        + "  2  configuration error or bad usage (the message names the key)%n"})
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    System.out.println("configuration: loaded");
    List<Doctor.Check> checks = Doctor.examine(config, c -> {
      System.out.printf(Locale.ROOT, "%-5s %-22s %s%n", c.verdict() == Doctor.Verdict.OK ? "ok"
          : c.verdict() == Doctor.Verdict.WARN ? "warn" : "FAIL", c.what(), c.detail());
      System.out.flush();
    });
    long failed = checks.stream().filter(c -> c.verdict() == Doctor.Verdict.FAIL).count();
    System.out.println(failed == 0 ? "everything checked is in place"
        : failed + " problem(s) found: fix them and run doctor again");
    return failed == 0 ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
  }
}
