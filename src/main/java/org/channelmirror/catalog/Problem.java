package org.channelmirror.catalog;

/** A media item that is not stored, with the reason the owner sees. */
public record Problem(long chatId, long messageId, String fileUniqueId, MediaKind kind,
    BlobState state, String reason) {}
