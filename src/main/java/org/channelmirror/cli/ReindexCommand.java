package org.channelmirror.cli;

import java.util.concurrent.Callable;
import org.channelmirror.app.Application;
import org.channelmirror.recovery.BucketReader;
import org.channelmirror.recovery.Reindexer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "reindex", mixinStandardHelpOptions = true,
    header = "Rebuild the catalog from the bucket, to continue on a new server.",
    description = "Rebuild the catalog from the bucket's manifests, so a new server (fresh data directory, "
        + "empty catalog) can take the bucket over and go on backing up without uploading anything "
        + "again. Safe to run more than once.",
    footer = {"%nExit status:%n"
        + "  0  the catalog now knows every post version and stored file in the bucket%n"
        + "  1  some manifests or objects had problems (each is listed)%n"
        + "  2  configuration error or bad usage%n"
        + "  3  could not run: catalog or storage unreachable, or an unexpected error%n"})
final class ReindexCommand implements Callable<Integer> {
  @ParentCommand
  Cli cli;

  @Override
  public Integer call() throws Exception {
    var config = cli.loadConfig();
    try (Application app = Application.startOnExistingBackup(config)) {
      RecoveryProgressBar bar = RecoveryProgressBar.forTerminal();
      Reindexer.ReindexReport r;
      try {
        r = new Reindexer(new BucketReader(app.store()), app.catalog()).reindex(bar);
      } finally {
        bar.finish();
      }
      System.out.printf("read %d manifest(s): %d post version(s) added to the catalog, %d already there;"
          + " %d media item(s) stored, %d to fetch again%n", r.manifests(), r.imported(), r.alreadyPresent(),
          r.mediaStored(), r.mediaToFetch());
      r.notes().forEach(n -> System.out.println("  " + n));
      if (r.manifests() == 0 && r.notes().isEmpty()) {
        System.out.println("note: bucket '" + app.store().bucket() + "' holds no post manifests under prefix '"
            + app.store().prefix() + "': nothing is backed up there yet, or storage.prefix names another place");
      }
      return r.notes().isEmpty() ? ExitCodes.OK : ExitCodes.ITEMS_FAILED;
    }
  }
}
