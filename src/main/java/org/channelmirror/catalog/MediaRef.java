package org.channelmirror.catalog;

/** One media file referenced by a post version, normalised from the Bot API message. */
public record MediaRef(
    MediaKind kind,
    String fileUniqueId,
    String fileId,
    Long fileSize,
    String mimeType,
    String fileName,
    Integer width,
    Integer height,
    Integer duration) {}
