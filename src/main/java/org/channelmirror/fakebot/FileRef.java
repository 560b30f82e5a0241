package org.channelmirror.fakebot;

/** One stored file as the fake server knows it; several refs may share a {@code fileUniqueId}. */
public record FileRef(String fileId, String fileUniqueId, long size, String kindDir, FileContent content) {}
