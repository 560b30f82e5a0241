package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.MinimalBlobStore;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PendingUpload;
import org.channelmirror.storage.S3Settings;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleanup of multipart uploads nobody will complete, against a real S3 server and catalog. */
class UploadJanitorIT {
  @TempDir
  Path dir;

  /** An S3 server (its store wrapped by {@code decorate}), a client with the bucket created, and a catalog. */
  private final class Servers implements AutoCloseable {
    EmbeddedS3 s3;
    ObjectStore store;
    Catalog catalog;

    Servers(UnaryOperator<BlobStore> decorate) throws Exception {
      try {
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0, decorate);
        store = ObjectStore.connect(S3Settings.of(s3.endpoint(), "us-east-1", "janitor", "", true,
            s3.accessKeyId(), s3.secretAccessKey()));
        catalog = Catalog.open("jdbc:h2:file:" + dir.resolve("catalog"), "", "", 2);
        store.ensureBucket(true);
      } catch (Exception e) {
        close();
        throw e;
      }
    }

    @Override
    public void close() {
      if (catalog != null) {
        catalog.close();
      }
      if (store != null) {
        store.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }

  @Test
  void abortsUnknownAndStaleUploadsAndKeepsResumableOnes() throws Exception {
    try (Servers servers = new Servers(UnaryOperator.identity())) {
      ObjectStore store = servers.store;
      Catalog catalog = servers.catalog;
      UploadJournal journal = catalog.uploadJournal();
      String unknown = store.createMultipartUpload("media/orphan.bin", null, Map.of());
      String known = store.createMultipartUpload("media/resumable.bin", null, Map.of());
      journal.start("resumable", "media/resumable.bin", known, 5L << 20, 20L << 20);
      journal.partDone("resumable", 1, "\"etag\"", 5L << 20);
      String elsewhere = store.createMultipartUpload("channels/other.json", null, Map.of());
      UploadJanitor janitor = new UploadJanitor(store, catalog, Clock.systemUTC());

      // fresh unknown uploads may belong to a process creating them right now: kept
      assertThat(janitor.sweep(Instant.now(), UploadJanitor.DEFAULT_UNKNOWN_AGE).aborted()).isEmpty();
      assertThat(store.listMultipartUploads("")).hasSize(3);

      // an hour later the unknown one is an orphan; the recorded one is still resumable
      UploadJanitor.Sweep later = janitor.sweep(Instant.now().plus(Duration.ofMinutes(61)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(later.pending()).isEqualTo(2);
      assertThat(later.aborted()).extracting(UploadJanitor.Aborted::uploadId).containsExactly(unknown);
      assertThat(store.listMultipartUploads("").stream().map(PendingUpload::uploadId))
          .containsExactlyInAnyOrder(known, elsewhere);
      assertThat(journal.find("resumable").orElseThrow().parts()).containsKey(1);

      // a recorded upload untouched for a day is given up: aborted and forgotten
      assertThat(janitor.sweep(Instant.now().plus(Duration.ofHours(25)), UploadJanitor.DEFAULT_UNKNOWN_AGE).aborted())
          .extracting(UploadJanitor.Aborted::uploadId).containsExactly(known);
      assertThat(store.listMultipartUploads("media/")).isEmpty();
      assertThat(journal.find("resumable")).isEmpty();
      assertThat(unknown).isNotEqualTo(known);
      // outside the media prefix nothing is touched
      assertThat(store.listMultipartUploads("channels/")).hasSize(1);
    }
  }

  @Test
  void onAServerThatCannotListOrAbortUploadsTheCatalogsOwnAreStillSweptAndNotRetriedForever() throws Exception {
    MinimalBlobStore[] limited = new MinimalBlobStore[1];
    try (Servers servers = new Servers(b -> limited[0] = new MinimalBlobStore(b))) {
      ObjectStore store = servers.store;
      Catalog catalog = servers.catalog;
      UploadJournal journal = catalog.uploadJournal();
      String stale = store.createMultipartUpload("media/stale.bin", null, Map.of());
      journal.start("stale", "media/stale.bin", stale, 5L << 20, 20L << 20);
      store.createMultipartUpload("media/orphan.bin", null, Map.of());
      UploadJanitor janitor = new UploadJanitor(store, catalog, Clock.systemUTC());

      UploadJanitor.Sweep s = janitor.sweep(Instant.now().plus(Duration.ofHours(25)), UploadJanitor.DEFAULT_UNKNOWN_AGE);
      assertThat(s.pending()).isEqualTo(-1);
      assertThat(s.unlisted()).contains("501");
      assertThat(s.aborted()).isEmpty();
      assertThat(s.failures()).isEmpty();
      assertThat(s.forgotten()).containsExactly("media/stale.bin");
      assertThat(s.summary()).contains("the server does not list them").contains("1 recorded upload(s) forgotten");
      assertThat(journal.find("stale")).isEmpty(); // not asked again every hour
      limited[0].limited = false;
      assertThat(store.listMultipartUploads("media/")).hasSize(2); // nothing could be aborted
    }
  }
}
