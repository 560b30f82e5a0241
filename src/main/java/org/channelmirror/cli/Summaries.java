package org.channelmirror.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.channelmirror.app.Humans;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.catalog.Problem;
import org.channelmirror.config.Secrets;

/** Prints a backup report the same way for {@code sync} and {@code demo}. */
final class Summaries {
  private Summaries() {}

  /** The summary on {@code out}; a run storage stopped is an error, told on {@code err} like the others. */
  static int print(BackupReport r, PrintStream out, PrintStream err) {
    if (r.storageError() != null) {
      err.println("storage error: " + Secrets.redact(r.storageError()));
      err.println("nothing was transferred; updates were journaled and will be backed up once storage is reachable");
      return ExitCodes.RUNTIME;
    }
    out.printf("stored %d media file(s) (%s)%s, %d too big, %d failed; wrote %d manifest(s) in %.1f s%n",
        r.stored(), Humans.bytes(r.bytes()), r.alreadyPresent() > 0 ? ", " + r.alreadyPresent() + " already present" : "",
        r.tooBig(), r.failed(), r.manifests(), r.elapsed().toMillis() / 1000.0);
    if (r.problems().isEmpty()) {
      out.println("everything is stored");
      return ExitCodes.OK;
    }
    out.printf("%d media item(s) not stored:%n", r.problems().size());
    for (Problem p : r.problems()) {
      out.printf("  channel %d message %d %s (%s): %s: %s%n", p.chatId(), p.messageId(), p.kind().field(),
          p.fileUniqueId(), p.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
          p.reason() == null ? "not attempted yet" : Secrets.redact(p.reason()));
    }
    return ExitCodes.ITEMS_FAILED;
  }
}
