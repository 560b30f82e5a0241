package org.channelmirror.storage;

import java.time.Instant;
import java.util.Map;

/**
 * An object as seen by HEAD or by a listing. Listings carry no content type or user metadata
 * (null and empty); HEAD carries both. User metadata keys are lower-case, without {@code x-amz-meta-}.
 */
public record ObjectInfo(String key, long size, String etag, Instant lastModified, String contentType,
                         Map<String, String> userMetadata) {
  public ObjectInfo {
    userMetadata = userMetadata == null ? Map.of() : Map.copyOf(userMetadata);
  }
}
