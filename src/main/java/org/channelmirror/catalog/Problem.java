package org.channelmirror.catalog;

import java.time.Instant;

/**
 * A media item that is not stored, with the reason the owner sees, and for a failed one when a
 * scheduled run of the service tries it again (null: the next run; {@code sync} tries it at once).
 */
public record Problem(long chatId, long messageId, String fileUniqueId, MediaKind kind,
    BlobState state, String reason, Instant nextAttemptAt) {

  public Problem(long chatId, long messageId, String fileUniqueId, MediaKind kind, BlobState state, String reason) {
    this(chatId, messageId, fileUniqueId, kind, state, reason, null);
  }
}
