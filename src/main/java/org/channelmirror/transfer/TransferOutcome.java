package org.channelmirror.transfer;

/** How one media transfer ended. */
public sealed interface TransferOutcome {
  /** In storage, byte-identical. */
  record Stored(String objectKey, long size, String sha256, boolean alreadyPresent) implements TransferOutcome {}

  /** The Bot API server will not hand out this file in the current mode. */
  record TooBig(String reason) implements TransferOutcome {}

  /** Failed; {@code retryable} says whether a later run may succeed without a config change. */
  record Failed(String reason, boolean retryable) implements TransferOutcome {}
}
