package org.channelmirror.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link ObjectStore#ensureBucket}: turns the ways a first contact fails into messages a person
 * can act on. HEAD answers carry no error code, so a 403 is diagnosed with a LIST, whose body
 * tells a bad key id from a bad secret from a missing permission.
 */
final class BucketCheck {
  private static final Logger log = LoggerFactory.getLogger(BucketCheck.class);

  private final S3Client s3;
  private final S3Settings settings;
  private final String where;

  BucketCheck(S3Client s3, S3Settings settings) {
    this.s3 = s3;
    this.settings = settings;
    this.where = "bucket '" + settings.bucket() + "' at " + settings.describeEndpoint();
  }

  void ensure(boolean createIfMissing) {
    ensure(createIfMissing, "check storage.bucket and storage.endpoint for a typo, create the bucket, or set"
        + " storage.createBucket: true to let channel-mirror create it");
  }

  /** {@code whenMissing}: what the owner should do about a missing bucket that is not to be created. */
  void ensure(boolean createIfMissing, String whenMissing) {
    try {
      s3.headBucket(b -> b.bucket(settings.bucket()));
      return;
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw diagnose(e);
      }
    } catch (SdkException e) {
      throw unreachable(e);
    }
    if (!createIfMissing) {
      throw new StorageException(where + " does not exist: " + whenMissing, null, false, false);
    }
    create();
  }

  private void create() {
    try {
      s3.createBucket(b -> {
        b.bucket(settings.bucket());
        // AWS wants the region spelled out outside us-east-1; other servers often reject it
        if (settings.endpoint().isEmpty() && !"us-east-1".equals(settings.region())) {
          b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(settings.region())));
        }
      });
      log.info("created {}", where);
    } catch (S3Exception e) {
      String code = S3Errors.errorCode(e);
      if ("BucketAlreadyOwnedByYou".equals(code)) {
        return; // created concurrently by another instance
      }
      if ("BucketAlreadyExists".equals(code)) {
        throw new StorageException(where + ": the name is taken by another account; choose another bucket name",
            e, false, false);
      }
      throw diagnose(e);
    } catch (SdkException e) {
      throw unreachable(e);
    }
  }

  /** Explains an S3 error answer, asking again with a LIST when the answer had no body. */
  private StorageException diagnose(S3Exception e) {
    S3Exception detailed = e;
    if (S3Errors.errorCode(e) == null || e.statusCode() == 403 && !hasBody(e)) {
      try {
        s3.listObjectsV2(b -> b.bucket(settings.bucket()).maxKeys(1));
      } catch (S3Exception again) {
        detailed = again;
      } catch (SdkException ignored) {
        // keep the first answer
      }
    }
    String code = S3Errors.errorCode(detailed);
    int status = detailed.statusCode();
    String message;
    if ("InvalidAccessKeyId".equals(code)) {
      message = where + ": the access key id '" + settings.accessKeyId() + "' is not known there; check the access key id";
    } else if ("SignatureDoesNotMatch".equals(code)) {
      message = where + ": the secret access key does not match access key id '" + settings.accessKeyId()
          + "'; check the secret (and the region, '" + settings.region() + "')";
    } else if ("AccessDenied".equals(code) || status == 403) {
      message = where + ": access denied; the credentials are valid but may not list and write this bucket"
          + " (grant s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload)";
    } else if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
      message = where + ": the bucket is in another region than '" + settings.region() + "'; set the bucket's region";
    } else if ("NoSuchBucket".equals(code)) {
      message = where + " does not exist";
    } else {
      return S3Errors.classify("checking " + where, detailed);
    }
    return new StorageException(message, detailed, S3Errors.classify(message, detailed).retryable(), false);
  }

  private static boolean hasBody(S3Exception e) {
    return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
        && !e.awsErrorDetails().errorCode().matches("\\d.*");
  }

  private StorageException unreachable(SdkException e) {
    StorageException classified = S3Errors.classify("checking " + where, e);
    if (!S3Errors.hasIoCause(e)) {
      return classified; // e.g. no credentials found by the default chain
    }
    return new StorageException("cannot reach " + settings.describeEndpoint() + " for bucket '" + settings.bucket()
        + "': " + S3Errors.rootMessage(e) + "; check the endpoint URL and that the server is running",
        e, classified.retryable(), false);
  }
}
