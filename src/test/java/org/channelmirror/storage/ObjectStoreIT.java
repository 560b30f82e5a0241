package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract, against a real S3-compatible server (S3Proxy, filesystem-backed). */
class ObjectStoreIT {
  private static final long MIB = 1024 * 1024;
  private static final Map<String, String> META = Map.of("chat-id", "-1001234567890", "message-id", "42",
      "file-unique-id", "AQADw-x_Yz");

  @TempDir
  static Path dir;
  static EmbeddedS3 server;
  static ObjectStore store;

  @BeforeAll
  static void start() {
    server = TestS3.start(dir.resolve("s3"));
    store = ObjectStore.connect(TestS3.settings(server, "contract").withPartSize(5 * MIB));
    store.ensureBucket(true);
  }

  @AfterAll
  static void stop() {
    store.close();
    server.close();
  }

  @Test
  void ensureBucketIsRepeatable() {
    store.ensureBucket(true);
    store.ensureBucket(false);
    assertThat(store.prefix()).isEqualTo("test/");
    assertThat(store.bucket()).isEqualTo("contract");
  }

  @Test
  void missingBucketWithoutCreateSaysWhatToDo() {
    try (ObjectStore other = ObjectStore.connect(TestS3.settings(server, "no-such-bucket"))) {
      StorageException e = assertThrows(StorageException.class, () -> other.ensureBucket(false));
      assertThat(e.getMessage()).contains("no-such-bucket", server.endpoint(), "does not exist", "create");
      assertThat(e.retryable()).isFalse();
      other.ensureBucket(true);
      other.ensureBucket(false);
    }
  }

  @Test
  void wrongSecretIsPermanentAndNeverPrinted() {
    S3Settings bad = TestS3.settings(server, "contract").withCredentials(server.accessKeyId(), "wrong-secret-123");
    try (ObjectStore other = ObjectStore.connect(bad)) {
      StorageException e = assertThrows(StorageException.class, () -> other.ensureBucket(false));
      assertThat(e.getMessage()).contains("contract", server.endpoint(), "secret").doesNotContain("wrong-secret-123");
      assertThat(e.retryable()).isFalse();
    }
    assertThat(bad.toString()).doesNotContain("wrong-secret-123").contains("****");
  }

  @Test
  void unknownAccessKeyIsPermanent() {
    S3Settings bad = TestS3.settings(server, "contract").withCredentials("UNKNOWNKEY", server.secretAccessKey());
    try (ObjectStore other = ObjectStore.connect(bad)) {
      StorageException e = assertThrows(StorageException.class, () -> other.ensureBucket(false));
      assertThat(e.getMessage()).contains("contract", server.endpoint()).containsIgnoringCase("access key");
      assertThat(e.getMessage()).doesNotContain(server.secretAccessKey());
      assertThat(e.retryable()).isFalse();
    }
  }

  @Test
  void unreachableEndpointIsRetryableAndNamed() {
    S3Settings nowhere = S3Settings.of("http://127.0.0.1:1", "us-east-1", "contract", "", true, "a", "b");
    try (ObjectStore other = ObjectStore.connect(nowhere)) {
      StorageException e = assertThrows(StorageException.class, () -> other.ensureBucket(false));
      assertThat(e.getMessage()).contains("cannot reach", "http://127.0.0.1:1", "contract");
      assertThat(e.retryable()).isTrue();
    }
  }

