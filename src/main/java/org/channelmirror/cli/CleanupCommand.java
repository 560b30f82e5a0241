package org.channelmirror.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.transfer.UploadJanitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
    header = "Abort multipart uploads nobody will complete (also hourly in `run`).",
    description = "Abort multipart uploads under <prefix>media/ that nobody will complete, now: those of files "
        + "stored since, those the catalog recorded but nothing touched for 24 hours, and those the catalog does "
        + "not know (left by a crash, or a reset catalog) once older than --older-than. `run` does this on "
        + "schedule.cleanup (hourly), and every backup pass at most hourly; the result shows in `status`.",
    footer = {"%nExit status:%n"
        + "  0  done (the output lists every upload aborted)%n"
        + "  1  some abort was refused by the server (listed; the next cleanup tries again)%n"
        + "  2  configuration error or bad usage%n"
        + "  3  could not run: storage unreachable, or an unexpected error%n"})
final class CleanupCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "PT1H",
      description = "Abort uploads unknown to the catalog once they are this old (ISO-8601 duration; default: "
          + "${DEFAULT-VALUE}). Younger ones may belong to a backup that is creating them right now; PT0S aborts "
          + "them too (such a backup then starts that file again).")
  String olderThan;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    Duration age = OptionValues.duration("--older-than", olderThan);
    var config = cli.loadConfig();
    try (Application app = Application.start(config)) {
      UploadJanitor.Sweep s = app.janitor().run(age);
      System.out.print(json ? toJson(s) + System.lineSeparator() : toText(s));
      return s.failures().isEmpty() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
    }
  }

  static String toText(UploadJanitor.Sweep s) {
    StringBuilder sb = new StringBuilder("cleanup: ").append(s.summary()).append(System.lineSeparator());
    for (UploadJanitor.Aborted a : s.aborted()) {
      sb.append("  aborted ").append(a.key()).append(" (upload ").append(a.uploadId()).append("): ")
          .append(a.reason()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  static String toJson(UploadJanitor.Sweep s) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (s.unlisted() == null) {
      root.put("pending", s.pending());
    } else {
      root.putNull("pending");
      root.put("unlisted", s.unlisted());
    }
    ArrayNode aborted = root.putArray("aborted");
    for (UploadJanitor.Aborted a : s.aborted()) {
      ObjectNode n = aborted.addObject();
      n.put("key", a.key());
      n.put("upload_id", a.uploadId());
      n.put("since", a.since() == null ? null : a.since().toString());
      n.put("reason", a.reason());
    }
    ArrayNode forgotten = root.putArray("forgotten");
    s.forgotten().forEach(forgotten::add);
    ArrayNode failures = root.putArray("failures");
    s.failures().forEach(failures::add);
    return root.toPrettyString();
  }
}
