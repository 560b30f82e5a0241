package org.channelmirror.storage;

/**
 * Connection and tuning settings for one S3-compatible endpoint. Storage takes this record
 * rather than the application's configuration classes, so it depends on nothing of ours.
 *
 * @param endpoint base URL such as {@code http://127.0.0.1:9000}; empty means AWS S3 itself
 * @param region signing region; empty means {@code us-east-1}
 * @param bucket bucket name, required
 * @param prefix key prefix under which everything is stored; normalised by {@link ObjectKeys#normalisePrefix}
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), needed by most self-hosted servers
 * @param accessKeyId static access key id; empty means the SDK's default credentials chain
 * @param secretAccessKey static secret; never printed
 * @param checksumWhenRequired send and validate flexible checksums only when an operation requires
 *     them; several S3-compatible servers reject the CRC trailers the SDK sends by default
 * @param partSize multipart part size in bytes, 5 MiB to 1 GiB (parts are held in memory)
 * @param partsInFlight parts of one object uploaded concurrently, also the number of part buffers
 * @param maxConnections HTTP connection pool size
 */
public record S3Settings(String endpoint, String region, String bucket, String prefix, boolean pathStyle,
                         String accessKeyId, String secretAccessKey,
                         boolean checksumWhenRequired,
                         long partSize,
                         int partsInFlight,
                         int maxConnections) {

  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** Parts live in a byte[]: keep them well below the array limit. */
  public static final long MAX_PART_SIZE = 1024L * 1024 * 1024;
  public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;
  public static final int DEFAULT_PARTS_IN_FLIGHT = 2;
  public static final int DEFAULT_MAX_CONNECTIONS = 32;

  public S3Settings {
    endpoint = endpoint == null ? "" : endpoint.strip();
    region = region == null || region.isBlank() ? "us-east-1" : region.strip();
    prefix = prefix == null ? "" : prefix;
    accessKeyId = accessKeyId == null ? "" : accessKeyId.strip();
    secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("bucket: must not be empty");
    }
    bucket = bucket.strip();
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("bucket: '" + bucket
          + "' is not a valid bucket name (3-63 lower-case letters, digits, '.' and '-')");
    }
    if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
      throw new IllegalArgumentException("partSize: " + partSize + " is outside "
          + MIN_PART_SIZE + ".." + MAX_PART_SIZE + " bytes");
    }
    if (partsInFlight < 1) {
      throw new IllegalArgumentException("partsInFlight: must be at least 1, was " + partsInFlight);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: must be at least 1, was " + maxConnections);
    }
    if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("accessKeyId/secretAccessKey: give both or neither");
    }
  }

  /** Settings with default checksum mode, part size, parallelism and pool size. */
  public static S3Settings of(String endpoint, String region, String bucket, String prefix, boolean pathStyle,
                              String accessKeyId, String secretAccessKey) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
        true, DEFAULT_PART_SIZE, DEFAULT_PARTS_IN_FLIGHT, DEFAULT_MAX_CONNECTIONS);
  }

  public S3Settings withPartSize(long p) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
        checksumWhenRequired, p, partsInFlight, maxConnections);
  }

  public S3Settings withPartsInFlight(int n) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
        checksumWhenRequired, partSize, n, maxConnections);
  }

  public S3Settings withMaxConnections(int n) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
        checksumWhenRequired, partSize, partsInFlight, n);
  }

  public S3Settings withChecksumWhenRequired(boolean b) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, accessKeyId, secretAccessKey,
        b, partSize, partsInFlight, maxConnections);
  }

  public S3Settings withBucket(String b) {
    return new S3Settings(endpoint, region, b, prefix, pathStyle, accessKeyId, secretAccessKey,
        checksumWhenRequired, partSize, partsInFlight, maxConnections);
  }

  public S3Settings withPrefix(String p) {
    return new S3Settings(endpoint, region, bucket, p, pathStyle, accessKeyId, secretAccessKey,
        checksumWhenRequired, partSize, partsInFlight, maxConnections);
  }

  public S3Settings withCredentials(String keyId, String secret) {
    return new S3Settings(endpoint, region, bucket, prefix, pathStyle, keyId, secret,
        checksumWhenRequired, partSize, partsInFlight, maxConnections);
  }

  /** Where the bucket lives, for messages: the endpoint URL, or AWS S3 and the region. */
  String describeEndpoint() {
    return endpoint.isEmpty() ? "AWS S3 (" + region + ")" : endpoint;
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + describeEndpoint() + ", region=" + region + ", bucket=" + bucket
        + ", prefix=" + prefix + ", pathStyle=" + pathStyle + ", accessKeyId=" + accessKeyId
        + ", secretAccessKey=" + (secretAccessKey.isEmpty() ? "" : "****")
        + ", checksumWhenRequired=" + checksumWhenRequired + ", partSize=" + partSize
        + ", partsInFlight=" + partsInFlight + ", maxConnections=" + maxConnections + "]";
  }
}
