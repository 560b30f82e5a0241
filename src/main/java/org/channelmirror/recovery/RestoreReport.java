package org.channelmirror.recovery;

import java.util.List;

/**
 * The outcome of a restore (or, with {@code dryRun}, what it would do).
 *
 * @param plan the sends and the notes about what cannot be restored as it was
 * @param sentNow calls made and answered in this run
 * @param alreadySent calls an earlier run completed (from the journal)
 * @param uncertain sends an earlier run made without learning the outcome, which the owner confirmed
 *     as posted ({@code --skip-uncertain}); with {@code dryRun}, those still undecided
 * @param failed sends Telegram refused, with the reason
 * @param itemsByFileId media items sent in this run by their original file_id instead of uploaded
 * @param stopped why the run stopped before the end, or null when it got there
 * @param unreachable the run stopped because Telegram (or the bucket) could not be reached: a send
 *     never got through after every retry, so nothing of it was posted
 */
public record RestoreReport(RestorePlan plan, long targetChat, boolean dryRun, int sentNow, int alreadySent,
    List<String> uncertain, List<String> failed, long bytesUploaded, int itemsByFileId, String stopped,
    String journal, boolean unreachable) {

  public RestoreReport {
    uncertain = List.copyOf(uncertain);
    failed = List.copyOf(failed);
  }

  /** True when every post was restored as planned and nothing is left to look at. */
  public boolean complete() {
    return stopped == null && failed.isEmpty()
        && plan.notes().stream().noneMatch(n -> n.severity() == RestorePlan.Severity.NOT_SENT);
  }
}
