package org.channelmirror.storage;

/** One uploaded part: what CompleteMultipartUpload needs, plus its size for byte-count checks. */
public record CompletedPartRef(int partNumber, String etag, long size) {}
