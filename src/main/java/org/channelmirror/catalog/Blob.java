package org.channelmirror.catalog;

/** A distinct file due for transfer, with the post that first carried it. */
public record Blob(
    String fileUniqueId,
    BlobState state,
    MediaKind kind,
    String fileId,
    Long expectedSize,
    String mimeType,
    String fileName,
    long chatId,
    long messageId,
    int attempts) {}
