package org.channelmirror.app;

import org.channelmirror.config.Config;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.StorageConfig;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured storage: the S3 client, and the embedded S3-compatible server when
 * {@code storage.endpoint} is empty. {@link Application} opens it with the catalog; {@code restore}
 * and {@code export} open it alone ({@link #openExisting}), since they read the bucket and nothing
 * else: the catalog of the old server may be gone, unreachable, or locked by a running service.
 */
public final class BackupBucket implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupBucket.class);
  static final String EXISTING_ONLY = "check storage.bucket and storage.endpoint (this command reads an existing"
      + " backup and never creates a bucket)";

  private final EmbeddedS3 embedded;
  private final ObjectStore store;

  private BackupBucket(EmbeddedS3 embedded, ObjectStore store) {
    this.embedded = embedded;
    this.store = store;
  }

  /** The client settings for the configured bucket at {@code endpoint} with these credentials. */
  static S3Settings settings(StorageConfig sc, String endpoint, String key, String secret) {
    return new S3Settings(endpoint, sc.region(), sc.bucket(), sc.prefix(), sc.pathStyle(), key, secret,
        sc.checksum().equals("WHEN_REQUIRED"), sc.partSize(), 2, 32);
  }

  /** Connects (starting the embedded server when configured); does not talk to the bucket yet. */
  static BackupBucket connect(Config config) {
    StorageConfig sc = config.storage();
    if (!sc.embedded()) {
      return new BackupBucket(null, ObjectStore.connect(settings(sc, sc.endpoint(), sc.accessKeyId(),
          sc.secretAccessKey().reveal())));
    }
    Application.createDirectory(config.dataDir().resolve("s3"), "the embedded storage's directory", "dataDir");
    EmbeddedS3 embedded = EmbeddedS3.start(config.dataDir().resolve("s3").toAbsolutePath(), sc.embeddedPort());
    try {
      Secrets.register(embedded.secretAccessKey());
      log.info("embedded S3-compatible storage at {} (files under {})", embedded.endpoint(), embedded.root());
      return new BackupBucket(embedded, ObjectStore.connect(settings(sc, embedded.endpoint(),
          embedded.accessKeyId(), embedded.secretAccessKey())));
    } catch (RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  /** The bucket of an existing backup, which must exist (it is never created); no catalog is opened. */
  public static BackupBucket openExisting(Config config) {
    BackupBucket bucket = connect(config);
    try {
      bucket.requireExisting(config);
      return bucket;
    } catch (RuntimeException e) {
      bucket.close();
      throw e;
    }
  }

  void requireExisting(Config config) {
    store.requireBucket(EXISTING_ONLY + (config.storage().embedded() ? "; with no endpoint it is the embedded storage"
        + " under " + config.dataDir().resolve("s3") + ", which holds no backup yet" : ""));
  }

  public ObjectStore store() {
    return store;
  }

  EmbeddedS3 embedded() {
    return embedded;
  }

  @Override
  public void close() {
    store.close();
    if (embedded != null) {
      embedded.close();
    }
  }
}
