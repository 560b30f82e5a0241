package org.channelmirror.storage;

import java.time.Instant;

/** A multipart upload that was created and neither completed nor aborted. */
public record PendingUpload(String key, String uploadId, Instant initiated) {}
