package org.channelmirror.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An S3-compatible server (S3Proxy) in this process, storing under {@code root} on the local
 * filesystem and listening on 127.0.0.1 only. It lets the zero-configuration setup use the same
 * S3 code path as a real bucket.
 *
 * <p>Buckets are directories under {@code root}; object metadata lives in user extended
 * attributes, so {@code root} must be on a filesystem that supports them (ext4, xfs, btrfs).
 * Credentials are generated at random on first start and kept in {@code <root>/.credentials}
 * (owner-only permissions), so restarts and tools such as the aws cli keep working with them.
 * No bucket can be named {@code .credentials}, so the file never shows up as a bucket.
 */
public final class EmbeddedS3 implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedS3.class);
  private static final String CREDENTIALS_FILE = ".credentials";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final long STOP_TIMEOUT_MS = 5_000;

  private final S3Proxy proxy;
  private final Path root;
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String endpoint;

  private EmbeddedS3(S3Proxy proxy, Path root, String accessKeyId, String secretAccessKey) {
    this.proxy = proxy;
    this.root = root;
    this.accessKeyId = accessKeyId;
    this.secretAccessKey = secretAccessKey;
    this.endpoint = "http://127.0.0.1:" + proxy.getPort();
  }

  /** Starts the server; {@code port} 0 picks a free port. Creates {@code root} when missing. */
  public static EmbeddedS3 start(Path root, int port) throws StorageException {
    return start(root, port, UnaryOperator.identity());
  }

  /**
   * As {@link #start(Path, int)}, serving the filesystem store through {@code decorate}: lets a
   * test imitate an S3-compatible server that lacks some operations (an operation that throws
   * {@link UnsupportedOperationException} answers 501 Not Implemented).
   */
  public static EmbeddedS3 start(Path root, int port, UnaryOperator<BlobStore> decorate) throws StorageException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0..65535, was " + port);
    }
    Path dir = root.toAbsolutePath().normalize();
    String[] credentials;
    try {
      Files.createDirectories(dir);
      credentials = loadOrCreateCredentials(dir.resolve(CREDENTIALS_FILE));
    } catch (IOException e) {
      throw new StorageException("embedded S3: cannot prepare data directory " + dir + ": " + e, e, false, false);
    }
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(decorate.apply(new FilesystemNio2BlobStore(dir.toString())))
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials[0], credentials[1])
        .stopTimeout(STOP_TIMEOUT_MS)
        .build();
    try {
      proxy.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!"STARTED".equals(proxy.getState())) {
        if (System.nanoTime() > deadline || "FAILED".equals(proxy.getState())) {
          stopQuietly(proxy);
          throw new StorageException("embedded S3: did not start on 127.0.0.1:" + port + " within "
              + START_TIMEOUT.toSeconds() + " s (state " + proxy.getState() + ")", null, false, false);
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopQuietly(proxy);
      throw new StorageException("embedded S3: interrupted while starting", e, false, false);
    } catch (StorageException e) {
      throw e;
    } catch (Exception e) {
      stopQuietly(proxy);
      // port in use is the common case: say which port
      throw new StorageException("embedded S3: cannot start on 127.0.0.1:" + port + ": " + e, e, false, false);
    }
    EmbeddedS3 s3 = new EmbeddedS3(proxy, dir, credentials[0], credentials[1]);
    log.info("embedded S3 listening on {} storing under {}", s3.endpoint, dir);
    return s3;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return endpoint;
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  public Path root() {
    return root;
  }

  /** Stops the server, waiting at most a few seconds for requests in progress. */
  @Override
  public void close() {
    long started = System.nanoTime();
    stopQuietly(proxy);
    log.info("embedded S3 on {} stopped in {} ms", endpoint, (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public String toString() {
    return "EmbeddedS3[" + endpoint + ", root=" + root + ", accessKeyId=" + accessKeyId + "]";
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception e) {
      log.warn("embedded S3: stop failed: {}", e.toString());
    }
  }

  private static String[] loadOrCreateCredentials(Path file) throws IOException {
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
      String id = p.getProperty("accessKeyId", "");
      String secret = p.getProperty("secretAccessKey", "");
      if (!id.isBlank() && !secret.isBlank()) {
        return new String[] {id, secret};
      }
      log.warn("embedded S3: {} is incomplete, generating new credentials", file);
    }
    SecureRandom random = new SecureRandom();
    String id = "CM" + randomString(random, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 18);
    String secret = randomString(random,
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
    Properties p = new Properties();
    p.setProperty("accessKeyId", id);
    p.setProperty("secretAccessKey", secret);
    Path tmp = file.resolveSibling(CREDENTIALS_FILE + ".tmp");
    Files.deleteIfExists(tmp);
    createOwnerOnly(tmp);
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "channel-mirror embedded S3 credentials (127.0.0.1 only)");
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new String[] {id, secret};
  }

  private static void createOwnerOnly(Path file) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file); // not POSIX (Windows): rely on the directory's permissions
    }
  }

  private static String randomString(SecureRandom random, String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
