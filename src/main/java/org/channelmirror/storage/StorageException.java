package org.channelmirror.storage;

/**
 * A storage operation failed. Classified once, by {@link S3Errors}: {@link #retryable()} says a
 * later attempt may succeed (throttling, 5xx, timeouts, resets); otherwise it is permanent
 * (credentials, permissions, missing bucket, checksum mismatch) and retrying is pointless.
 * {@link #notFound()} means the object (or multipart upload) does not exist;
 * {@link #unsupported()} that the server does not implement the operation (several
 * S3-compatible servers lack ListParts, ListMultipartUploads or CopyObject).
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final boolean notFound;
  private final int status;
  private final String code;

  StorageException(String message, Throwable cause, boolean retryable, boolean notFound) {
    this(message, cause, retryable, notFound, 0, null);
  }

  StorageException(String message, Throwable cause, boolean retryable, boolean notFound, int status, String code) {
    super(message, cause);
    this.retryable = retryable;
    this.notFound = notFound;
    this.status = status;
    this.code = code;
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean notFound() {
    return notFound;
  }

  /** The HTTP status the server answered, or 0 when no answer came (or it is not known). */
  public int status() {
    return status;
  }

  /** The server's error code (e.g. {@code InvalidPart}), or null when it gave none or never answered. */
  public String code() {
    return code;
  }

  /** 501 Not Implemented, or 405 Method Not Allowed: this server lacks the operation altogether. */
  public boolean unsupported() {
    return status == 501 || status == 405 || "NotImplemented".equals(code) || "MethodNotAllowed".equals(code);
  }
}
