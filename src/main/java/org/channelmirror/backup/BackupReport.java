package org.channelmirror.backup;

import java.time.Duration;
import java.util.List;
import org.channelmirror.catalog.Problem;

/**
 * What one backup run did, and every media item that is still not stored with its reason.
 *
 * @param skipped why this run did nothing: another run was in progress, in this process or in
 *     another one sharing the catalog (named); null for a run that ran
 * @param storageError set when storage was unreachable and the run transferred nothing
 */
public record BackupReport(
    String skipped,
    int stored,
    int alreadyPresent,
    int tooBig,
    int failed,
    long bytes,
    int manifests,
    Duration elapsed,
    List<Problem> problems,
    String storageError) {

  public boolean clean() {
    return problems.isEmpty();
  }
}
