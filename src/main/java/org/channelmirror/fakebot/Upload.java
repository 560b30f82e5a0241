package org.channelmirror.fakebot;

/**
 * An uploaded multipart file part. {@code content} is null when the part was larger than the kept limit (it was
 * only hashed and counted).
 */
record Upload(String partName, String fileName, String contentType, long size, String sha256Hex,
    FileContent content) {}