  @Test
  void putBytesRoundTripsContentTypeAndMetadata() {
    byte[] data = "{\"post\":1}".getBytes(StandardCharsets.UTF_8);
    String key = store.prefix() + "bytes/manifest.json";
    PutResult put = store.putBytes(key, data, "application/json", META);
    assertThat(put.size()).isEqualTo(data.length);
    assertThat(put.sha256Hex()).isEqualTo(TestS3.sha256(data));
    assertThat(store.getBytes(key)).isEqualTo(data);
    ObjectInfo info = store.head(key).orElseThrow();
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.contentType()).isEqualTo("application/json");
    assertThat(info.userMetadata()).containsAllEntriesOf(META).containsEntry("sha256", put.sha256Hex());
    assertThat(info.etag()).isEqualTo(put.etag());
  }

  @Test
  void missingObjects() {
    String key = store.prefix() + "missing/nothing";
    assertThat(store.head(key)).isEmpty();
    StorageException e = assertThrows(StorageException.class, () -> store.get(key));
    assertThat(e.notFound()).isTrue();
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains(key);
    assertThat(assertThrows(StorageException.class, () -> store.getBytes(key)).notFound()).isTrue();
  }

  @Test
  void smallStreamIsOnePut() throws IOException {
    byte[] data = random(100_000, 1);
    String key = store.prefix() + "stream/small.jpg";
    AtomicLong progress = new AtomicLong();
    PutResult put = store.putStream(key, new ByteArrayInputStream(data), "image/jpeg", META, counting(progress));
    assertThat(put).isEqualTo(new PutResult(key, data.length, TestS3.sha256(data), put.etag()));
    assertThat(progress).hasValue(data.length);
    assertThat(store.getBytes(key)).isEqualTo(data);
    ObjectInfo info = store.head(key).orElseThrow();
    assertThat(info.contentType()).isEqualTo("image/jpeg");
    assertThat(info.userMetadata()).containsAllEntriesOf(META).containsEntry("sha256", put.sha256Hex());
    // a single PUT has a plain MD5 ETag, a multipart one ends in -<parts>
    assertThat(put.etag()).doesNotContain("-");
  }

  @Test
  void streamOfExactlyOnePartIsOnePut() throws IOException {
    byte[] data = random((int) (5 * MIB), 2);
    String key = store.prefix() + "stream/one-part";
    PutResult put = store.putStream(key, new ByteArrayInputStream(data), null, Map.of(), null);
    assertThat(put.sha256Hex()).isEqualTo(TestS3.sha256(data));
    assertThat(store.getBytes(key)).isEqualTo(data);
    assertThat(store.head(key).orElseThrow().contentType()).isEqualTo("application/octet-stream");
  }

  @Test
  void emptyStream() throws IOException {
    String key = store.prefix() + "stream/empty";
    PutResult put = store.putStream(key, InputStream.nullInputStream(), "text/plain", Map.of(), null);
    assertThat(put.size()).isZero();
    assertThat(store.getBytes(key)).isEmpty();
  }

  @Test
  void largeStreamIsMultipartAndByteIdentical() throws IOException {
    byte[] data = random((int) (40 * MIB + 12345), 3);
    String key = store.prefix() + "stream/large.mp4";
    AtomicLong progress = new AtomicLong();
    PutResult put = store.putStream(key, new ByteArrayInputStream(data), "video/mp4", META, counting(progress));
    String sha = TestS3.sha256(data);
    assertThat(put.size()).isEqualTo(data.length);
    assertThat(put.sha256Hex()).isEqualTo(sha);
    assertThat(progress).hasValue(data.length);
    try (InputStream in = store.get(key)) {
      assertThat(TestS3.sha256(in)).isEqualTo(sha);
    }
    ObjectInfo info = store.head(key).orElseThrow();
    assertThat(info.size()).isEqualTo(data.length);
    assertThat(info.contentType()).isEqualTo("video/mp4");
    assertThat(info.userMetadata()).containsAllEntriesOf(META).containsEntry("sha256", sha);
    assertThat(info.etag()).isEqualTo(put.etag());
    assertThat(store.listMultipartUploads(store.prefix() + "stream/")).isEmpty();
  }

  @Test
  void rangedGet() throws IOException {
    byte[] data = random(1_000_000, 4);
    String key = store.prefix() + "range/blob";
    store.putBytes(key, data, null, Map.of());
    try (InputStream in = store.get(key, 1000, 5000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 6000));
    }
    try (InputStream in = store.get(key, 999_990, 100)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 999_990, 1_000_000));
    }
  }

  @Test
  void listPaginatesInKeyOrder() {
    String base = store.prefix() + "list/";
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      String key = ObjectKeys.manifest(base, -100123, 9 - i, 0, "abcdef0123456789");
      store.putBytes(key, new byte[i], "application/json", Map.of());
      keys.add(key);
    }
    List<ObjectInfo> listed = new ArrayList<>();
    store.list(base, 2).forEach(listed::add);
    assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(reversed(keys));
    assertThat(listed).allSatisfy(o -> {
      assertThat(o.etag()).isNotBlank();
      assertThat(o.lastModified()).isNotNull();
      assertThat(o.userMetadata()).isEmpty();
    });
    assertThat(listed.get(0).size()).isEqualTo(6);
    assertThat(store.list(base + "nothing-here/")).isEmpty();
  }

  @Test
  void deleteIsIdempotent() {
    String key = store.prefix() + "delete/me";
    store.putBytes(key, new byte[] {1}, null, Map.of());
    store.delete(key);
    assertThat(store.head(key)).isEmpty();
    store.delete(key);
  }

  @Test
  void failingStreamLeavesNoUploadAndRethrows() {
    String key = store.prefix() + "fail/broken";
    IOException boom = new IOException("disk gone");
    InputStream broken = new FailingStream(new TestS3.GeneratedStream(100 * MIB, 5), 17 * MIB, boom);
    IOException thrown = assertThrows(IOException.class,
        () -> store.putStream(key, broken, "video/mp4", META, null));
    assertThat(thrown).isSameAs(boom);
    assertThat(store.listMultipartUploads(store.prefix() + "fail/")).isEmpty();
    assertThat(store.head(key)).isEmpty();
  }

  @Test
  void failingPartAbortsAndRethrows() {
    String key = store.prefix() + "partfail/x";
    IllegalStateException boom = new IllegalStateException("listener broke");
    ProgressListener failing = new ProgressListener() {
      @Override
      public void bytesUploaded(long delta) {
        throw boom;
      }
    };
    StorageException e = assertThrows(StorageException.class,
        () -> store.putStream(key, new TestS3.GeneratedStream(30 * MIB, 9), null, Map.of(), failing));
    assertThat(e).hasRootCauseMessage("listener broke");
    assertThat(store.listMultipartUploads(store.prefix() + "partfail/")).isEmpty();
    assertThat(store.head(key)).isEmpty();
  }

  @Test
  void exactMultipleOfPartSizeWithOnePartInFlight() throws IOException {
    S3Settings one = TestS3.settings(server, "contract").withPartSize(5 * MIB).withPartsInFlight(1);
    try (ObjectStore serial = ObjectStore.connect(one)) {
      String key = serial.prefix() + "exact/two-parts";
      TestS3.GeneratedStream in = new TestS3.GeneratedStream(10 * MIB, 10);
      PutResult put = serial.putStream(key, in, null, Map.of(), null);
      assertThat(put.size()).isEqualTo(10 * MIB);
      assertThat(put.sha256Hex()).isEqualTo(in.sha256Hex());
      assertThat(serial.buffers().allocated()).isEqualTo(1);
      try (InputStream back = serial.get(key)) {
        assertThat(TestS3.sha256(back)).isEqualTo(put.sha256Hex());
      }
    }
  }

  @Test
  void interruptCancelsAndAborts() {
    String key = store.prefix() + "interrupt/x";
    Thread caller = Thread.currentThread();
    InputStream in = new FailingStream(new TestS3.GeneratedStream(100 * MIB, 6), 12 * MIB, null) {
      @Override
      void fail() {
        caller.interrupt();
      }
    };
    try {
      assertThrows(InterruptedIOException.class, () -> store.putStream(key, in, null, Map.of(), null));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(store.listMultipartUploads(store.prefix() + "interrupt/")).isEmpty();
  }

  @Test
  void wrongExpectedShaIsPermanentAndStoresNothing() {
    String key = store.prefix() + "sha/wrong";
    Map<String, String> meta = Map.of("sha256", "00".repeat(32));
    StorageException e = assertThrows(StorageException.class,
        () -> store.putStream(key, new TestS3.GeneratedStream(12 * MIB, 7), null, meta, null));
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("checksum mismatch");
    assertThat(store.listMultipartUploads(store.prefix() + "sha/")).isEmpty();
    assertThat(store.head(key)).isEmpty();
  }

  @Test
  void multipartPrimitives() {
    String key = store.prefix() + "parts/manual.bin";
    byte[] data = random((int) (11 * MIB), 8);
    String id = store.createMultipartUpload(key, "application/zip", META);
    assertThat(store.listMultipartUploads(store.prefix() + "parts/"))
        .extracting(PendingUpload::key, PendingUpload::uploadId).containsExactly(org.assertj.core.groups.Tuple.tuple(key, id));
    int part = (int) (5 * MIB);
    // out of order on purpose: complete must sort
    String e2 = store.uploadPart(key, id, 2, data, part, part);
    String e1 = store.uploadPart(key, id, 1, data, 0, part);
    String e3 = store.uploadPart(key, id, 3, data, 2 * part, data.length - 2 * part);
    List<CompletedPartRef> parts = store.listParts(key, id);
    assertThat(parts).extracting(CompletedPartRef::partNumber).containsExactly(1, 2, 3);
    assertThat(parts).extracting(CompletedPartRef::size).containsExactly((long) part, (long) part, (long) data.length - 2 * part);
    assertThat(parts).extracting(CompletedPartRef::etag).containsExactly(e1, e2, e3);
    store.completeMultipartUpload(key, id, List.of(parts.get(2), parts.get(0), parts.get(1)));
    assertThat(store.getBytes(key)).isEqualTo(data);
    assertThat(store.listMultipartUploads(store.prefix() + "parts/")).isEmpty();

    store.replaceMetadata(key, null, Map.of("sha256", TestS3.sha256(data), "chat-id", "1"));
    ObjectInfo info = store.head(key).orElseThrow();
    assertThat(info.contentType()).isEqualTo("application/zip");
    assertThat(info.userMetadata()).containsEntry("sha256", TestS3.sha256(data)).containsEntry("chat-id", "1")
        .doesNotContainKey("message-id");
    assertThat(store.getBytes(key)).isEqualTo(data);
  }

  @Test
  void abortIsIdempotent() {
    String key = store.prefix() + "abort/x";
    String id = store.createMultipartUpload(key, null, Map.of());
    store.uploadPart(key, id, 1, new byte[100], 0, 100);
    store.abortMultipartUpload(key, id);
    store.abortMultipartUpload(key, id);
    assertThat(store.listMultipartUploads(store.prefix() + "abort/")).isEmpty();
    assertThat(store.head(key)).isEmpty();
  }

  @Test
  void badMetadataIsRejectedBeforeSending() {
    assertThrows(IllegalArgumentException.class,
        () -> store.putBytes(store.prefix() + "x", new byte[1], null, Map.of("Chat Id", "1")));
    assertThrows(IllegalArgumentException.class,
        () -> store.putBytes(store.prefix() + "x", new byte[1], null, Map.of("name", "caf\u00e9")));
  }

  static ProgressListener counting(AtomicLong total) {
    return new ProgressListener() {
      @Override
      public void bytesUploaded(long delta) {
        total.addAndGet(delta);
      }
    };
  }

  static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Passes {@code limit} bytes through, then fails (or calls {@link #fail}). */
  static class FailingStream extends InputStream {
    private final InputStream in;
    private final IOException error;
    private long left;

    FailingStream(InputStream in, long limit, IOException error) {
      this.in = in;
      this.left = limit;
      this.error = error;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        fail();
        left = Long.MAX_VALUE;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      left -= Math.max(n, 0);
      return n;
    }

    void fail() throws IOException {
      throw error;
    }
  }
}
