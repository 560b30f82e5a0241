package org.channelmirror.storage;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 with {@code UNSIGNED-PAYLOAD} on plain-HTTP endpoints too. The SDK signs the payload
 * whenever the endpoint is not HTTPS, which for uploads means aws-chunked bodies with a signed
 * SHA-256 per 128 KiB chunk: on the embedded server that was the largest client CPU cost (see
 * docs/benchmarks.md), a second full hash of every byte on top of the file's own SHA-256.
 * Plain HTTP endpoints are the loopback/LAN servers (embedded S3Proxy, MinIO); a signature over
 * the body protects nothing there that the unencrypted transport does not already expose, and
 * the headers (method, key, upload id, part number, length) stay signed. HTTPS endpoints are
 * signed exactly as the SDK does by default.
 */
final class UnsignedPayloadOverHttp implements AuthScheme<AwsCredentialsIdentity> {
  private final AwsV4AuthScheme standard = AwsV4AuthScheme.create();
  private final Signer signer = new Signer(standard.signer());

  @Override
  public String schemeId() {
    return AwsV4AuthScheme.SCHEME_ID;
  }

  @Override
  public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
    return standard.identityProvider(providers);
  }

  @Override
  public HttpSigner<AwsCredentialsIdentity> signer() {
    return signer;
  }

  private static final class Signer implements HttpSigner<AwsCredentialsIdentity> {
    private final AwsV4HttpSigner delegate;

    Signer(AwsV4HttpSigner delegate) {
      this.delegate = delegate;
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
      SdkHttpRequest http = request.request();
      if (!"http".equals(http.protocol())) {
        return delegate.sign(request);
      }
      // signed as if HTTPS (the protocol is not part of the signature), with the Host header the
      // HTTP client will send, then put back on HTTP
      SdkHttpRequest asHttps = http.toBuilder().protocol("https").port(http.port())
          .putHeader("Host", hostHeader(http)).build();
      SignedRequest signed = delegate.sign(request.copy(b -> b.request(asHttps)
          .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
          .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)));
      SdkHttpRequest back = signed.request().toBuilder().protocol("http").port(http.port()).build();
      return signed.copy(b -> b.request(back));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
      return delegate.signAsync(request); // the product uses the sync client only
    }

    private static String hostHeader(SdkHttpRequest http) {
      int port = http.port();
      return port == 80 || port < 0 ? http.host() : http.host() + ":" + port;
    }
  }
}
