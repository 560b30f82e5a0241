package org.channelmirror.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one table that turns SDK failures into {@link StorageException}s. Retry decisions
 * anywhere else in the product read {@link StorageException#retryable()}, never SDK types.
 */
final class S3Errors {
  /** Error codes a later attempt may get past. */
  private static final Set<String> RETRYABLE_CODES = Set.of(
      "SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "Throttling",
      "ThrottlingException", "TooManyRequests", "RequestLimitExceeded", "OperationAborted",
      "TooManyRequestsException", "ProvisionedThroughputExceededException");
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 429, 500, 502, 503, 504);
  /** Codes meaning "the thing you named is not there" (as opposed to a missing bucket). */
  private static final Set<String> NOT_FOUND_CODES = Set.of("NoSuchKey", "NoSuchUpload", "NotFound");

  private S3Errors() {}

  /** Classifies {@code e}; {@code what} names the operation and object, e.g. "GET s3://b/k". */
  static StorageException classify(String what, Throwable e) {
    if (e instanceof StorageException se) {
      return se;
    }
    if (e instanceof S3Exception s3) {
      return fromService(what, s3);
    }
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return new StorageException(what + ": timed out", e, true, false);
    }
    if (e instanceof AbortedException || e instanceof InterruptedException
        || e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException)) {
      // Cancelled by the caller: never retry.
      return new StorageException(what + ": cancelled", e, false, false);
    }
    String msg = String.valueOf(e.getMessage());
    if (msg.toLowerCase(Locale.ROOT).contains("checksum")) {
      return new StorageException(what + ": checksum mismatch: " + msg, e, false, false);
    }
    if (e instanceof SdkClientException && hasIoCause(e) || e instanceof IOException) {
      // Connection refused, reset, read timeout, half-closed keep-alive connection.
      return new StorageException(what + ": " + rootMessage(e), e, true, false);
    }
    return new StorageException(what + ": " + msg, e, false, false);
  }

  private static StorageException fromService(String what, S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String text = what + ": " + status + (code == null ? "" : " " + code);
    String serverMessage = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    if (serverMessage != null && !serverMessage.isBlank()) {
      text += " (" + serverMessage + ")";
    }
    boolean retryable = RETRYABLE_STATUS.contains(status) || code != null && RETRYABLE_CODES.contains(code);
    boolean noSuchBucket = "NoSuchBucket".equals(code);
    boolean notFound = !noSuchBucket && (status == 404 || code != null && NOT_FOUND_CODES.contains(code));
    return new StorageException(text, e, retryable, notFound, status, code);
  }

  /** A checksum or byte-count check of ours failed: permanent, the data is not what was sent. */
  static StorageException mismatch(String what, String detail) {
    return new StorageException(what + ": " + detail, null, false, false);
  }

  static String errorCode(Throwable e) {
    return e instanceof S3Exception s3 && s3.awsErrorDetails() != null ? s3.awsErrorDetails().errorCode() : null;
  }

  static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
