package org.channelmirror.storage;

import java.net.URI;
import java.time.Duration;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.utils.AttributeMap;

/** Builds the SDK client from {@link S3Settings}; every SDK knob we turn is here. */
final class S3Clients {
  /** The caller owns the long retry policy; the SDK only smooths over blips. */
  static final int SDK_ATTEMPTS = 3;
  /**
   * How long a request may go without a byte from the server. A part upload or download that
   * stalls this long is on a dead connection. Lowered by tests only.
   */
  static volatile Duration readTimeout = Duration.ofSeconds(60);
  /**
   * The same for CompleteMultipartUpload and CopyObject, which answer only once the server has
   * assembled or copied the whole object: Adobe S3Mock took 20-50 s to complete a 2 GiB upload on
   * a 2-core machine, close to {@link #readTimeout}; AWS S3 sends whitespace while it works, small
   * servers send nothing.
   */
  static final Duration SLOW_OPERATION_TIMEOUT = Duration.ofMinutes(15);

  private S3Clients() {}

  static S3Client build(S3Settings s) {
    return build(s, readTimeout);
  }

  /** A client whose requests may wait {@code read} for the server's next byte. */
  static S3Client build(S3Settings s, Duration read) {
    var builder = S3Client.builder()
        .region(Region.of(s.region()))
        .credentialsProvider(credentials(s))
        .forcePathStyle(s.pathStyle())
        // "Expect: 100-continue" costs a round trip per request, about half the throughput of
        // 1-2 MB files against S3Proxy; a rejected request wastes at most one part instead
        .serviceConfiguration(c -> c.expectContinueEnabled(false))
        .httpClientBuilder(new TunedHttpClient(AttributeMap.builder()
            .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, s.maxConnections())
            .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, Duration.ofSeconds(10))
            // a part write or read that stalls this long is a dead connection
            .put(SdkHttpConfigurationOption.READ_TIMEOUT, read)
            .put(SdkHttpConfigurationOption.WRITE_TIMEOUT, Duration.ofSeconds(60))
            .put(SdkHttpConfigurationOption.CONNECTION_ACQUIRE_TIMEOUT, Duration.ofMinutes(2))
            .put(SdkHttpConfigurationOption.CONNECTION_MAX_IDLE_TIMEOUT, Duration.ofSeconds(30))
            .put(SdkHttpConfigurationOption.TCP_KEEPALIVE, true)
            .build()))
        .overrideConfiguration(o -> o.retryStrategy(
            AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(SDK_ATTEMPTS).build()));
    if (!s.endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(s.endpoint()));
      if (s.endpoint().startsWith("http://")) {
        builder.putAuthScheme(new UnsignedPayloadOverHttp());
      }
    }
    if (s.checksumWhenRequired()) {
      builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(S3Settings s) {
    if (s.accessKeyId().isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey()));
  }

  /**
   * The sync HTTP client found on the classpath (Apache5, a runtime dependency of the s3
   * module), with our pool size and timeouts laid over the SDK's defaults. Going through the
   * SPI keeps the code free of a compile-time dependency on one HTTP implementation.
   */
  private static final class TunedHttpClient implements SdkHttpClient.Builder<TunedHttpClient> {
    private final AttributeMap options;

    TunedHttpClient(AttributeMap options) {
      this.options = options;
    }

    @Override
    public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
      SdkHttpService chosen = null;
      for (SdkHttpService service : ServiceLoader.load(SdkHttpService.class)) {
        if (chosen == null || service.getClass().getName().contains("apache5")) {
          chosen = service;
        }
      }
      if (chosen == null) {
        throw new IllegalStateException("no sync HTTP client for the AWS SDK on the classpath (apache5-client)");
      }
      return chosen.createHttpClientBuilder().buildWithDefaults(options.merge(serviceDefaults));
    }
  }
}
