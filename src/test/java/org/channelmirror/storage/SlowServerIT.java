package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;

/**
 * A server that takes longer than the read timeout to answer CompleteMultipartUpload and
 * CopyObject, as Adobe S3Mock does for a 2 GiB object (20-50 s here, against a 60 s timeout). Found by
 * the transfer sweep: the call failed with a read timeout while the server was still assembling
 * the object, which cost the file an attempt.
 */
class SlowServerIT {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
  private static final long SERVER_TAKES_MILLIS = 2500;

  @TempDir
  Path dir;
  private Duration saved;

  /** Sleeps before completing an upload or copying an object, and counts both. */
  static final class SlowAssembly extends ForwardingBlobStore {
    final AtomicInteger completes = new AtomicInteger();
    final AtomicInteger copies = new AtomicInteger();

    SlowAssembly(BlobStore delegate) {
      super(delegate);
    }

    private static void work() {
      try {
        Thread.sleep(SERVER_TAKES_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
      completes.incrementAndGet();
      work();
      return super.completeMultipartUpload(upload, request);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
      copies.incrementAndGet();
      work();
      return super.copyBlob(request);
    }
  }

  @BeforeEach
  void shortReadTimeout() {
    saved = S3Clients.readTimeout;
    S3Clients.readTimeout = READ_TIMEOUT;
  }

  @AfterEach
  void restore() {
    S3Clients.readTimeout = saved;
  }

  @Test
  void completionAndCopyThatTakeLongerThanTheReadTimeoutAreWaitedForAndAskedOnce() {
    SlowAssembly[] server = new SlowAssembly[1];
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, 0, b -> server[0] = new SlowAssembly(b));
         ObjectStore store = ObjectStore.connect(TestS3.settings(s3, "slow"))) {
      store.ensureBucket(true);
      byte[] data = new byte[1000];
      String id = store.createMultipartUpload("media/a.bin", "application/octet-stream", Map.of());
      String etag = store.uploadPart("media/a.bin", id, 1, data, 0, data.length);
      store.completeMultipartUpload("media/a.bin", id, List.of(new CompletedPartRef(1, etag, data.length)));
      store.replaceMetadata("media/a.bin", "application/octet-stream", Map.of("sha256", "ab"));

      assertThat(server[0].completes).hasValue(1);
      assertThat(server[0].copies).hasValue(1);
      assertThat(store.head("media/a.bin").orElseThrow().userMetadata()).containsEntry("sha256", "ab");
      // everything else still gives up on a silent server after the read timeout
      assertThat(S3Clients.readTimeout).isEqualTo(READ_TIMEOUT);
    }
  }
}
