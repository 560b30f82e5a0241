package org.channelmirror.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The product's only access to object storage. Keys are full object keys: build them with
 * {@link ObjectKeys} and {@link #prefix()}. See {@code package-info.java} for the guarantees.
 */
public final class ObjectStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ObjectStore.class);
  static final String SHA256_META = "sha256";
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private final S3Settings settings;
  private final S3Client s3;
  /** For the operations that answer only once the server has the whole object (see {@link S3Clients}). */
  private S3Client slow; // guarded by this; built on first use
  private final String prefix;
  private final ExecutorService partThreads;
  private final BufferPool buffers;
  private volatile BandwidthLimit uploads = BandwidthLimit.NONE;

  private ObjectStore(S3Settings settings, S3Client s3) {
    this.settings = settings;
    this.s3 = s3;
    this.prefix = ObjectKeys.normalisePrefix(settings.prefix());
    AtomicInteger n = new AtomicInteger();
    this.partThreads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "s3-part-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.buffers = new BufferPool((int) settings.partSize(), settings.partsInFlight());
  }

  /** Builds the client; talks to nothing until the first call (see {@link #ensureBucket}). */
  public static ObjectStore connect(S3Settings settings) {
    ObjectKeys.normalisePrefix(settings.prefix()); // fail fast on a bad prefix
    ObjectStore store = new ObjectStore(settings, S3Clients.build(settings));
    log.debug("object store {}", settings);
    return store;
  }

  /** Caps the rate at which object content is sent from now on (manifests and media alike). */
  public void limitUploads(BandwidthLimit limit) {
    this.uploads = limit;
  }

  /** Checks that the bucket is reachable with these credentials; creates it when allowed. */
  public void ensureBucket(boolean createIfMissing) {
    new BucketCheck(s3, settings).ensure(createIfMissing);
  }

  /** Checks that the bucket exists and is reachable; never creates it. {@code whenMissing} says what to do. */
  public void requireBucket(String whenMissing) {
    new BucketCheck(s3, settings).ensure(false, whenMissing);
  }

  public String bucket() {
    return settings.bucket();
  }

  /** The key prefix, "" or ending in "/". */
  public String prefix() {
    return prefix;
  }

  /**
   * Streams {@code in} to {@code key} with at most {@code partsInFlight} part buffers in memory.
   * Does not close {@code in}. Aborts any multipart upload it started when anything fails.
   */
  public PutResult putStream(String key, InputStream in, String contentType, Map<String, String> userMetadata,
                             ProgressListener listener) throws IOException {
    return new StreamUpload(this, buffers, partThreads, settings.partsInFlight())
        .run(key, in, contentTypeOr(contentType), checkMetadata(userMetadata),
            listener == null ? ProgressListener.NONE : listener);
  }

  /** One PutObject, for small objects such as manifests; adds the {@code sha256} metadata. */
  public PutResult putBytes(String key, byte[] data, String contentType, Map<String, String> userMetadata) {
    Map<String, String> meta = checkMetadata(userMetadata);
    String sha = Digests.sha256Hex(data, 0, data.length);
    Digests.checkExpected("PUT " + where(key), meta, sha);
    return putBody(key, data, 0, data.length, contentTypeOr(contentType), Digests.withSha(meta, sha), sha);
  }

  /**
   * One PutObject of {@code data[offset, offset+length)} (the buffer is neither copied nor kept);
   * adds the {@code sha256} metadata, computed here once.
   */
  public PutResult putBuffer(String key, byte[] data, int offset, int length, String contentType,
                             Map<String, String> userMetadata) {
    Map<String, String> meta = checkMetadata(userMetadata);
    String sha = Digests.sha256Hex(data, offset, length);
    Digests.checkExpected("PUT " + where(key), meta, sha);
    return putBody(key, data, offset, length, contentTypeOr(contentType), Digests.withSha(meta, sha), sha);
  }

  PutResult putBody(String key, byte[] data, int offset, int length, String contentType,
                    Map<String, String> meta, String sha) {
    String etag = call("PUT " + where(key), () -> s3.putObject(b -> b.bucket(bucket()).key(key)
            .contentType(contentType).contentLength((long) length).metadata(meta),
        body(data, offset, length)).eTag());
    return new PutResult(key, length, sha, etag);
  }

  /** Metadata of {@code key}; empty when it does not exist. */
  public Optional<ObjectInfo> head(String key) {
    try {
      HeadObjectResponse r = call("HEAD " + where(key), () -> s3.headObject(b -> b.bucket(bucket()).key(key)));
      return Optional.of(new ObjectInfo(key, r.contentLength(), r.eTag(), r.lastModified(), r.contentType(),
          lowerCaseKeys(r.metadata())));
    } catch (StorageException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The content, streamed; close it. Throws {@code StorageException} with notFound() when missing. */
  public InputStream get(String key) {
    return call("GET " + where(key), () -> s3.getObject(b -> b.bucket(bucket()).key(key)));
  }

  /**
   * The user metadata (keys in lower case) that came with a stream {@link #get(String)} returned, so
   * a reader of the whole object needs no HEAD for it; empty for any other stream.
   */
  public static Map<String, String> userMetadataOf(InputStream in) {
    if (in instanceof ResponseInputStream<?> r && r.response() instanceof GetObjectResponse g) {
      return lowerCaseKeys(g.metadata());
    }
    return Map.of();
  }

  /** {@code length} bytes from {@code offset} (fewer at the end of the object). */
  public InputStream get(String key, long offset, long length) {
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("range: offset " + offset + " length " + length);
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    return call("GET " + where(key) + " " + range, () -> s3.getObject(b -> b.bucket(bucket()).key(key).range(range)));
  }

  public byte[] getBytes(String key) {
    return call("GET " + where(key), () -> s3.getObjectAsBytes(b -> b.bucket(bucket()).key(key)).asByteArray());
  }

  /** Objects whose keys start with {@code keyPrefix}, in key order, fetched page by page as iterated. */
  public Iterable<ObjectInfo> list(String keyPrefix) {
    return list(keyPrefix, 1000);
  }

  Iterable<ObjectInfo> list(String keyPrefix, int pageSize) {
    String what = "LIST " + where(keyPrefix);
    Iterable<S3Object> objects = () -> call(what, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket())
        .prefix(keyPrefix).maxKeys(pageSize)).contents().iterator());
    return () -> new TranslatingIterator<>(what, objects.iterator(),
        o -> new ObjectInfo(o.key(), o.size(), o.eTag(), o.lastModified(), null, Map.of()));
  }

  /** Deletes {@code key}; deleting a missing key succeeds. */
  public void delete(String key) {
    try {
      call("DELETE " + where(key), () -> s3.deleteObject(b -> b.bucket(bucket()).key(key)));
    } catch (StorageException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }

  public String createMultipartUpload(String key, String contentType, Map<String, String> userMetadata) {
    Map<String, String> meta = checkMetadata(userMetadata);
    return call("CREATE MULTIPART " + where(key), () -> s3.createMultipartUpload(b -> b.bucket(bucket()).key(key)
        .contentType(contentTypeOr(contentType)).metadata(meta)).uploadId());
  }

  /** Uploads {@code data[offset, offset+length)} as part {@code partNumber} (1..10000); returns its ETag. */
  public String uploadPart(String key, String uploadId, int partNumber, byte[] data, int offset, int length) {
    return call("UPLOAD PART " + partNumber + " (" + length + " bytes) of " + where(key),
        () -> s3.uploadPart(b -> b.bucket(bucket()).key(key).uploadId(uploadId).partNumber(partNumber)
            .contentLength((long) length), body(data, offset, length)).eTag());
  }

  /** Completes the upload with {@code parts} in part-number order; returns nothing, HEAD for the ETag. */
  public void completeMultipartUpload(String key, String uploadId, List<CompletedPartRef> parts) {
    completeUpload(key, uploadId, parts);
  }

  String completeUpload(String key, String uploadId, List<CompletedPartRef> parts) {
    List<CompletedPart> sorted = parts.stream().sorted(Comparator.comparingInt(CompletedPartRef::partNumber))
        .map(p -> CompletedPart.builder().partNumber(p.partNumber()).eTag(p.etag()).build()).toList();
    S3Client client = slowClient();
    return call("COMPLETE MULTIPART (" + sorted.size() + " parts) " + where(key),
        () -> client.completeMultipartUpload(b -> b.bucket(bucket()).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(sorted))).eTag());
  }

  /** Aborts; an upload that no longer exists counts as aborted. */
  public void abortMultipartUpload(String key, String uploadId) {
    try {
      call("ABORT MULTIPART " + where(key), () -> s3.abortMultipartUpload(b -> b.bucket(bucket()).key(key)
          .uploadId(uploadId)));
    } catch (StorageException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }

  /**
   * Multipart uploads in progress whose keys start with {@code keyPrefix}. The prefix is checked
   * here too: a server that ignores it (small S3 imitations list the whole bucket) must not lead
   * the cleanup to abort another tool's uploads in the same bucket.
   */
  public List<PendingUpload> listMultipartUploads(String keyPrefix) {
    return call("LIST MULTIPART " + where(keyPrefix), () -> {
      List<PendingUpload> out = new ArrayList<>();
      for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket()).prefix(keyPrefix)).uploads()) {
        if (u.key() != null && u.key().startsWith(keyPrefix)) {
          out.add(new PendingUpload(u.key(), u.uploadId(), u.initiated()));
        }
      }
      return out;
    });
  }

  public List<CompletedPartRef> listParts(String key, String uploadId) {
    return call("LIST PARTS " + where(key), () -> {
      List<CompletedPartRef> out = new ArrayList<>();
      for (Part p : s3.listPartsPaginator(b -> b.bucket(bucket()).key(key).uploadId(uploadId)).parts()) {
        // some servers leave out Size: -1, and the caller checks the part's bytes instead
        out.add(new CompletedPartRef(p.partNumber(), p.eTag(), p.size() == null ? -1 : p.size()));
      }
      out.sort(Comparator.comparingInt(CompletedPartRef::partNumber));
      return out;
    });
  }

  /** Replaces content type and user metadata by copying the object onto itself; null keeps the type. */
  public void replaceMetadata(String key, String contentType, Map<String, String> userMetadata) {
    Map<String, String> meta = checkMetadata(userMetadata);
    String type = contentType != null ? contentType
        : head(key).map(ObjectInfo::contentType).orElse(DEFAULT_CONTENT_TYPE);
    copyOntoItself(key, type, meta);
  }

  String copyOntoItself(String key, String contentType, Map<String, String> meta) {
    S3Client client = slowClient();
    return call("COPY (replace metadata) " + where(key), () -> client.copyObject(b -> b
        .sourceBucket(bucket()).sourceKey(key).destinationBucket(bucket()).destinationKey(key)
        .metadataDirective(MetadataDirective.REPLACE).contentType(contentType).metadata(meta))
        .copyObjectResult().eTag());
  }

  /** Waits a bounded time for part uploads in progress, then closes the HTTP pool. */
  @Override
  public void close() {
    partThreads.shutdown();
    try {
      if (!partThreads.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("object store: part uploads still running after 10 s, interrupting them");
        partThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      partThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    s3.close();
    synchronized (this) {
      if (slow != null) {
        slow.close();
      }
    }
  }

  /**
   * The client for CompleteMultipartUpload and CopyObject: the same settings, but it waits {@link
   * S3Clients#SLOW_OPERATION_TIMEOUT} for the answer. With the ordinary read timeout the call
   * failed while the server was still assembling the object, which cost the file an attempt.
   */
  private synchronized S3Client slowClient() {
    if (slow == null) {
      slow = S3Clients.build(settings, S3Clients.SLOW_OPERATION_TIMEOUT);
    }
    return slow;
  }

  BufferPool buffers() {
    return buffers;
  }

  String where(String key) {
    return "s3://" + bucket() + "/" + key + " at " + settings.describeEndpoint();
  }

  /** Runs one SDK call and classifies what it throws. */
  static <T> T call(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      throw S3Errors.classify(what, e);
    }
  }

  /** The buffer is not copied: the SDK re-reads it from the start on each retry. */
  private RequestBody body(byte[] data, int offset, int length) {
    BandwidthLimit limit = uploads;
    return RequestBody.fromContentProvider(() -> limit.limit(new ByteArrayInputStream(data, offset, length)), length,
        DEFAULT_CONTENT_TYPE);
  }

  static String contentTypeOr(String contentType) {
    return contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType;
  }

  /** Metadata travels in HTTP headers: keys are lower-case tokens, values printable ASCII. */
  static Map<String, String> checkMetadata(Map<String, String> meta) {
    if (meta == null || meta.isEmpty()) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    meta.forEach((k, v) -> {
      if (k == null || !k.matches("[a-z0-9][a-z0-9-]*")) {
        throw new IllegalArgumentException("metadata key '" + k + "': use lower-case letters, digits and '-'");
      }
      if (v == null || !v.matches("[\\x20-\\x7e]*")) {
        throw new IllegalArgumentException("metadata '" + k + "': value must be printable ASCII");
      }
      out.put(k, v);
    });
    return out;
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> meta) {
    Map<String, String> out = new TreeMap<>();
    meta.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
    return out;
  }
}
