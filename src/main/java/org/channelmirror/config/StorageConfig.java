package org.channelmirror.config;

/**
 * S3-compatible storage. An empty endpoint starts the embedded server under the data directory.
 *
 * @param checksum "WHEN_REQUIRED" (default; what most S3-compatible servers accept) or
 *     "WHEN_SUPPORTED" (the AWS SDK default, CRC checksums on every upload)
 */
public record StorageConfig(
    String endpoint,
    String region,
    String bucket,
    String prefix,
    boolean pathStyle,
    String accessKeyId,
    Secret secretAccessKey,
    String checksum,
    boolean createBucket,
    long partSize,
    int embeddedPort) {

  public boolean embedded() {
    return endpoint.isEmpty();
  }
}
