package org.channelmirror.telegram;

/**
 * Where getFile says a file is: a path relative to the file URL (cloud), or an absolute path on
 * the Bot API server's disk (local mode).
 */
public record FileLocation(String fileId, String fileUniqueId, Long fileSize, String filePath) {}
