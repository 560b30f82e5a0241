package org.channelmirror.storage;

/**
 * A storage operation failed. Classified once, by {@link S3Errors}: {@link #retryable()} says a
 * later attempt may succeed (throttling, 5xx, timeouts, resets); otherwise it is permanent
 * (credentials, permissions, missing bucket, checksum mismatch) and retrying is pointless.
 * {@link #notFound()} means the object (or multipart upload) does not exist.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final boolean notFound;

  StorageException(String message, Throwable cause, boolean retryable, boolean notFound) {
    super(message, cause);
    this.retryable = retryable;
    this.notFound = notFound;
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean notFound() {
    return notFound;
  }
}
