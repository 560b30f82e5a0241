package org.channelmirror.storage;

/**
 * What an upload stored.
 *
 * @param key the object key
 * @param size bytes stored
 * @param sha256Hex lower-case hex SHA-256 of the content, also stored as user metadata {@code sha256}
 * @param etag the ETag the server returned, as sent (usually quoted)
 */
public record PutResult(String key, long size, String sha256Hex, String etag) {}
