package org.channelmirror.backfill;

import java.util.List;

/**
 * What one backfill did (or, for a dry run, would do).
 *
 * @param toTry the ids the catalog did not have, in order (all of them; the run may stop early)
 * @param alreadyKnown ids in the range the catalog already had (skipped)
 * @param knownGaps ids an earlier backfill found empty (skipped unless rechecked)
 * @param found posts forwarded and journaled now
 * @param gaps ids Telegram does not have (deleted posts, service messages)
 * @param notForwardable ids Telegram refused to forward ("the message can't be forwarded")
 * @param failed ids that failed otherwise, each with the reason
 * @param deleteWarnings forwards that could not be deleted from the staging chat
 * @param stopped why the run ended before the last id, or null
 * @param cannotRun the run could not work at all (staging chat refused, Telegram unreachable): exit 3
 */
public record BackfillReport(
    long channel,
    long via,
    long from,
    long to,
    boolean dryRun,
    List<Long> toTry,
    int alreadyKnown,
    int knownGaps,
    int tried,
    int found,
    int gaps,
    List<Long> notForwardable,
    List<String> failed,
    List<String> deleteWarnings,
    String stopped,
    boolean cannotRun) {

  /** Every id was tried and each found post is journaled, with nothing refused. */
  public boolean complete() {
    return stopped == null && notForwardable.isEmpty() && failed.isEmpty();
  }
}
