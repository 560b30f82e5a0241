package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The classification table, row by row. */
class S3ErrorsTest {
  @ParameterizedTest
  @CsvSource({
      "429, SlowDown, true, false",
      "503, SlowDown, true, false",
      "500, InternalError, true, false",
      "503, ServiceUnavailable, true, false",
      "400, RequestTimeout, true, false",
      "403, AccessDenied, false, false",
      "403, InvalidAccessKeyId, false, false",
      "403, SignatureDoesNotMatch, false, false",
      "404, NoSuchBucket, false, false",
      "404, NoSuchKey, false, true",
      "404, NoSuchUpload, false, true",
      "400, BadDigest, false, false",
      "400, XAmzContentSHA256Mismatch, false, false",
      "400, EntityTooSmall, false, false",
      "400, InvalidPart, false, false"})
  void serviceErrors(int status, String code, boolean retryable, boolean notFound) {
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build()).build();
    StorageException se = S3Errors.classify("GET s3://b/k", e);
    assertThat(se.retryable()).isEqualTo(retryable);
    assertThat(se.notFound()).isEqualTo(notFound);
    assertThat(se.getMessage()).contains("GET s3://b/k", code, String.valueOf(status));
    assertThat(se.getCause()).isSameAs(e);
  }

  @ParameterizedTest
  @CsvSource({
      "501, NotImplemented, true",
      "501, '', true",
      "405, MethodNotAllowed, true",
      "400, NotImplemented, true",
      "400, InvalidPart, false",
      "403, AccessDenied, false"})
  void operationsTheServerLacksAreToldApart(int status, String code, boolean unsupported) {
    AwsErrorDetails.Builder details = AwsErrorDetails.builder().errorMessage("m");
    if (!code.isEmpty()) {
      details.errorCode(code);
    }
    S3Exception e = (S3Exception) S3Exception.builder().statusCode(status).awsErrorDetails(details.build()).build();
    StorageException se = S3Errors.classify("LIST PARTS s3://b/k", e);
    assertThat(se.unsupported()).isEqualTo(unsupported);
    assertThat(se.code()).isEqualTo(code.isEmpty() ? null : code);
    assertThat(se.retryable()).isFalse();
  }

  @Test
  void clientErrors() {
    assertThat(S3Errors.classify("x", SdkClientException.create("io", new SocketException("Connection reset")))
        .retryable()).isTrue();
    assertThat(S3Errors.classify("x", SdkClientException.create("io", new ConnectException("refused")))
        .retryable()).isTrue();
    assertThat(S3Errors.classify("x", ApiCallTimeoutException.create(1000)).retryable()).isTrue();
    assertThat(S3Errors.classify("x", AbortedException.create("interrupted")).retryable()).isFalse();
    assertThat(S3Errors.classify("x", SdkClientException.create("Data read has a different checksum than expected"))
        .retryable()).isFalse();
    assertThat(S3Errors.classify("x", SdkClientException.create("Unable to load credentials")).retryable()).isFalse();
  }
}
