package org.channelmirror.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.catalog.UploadJournal;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.TelegramConfig;
import org.channelmirror.config.TransferConfig;
import org.channelmirror.retry.Backoff;
import org.channelmirror.storage.BandwidthLimit;
import org.channelmirror.storage.CompletedPartRef;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectKeys;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.PendingUpload;
import org.channelmirror.storage.PutResult;
import org.channelmirror.storage.StorageException;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.telegram.Download;
import org.channelmirror.telegram.FileLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one media file from the Bot API into storage. See {@code package-info.java} for the
 * algorithm: one GET and one PutObject for a file that fits one part, otherwise a sliding window
 * of ranged GETs feeding a multipart upload that is journaled part by part and resumed after a
 * crash. Retries passing faults a bounded number of times; the caller records the outcome.
 */
public final class MediaTransfer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);
  /** CompleteMultipartUpload refusing the part list: a listed part is missing or differs. */
  private static final Set<String> INVALID_PART_CODES = Set.of("InvalidPart", "InvalidPartOrder");
  /**
   * A media type as RFC 9110 writes one, parameters included ("text/plain; charset=utf-8"); spaces
   * and tabs only, so nothing can break the header line.
   */
  private static final Pattern MIME_TYPE;

  static {
    String token = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
    MIME_TYPE = Pattern.compile(token + "/" + token
        + "(?:[ \\t]*;[ \\t]*" + token + "=(?:" + token + "|\"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\x20-\\x7e])*\"))*");
  }

  private final BotApi api;
  private final ObjectStore store;
  private final UploadJournal journal;
  private final TelegramConfig telegram;
  private final TransferConfig config;
  private final long partSize;
  private final PartBuffers buffers;
  private final CloseableHttpClient http;
  private final HttpUrl fileBase;
  private final ExecutorService partThreads;
  private final BandwidthLimit downloads;
  /** Logged once, by the first transfer: commands that move no media do not mention the engine. */
  private final String settings;
  private final AtomicBoolean announced = new AtomicBoolean();

  public MediaTransfer(BotApi api, ObjectStore store, UploadJournal journal, TelegramConfig telegram,
                       TransferConfig config, long partSize) {
    this.api = api;
    this.store = store;
    this.journal = journal;
    this.telegram = telegram;
    this.config = config;
    this.partSize = partSize;
    int capacity = PartBuffers.capacityFor(Runtime.getRuntime().maxMemory(), partSize, config.concurrency(),
        config.window());
    this.buffers = new PartBuffers(Math.toIntExact(partSize), capacity);
    int connections = config.concurrency() * config.window() + 4;
    // HTTP/1.1 keep-alive, one TCP connection per part in flight: per-connection limits add up
    this.http = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(connections)
            .setMaxConnPerRoute(connections)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofSeconds(15))
                .setSocketTimeout(Timeout.ofSeconds(60)) // a read that stalls this long is a dead connection
                .setTimeToLive(TimeValue.ofMinutes(10))
                .build())
            .build())
        .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(60)).build())
        .evictIdleConnections(TimeValue.ofMinutes(2))
        .disableContentCompression() // byte ranges of a compressed answer would mean nothing
        .disableCookieManagement()
        .setRetryStrategy(new RetryUnansweredOnly())
        .useSystemProperties() // proxies, like the Bot API client
        .build();
    this.fileBase = HttpUrl.get(telegram.apiUrl().toString()).newBuilder()
        .addPathSegment("file").addPathSegment("bot" + telegram.token().reveal()).build();
    AtomicInteger n = new AtomicInteger();
    this.partThreads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "transfer-part-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.downloads = BandwidthLimit.of(config.downloadLimit());
    this.settings = String.format("transfer engine: %d file(s) at once, window of %d parts of %d MiB, at most %d"
        + " part buffer(s) (%d MiB)%s", config.concurrency(), config.window(), partSize >> 20, capacity,
        (capacity * partSize) >> 20, limits(config));
  }

  /**
   * Apache's default strategy also repeats a 429 or 503 after its Retry-After, however long that
   * is: a proxy answering 503 with "Retry-After: 3600" would hold a part thread for an hour. Status
   * codes are the engine's to handle (capped flood waits, backoff, the part's attempts); the client
   * only repeats a request that got no answer at all, as on a keep-alive connection the server had
   * closed.
   */
  private static final class RetryUnansweredOnly extends DefaultHttpRequestRetryStrategy {
    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
      return false;
    }
  }

  private static String limits(TransferConfig config) {
    String up = config.uploadLimit() == 0 ? "" : "uploads " + mbPerSecond(config.uploadLimit());
    String down = config.downloadLimit() == 0 ? "" : "downloads " + mbPerSecond(config.downloadLimit());
    String both = up.isEmpty() || down.isEmpty() ? up + down : up + ", " + down;
    return both.isEmpty() ? "" : ", bandwidth limit: " + both;
  }

  private static String mbPerSecond(long bytesPerSecond) {
    return String.format(Locale.ROOT, "%.2f MB/s", bytesPerSecond / 1e6);
  }

  /**
   * Throws a {@link org.channelmirror.config.ConfigException} when one part buffer would take more
   * than half the heap. The application calls it first thing, before anything is opened.
   */
  public static void checkHeapFor(long partSize) {
    PartBuffers.checkFits(Runtime.getRuntime().maxMemory(), partSize);
  }

  /**
   * Transfers one file. Whether it is too big is the Bot API server's call (its getFile answer),
   * not a size checked before asking: the cloud refuses files over 20 MB, a server that serves
   * bigger ones over HTTP is used as it is. Only a local-mode path for a file over the cloud limit,
   * while configured for cloud mode, is reported too big without a download attempt.
   */
  public TransferOutcome transfer(Blob blob, TransferListener listener) throws InterruptedException {
    if (announced.compareAndSet(false, true)) {
      log.info(settings);
    }
    String lastError = "no attempt made";
    boolean retryable = true;
    boolean oneStream = false;
    int maxAttempts = config.maxAttempts();
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        return attempt(blob, listener, oneStream);
      } catch (HttpFileSource.RangesIgnored e) {
        if (!oneStream) {
          // not a failure of the file: the server honoured the probe's Range, then stopped. The
          // parts already uploaded stay (resumed from the journal); the rest comes from one stream
          log.info("media {}: {}; reading the file again as one stream", blob.fileUniqueId(), e.getMessage());
          oneStream = true;
          attempt--;
          continue;
        }
        lastError = e.getMessage();
      } catch (BotApiException e) {
        if (e.kind() == BotApiException.Kind.TOO_BIG) {
          String why = tooBigReason(blob.expectedSize());
          abandonRecorded(blob, why);
          return new TransferOutcome.TooBig(why);
        }
        lastError = e.getMessage();
        retryable = e.kind() != BotApiException.Kind.PERMANENT;
        if (!retryable) {
          break;
        }
      } catch (StorageException e) {
        lastError = "storage: " + e.getMessage();
        if (!e.retryable()) {
          // a refusal by storage (permissions, a full quota, a missing feature) is the bucket's
          // problem, not this file's: stop trying in this run, but keep a recorded upload to
          // resume, and let later runs try again on the normal backoff once storage is fixed
          return new TransferOutcome.Failed(Secrets.redact(lastError), true);
        }
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("transfer of " + blob.fileUniqueId() + " interrupted");
        }
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        if (sizeDisagrees(e)) {
          // the same answer on every try: later runs ask again on the normal backoff (a new getFile)
          lastError = Secrets.redact(lastError);
          log.warn("media {} of message {}/{}: {}; not tried again in this run", blob.fileUniqueId(), blob.chatId(),
              blob.messageId(), lastError);
          return new TransferOutcome.Failed(lastError, true);
        }
      }
      lastError = Secrets.redact(lastError);
      log.warn("media {} of message {}/{}: attempt {} of {} failed: {}", blob.fileUniqueId(), blob.chatId(),
          blob.messageId(), attempt, maxAttempts, lastError);
      if (attempt < maxAttempts) {
        Backoff.sleep(Duration.ofSeconds(1), attempt, Duration.ofSeconds(10));
      }
    }
    if (!retryable) {
      abandonRecorded(blob, lastError);
    }
    return new TransferOutcome.Failed(Secrets.redact(lastError), retryable);
  }

  /**
   * A file that failed for good (its file_id is refused, it is too big now) cannot finish an
   * upload an earlier run began: abort that upload now rather than leave it to the cleanup job.
   */
  private void abandonRecorded(Blob blob, String why) {
    try {
      journal.find(blob.fileUniqueId()).filter(UploadJournal.Upload::active)
          .ifPresent(u -> abandon(u.objectKey(), u.uploadId(), blob.fileUniqueId(),
              "it cannot be resumed: " + why));
    } catch (RuntimeException e) { // the cleanup job gets it later
      log.warn("media {}: could not check for an upload to abort: {}", blob.fileUniqueId(), e.getMessage());
    }
  }

  /** One try; {@code oneStream}: read the file as one stream, not in ranged parts (see {@link HttpFileSource#whole}). */
  private TransferOutcome attempt(Blob blob, TransferListener listener, boolean oneStream)
      throws IOException, InterruptedException {
    FileLocation loc = api.getFile(blob.fileId());
    String key = ObjectKeys.media(store.prefix(), blob.fileUniqueId(),
        ObjectKeys.extensionFor(blob.mimeType(), blob.fileName(), loc.filePath(), blob.kind().field()));
    long total = loc.fileSize() != null ? loc.fileSize() : blob.expectedSize() == null ? -1 : blob.expectedSize();
    // only multipart uploads are journaled: a file that fits one part needs no catalog look-up
    UploadJournal.Upload recorded = total >= 0 && total <= partSize ? null
        : journal.find(blob.fileUniqueId()).orElse(null);
    Optional<TransferOutcome.Stored> present = alreadyStored(blob, key, total, recorded);
    if (present.isPresent()) {
      return present.get();
    }
    if (total < 0) {
      return streamUnknownSize(blob, loc, key, listener);
    }
    Progress progress = new Progress(blob, total, listener);
    try (FileSource src = open(blob, loc, total)) {
      if (total <= partSize) {
        return single(blob, key, total, src, progress);
      }
      return multipart(blob, key, total, src, recorded, progress, oneStream);
    } catch (BotApiException | IOException e) {
      if (telegram.localMode() || loc.filePath() == null || !loc.filePath().startsWith("/")) {
        throw e;
      }
      // an absolute file_path comes from a server started with --local: unless a web server maps
      // it to /file/ URLs, the file has to be read from disk; say what to change
      throw new BotApiException(BotApiException.Kind.PERMANENT, 0, 0, Secrets.redact(e.getMessage())
          + " (the Bot API server at " + telegram.apiUrl() + " runs with --local: getFile returned a path on"
          + " its disk; set telegram.localMode: true and make that directory readable here)", e);
    }
  }

  /**
   * Stored by an earlier run that died before recording it, or by another instance. Files that
   * fit one part are not looked up (a HEAD costs about as much as their PutObject): after such a
   * crash they are simply uploaded again, byte-identical.
   */
  private Optional<TransferOutcome.Stored> alreadyStored(Blob blob, String key, long total,
                                                          UploadJournal.Upload recorded) {
    if (recorded == null && total >= 0 && total <= partSize) {
      return Optional.empty();
    }
    // completed, or being completed when the process died: either way the whole file was hashed
    // (the hash is recorded just before CompleteMultipartUpload), and an object of the recorded
    // size under the key is that upload's
    if (recorded != null && recorded.sha256() != null) {
      Optional<ObjectInfo> o = store.head(recorded.objectKey());
      if (o.isPresent() && o.get().size() == recorded.totalSize() && (total < 0 || total == recorded.totalSize())) {
        if (config.sha256MetadataAlways() && !o.get().userMetadata().containsKey("sha256")) {
          addSha256Metadata(blob, recorded.objectKey(), recorded.sha256()); // the process died before the copy
        }
        return Optional.of(new TransferOutcome.Stored(recorded.objectKey(), recorded.totalSize(), recorded.sha256(), true));
      }
      if (recorded.state() == UploadJournal.State.COMPLETED) {
        journal.forget(blob.fileUniqueId());
      }
    }
    Optional<ObjectInfo> existing = store.head(key);
    if (existing.isPresent() && existing.get().userMetadata().containsKey("sha256")
        && (total < 0 || existing.get().size() == total)) {
      ObjectInfo o = existing.get();
      return Optional.of(new TransferOutcome.Stored(key, o.size(), o.userMetadata().get("sha256"), true));
    }
    return Optional.empty();
  }

  private FileSource open(Blob blob, FileLocation loc, long total) throws IOException {
    String path = loc.filePath();
    if (path == null || path.isEmpty()) {
      throw new BotApiException(BotApiException.Kind.RETRYABLE, 0, 0,
          "getFile returned no file_path for file " + loc.fileUniqueId(), null);
    }
    if (telegram.localMode() && path.startsWith("/")) {
      return LocalFileSource.open(Path.of(path), telegram.localRoot(), total);
    }
    return new HttpFileSource(http, fileBase, path, total, downloads, api.fileServerGate(), () -> {
      log.info("media {}: file link expired, calling getFile again", blob.fileUniqueId());
      return api.getFile(blob.fileId()).filePath();
    });
  }

  /** One GET, one PutObject: the common case of photos and short videos. */
  private TransferOutcome single(Blob blob, String key, long total, FileSource src, Progress progress)
      throws IOException, InterruptedException {
    byte[] buf = buffers.take();
    try {
      readWithRetry(src, 0, buf, (int) total, progress);
      PutResult put = store.putBuffer(key, buf, 0, (int) total, contentType(blob, key), metadata(blob));
      progress.partStored();
      return new TransferOutcome.Stored(key, total, put.sha256Hex(), false);
    } finally {
      buffers.give(buf);
    }
  }

  private TransferOutcome multipart(Blob blob, String key, long total, FileSource src,
                                    UploadJournal.Upload recorded, Progress progress, boolean oneStream)
      throws IOException, InterruptedException {
    String id = blob.fileUniqueId();
    Map<Integer, CompletedPartRef> resumed = new HashMap<>();
    String uploadId = resumable(blob, key, total, recorded, resumed);
    boolean resuming = uploadId != null;
    PartWindow.HashStart hashStart = resuming ? hashStart(recorded, total) : null;
    String prehashed = null;
    if (!resuming) {
      Map<String, String> meta = metadata(blob);
      if (config.sha256MetadataAlways() && src instanceof LocalFileSource local) {
        // a second read of a local file costs far less than the server rewriting the object
        // to add the hash afterwards (over HTTP it would download the file twice: not there)
        prehashed = local.sha256();
        meta = new HashMap<>(meta);
        meta.put("sha256", prehashed);
      }
      // uploads of this key nobody will complete (the catalog does not know them: a reset catalog, a
      // crash between creating one and recording it) go first: some servers (Adobe S3Mock) keep one
      // store per key, and aborting another upload of it later would drop this one's parts or object
      abortStrays(id, key, null);
      uploadId = store.createMultipartUpload(key, contentType(blob, key), meta);
      journal.start(id, key, uploadId, partSize, total);
    } else {
      int from = hashStart == null ? 0 : hashStart.parts();
      long reread = resumed.keySet().stream().filter(n -> n > from).count();
      int spot = PartWindow.spotCheck(PartWindow.partCount(total, partSize), resumed, hashStart);
      log.info("media {}: resuming upload of {} with {} of {} parts already stored ({})", id, key, resumed.size(),
          PartWindow.partCount(total, partSize), from == 0 ? "reading them again to hash them"
              : "hash saved after part " + from + "; reading again the " + reread + " stored after it"
              + (spot < 0 ? "" : ", and part " + (spot + 1) + " to check that the file is unchanged"));
    }
    InputStream sequential = null;
    PartRecorder recorder = new PartRecorder(journal, id, System::nanoTime);
    boolean completed = false;
    try {
      int first = PartWindow.firstPartToRead(PartWindow.partCount(total, partSize), resumed, hashStart);
      if (src instanceof HttpFileSource h && first < PartWindow.partCount(total, partSize)) {
        long offset = first * partSize;
        sequential = oneStream ? withRetry(h::whole)
            : withRetry(() -> h.probe(offset, Math.min(partSize, total - offset)));
        if (!oneStream && sequential != null) {
          log.info("media {}: the file server ignores Range requests; reading it as one stream", id);
        }
      }
      String upload = uploadId;
      PartWindow window = new PartWindow(store, key, uploadId, partSize, total, resumed, hashStart, recorder,
          progress, buffers, partThreads, config.window());
      PartWindow.Result r = window.run(src, sequential);
      if (prehashed != null && !prehashed.equals(r.sha256())) {
        abandon(key, upload, id, "the file changed while it was read");
        throw new IOException("local file of media " + id + " read differently twice (SHA-256 " + prehashed
            + ", then " + r.sha256() + "); starting it over");
      }
      journal.completing(id, r.sha256());
      store.completeMultipartUpload(key, upload, r.parts());
      journal.completed(id, r.sha256()); // drops the part records: no need to write the last batch
      completed = true;
      if (config.sha256MetadataAlways() && prehashed == null && !(resuming && carriesSha256(key, r.sha256()))) {
        addSha256Metadata(blob, key, r.sha256());
      }
      if (abortStrays(id, key, upload) > 0 && store.head(key).map(o -> o.size() != total).orElse(true)) {
        // an upload of the same key started while this one ran, and its abort took the object along
        throw new IOException("the object " + key + " was gone after aborting another upload of the same key (the"
            + " storage server drops an object with any upload of its key); uploading it again");
      }
      log.info("media {}: {} MB stored as {} parts ({} uploaded, {} resumed) at {} MB/s", id, total / 1_000_000,
          r.parts().size(), r.uploaded(), r.reused(), String.format("%.1f", progress.rate()));
      return new TransferOutcome.Stored(key, total, r.sha256(), false);
    } catch (PartWindow.ResumeMismatch e) {
      abandon(key, uploadId, id, e.getMessage());
      throw new IOException(e.getMessage() + "; starting the file over", e);
    } catch (BotApiException e) {
      if (e.kind() != BotApiException.Kind.RETRYABLE && e.kind() != BotApiException.Kind.FLOOD) {
        abandon(key, uploadId, id, e.getMessage());
      }
      throw e;
    } catch (StorageException e) {
      if (e.code() != null && INVALID_PART_CODES.contains(e.code())) {
        // a part recorded in the catalog (where the server cannot list them) is not on the server
        abandon(key, uploadId, id, e.getMessage());
        throw new IOException(e.getMessage() + "; starting the file over", e);
      }
      if (e.notFound()) {
        // the upload is gone (aborted elsewhere; some servers list no parts for an unknown
        // upload id instead of refusing it): forget it, and the next attempt starts anew
        journal.forget(id);
        throw new IOException("multipart upload " + uploadId + " of " + key + " no longer exists: " + e.getMessage(), e);
      }
      throw e;
    } finally {
      if (!completed) {
        if (resumed.isEmpty() && !recorder.anyPartDone()) {
          dropEmptyUpload(id, key, uploadId); // nothing to record for a resume
        } else {
          recorder.flushQuietly();
        }
      }
      if (sequential != null) {
        sequential.close();
      }
    }
  }

  /**
   * An upload that failed before its first part was stored holds nothing to resume: abort it now
   * rather than leave an incomplete upload for the cleanup job (a day later, as it is recorded).
   */
  private void dropEmptyUpload(String id, String key, String uploadId) {
    try {
      if (journal.find(id).filter(u -> u.active() && u.uploadId().equals(uploadId)).isEmpty()) {
        return; // given up already (aborted and forgotten)
      }
      store.abortMultipartUpload(key, uploadId);
      journal.forget(id);
    } catch (RuntimeException e) { // the cleanup job gets it later; the failure at hand matters more
      log.debug("media {}: could not abort the empty upload {}: {}", id, uploadId, e.getMessage());
    }
  }

  /**
   * The recorded upload of this file when it can continue: same key, size and part size, and
   * still known to the server. Fills {@code resumed} with the parts the server holds with the
   * right size (and the recorded ETag, where one was recorded). Anything else is aborted.
   */
  private String resumable(Blob blob, String key, long total, UploadJournal.Upload rec,
                           Map<Integer, CompletedPartRef> resumed) throws InterruptedException {
    if (rec == null || !rec.active()) {
      return null;
    }
    String id = blob.fileUniqueId();
    if (!rec.objectKey().equals(key) || rec.totalSize() != total || rec.partSize() != partSize) {
      abandon(rec.objectKey(), rec.uploadId(), id, "recorded for " + rec.totalSize() + " bytes in parts of "
          + rec.partSize() + " under " + rec.objectKey() + ", now " + total + " bytes in parts of " + partSize);
      return null;
    }
    List<CompletedPartRef> onServer;
    try {
      onServer = listPartsPatiently(key, rec.uploadId());
    } catch (StorageException e) {
      if (e.notFound()) {
        log.info("media {}: recorded upload {} no longer exists; starting over", id, rec.uploadId());
        journal.forget(id);
        return null;
      }
      if (e.status() >= 500 && !e.unsupported() && bucketAnswers()) {
        // the server works but keeps failing to list this upload (Adobe S3Mock answers 500 for an
        // upload it lost in a restart): waiting would fail the same way every run, so start over
        abandon(rec.objectKey(), rec.uploadId(), id, "the storage server answers but cannot list the upload's parts ("
            + e.getMessage() + "); starting the file over");
        return null;
      }
      if (!e.unsupported()) {
        throw e;
      }
      // the server cannot list parts: trust the catalog's record of the parts it accepted (the
      // window still checks their bytes against the ETags, and completion against the server)
      log.info("media {}: {}; resuming with the {} part(s) recorded in the catalog", id, e.getMessage(),
          rec.parts().size());
      onServer = rec.parts().values().stream()
          .map(p -> new CompletedPartRef(p.number(), p.etag(), p.size())).toList();
    }
    int parts = PartWindow.partCount(total, partSize);
    for (CompletedPartRef p : onServer) {
      int n = p.partNumber();
      long expected = Math.min(partSize, total - (n - 1) * partSize);
      if (n < 1 || n > parts || p.size() >= 0 && p.size() != expected) {
        continue;
      }
      UploadJournal.Part j = rec.parts().get(n);
      if (j != null && !unquote(j.etag()).equals(unquote(p.etag()))) {
        continue;
      }
      resumed.put(n, p.size() >= 0 ? p : new CompletedPartRef(n, p.etag(), expected));
    }
    return rec.uploadId();
  }

  /** The hash the recorded upload's last run saved, if this JVM can take it up (see {@link ResumableSha256}). */
  private PartWindow.HashStart hashStart(UploadJournal.Upload rec, long total) {
    UploadJournal.HashCheckpoint cp = rec.hashed();
    int parts = PartWindow.partCount(total, partSize);
    if (cp == null || cp.parts() < 1 || cp.parts() > parts) {
      return null;
    }
    return ResumableSha256.resume(cp.state(), Math.min(cp.parts() * partSize, total))
        .map(d -> new PartWindow.HashStart(cp.parts(), d)).orElse(null);
  }

  /**
   * ListParts, asked again twice (with backoff from a second) when it fails with a server error, on
   * top of the SDK's own retries: {@link #resumable} gives an upload up when the error persists.
   */
  private List<CompletedPartRef> listPartsPatiently(String key, String uploadId) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return store.listParts(key, uploadId);
      } catch (StorageException e) {
        if (e.status() < 500 || e.unsupported() || attempt >= 3) {
          throw e;
        }
        Backoff.sleep(Duration.ofSeconds(1), attempt, Duration.ofSeconds(3));
      }
    }
  }

  /** Whether the bucket answers a HEAD: tells a broken upload from a server that is down. */
  private boolean bucketAnswers() {
    try {
      store.ensureBucket(false);
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  /**
   * A process killed between creating an upload and recording it (or a catalog that was reset)
   * leaves an upload nobody knows; the cleanup job would abort it an hour later. Any upload of the
   * key other than {@code ownUploadId} (null: all of them) is such a stray: abort it, before a new
   * upload is created and again once the file is stored, so that a finished file leaves nothing
   * behind. Returns how many were aborted.
   */
  private int abortStrays(String id, String key, String ownUploadId) {
    int aborted = 0;
    try {
      for (PendingUpload p : store.listMultipartUploads(key)) {
        if (p.key().equals(key) && !p.uploadId().equals(ownUploadId)) {
          log.info("media {}: aborting stray multipart upload {} of {} (left by an interrupted run)", id,
              p.uploadId(), key);
          store.abortMultipartUpload(key, p.uploadId());
          aborted++;
        }
      }
    } catch (StorageException e) {
      if (!e.unsupported()) { // servers that cannot list uploads have nothing to find here either
        log.warn("media {}: could not look for stray uploads of {} ({}); the cleanup job does", id, key,
            e.getMessage());
      }
    }
    return aborted;
  }

  /**
   * S3 takes metadata only when an object is created: the hash, known once the last part is
   * read, goes in by a copy of the object onto itself. The object is stored either way; a server
   * that cannot copy leaves the hash to the catalog and the manifest.
   */
  /** Whether the object already has the hash: a resumed upload may have been created with it (local mode). */
  private boolean carriesSha256(String key, String sha256) {
    return store.head(key).map(o -> sha256.equals(o.userMetadata().get("sha256"))).orElse(false);
  }

  private void addSha256Metadata(Blob blob, String key, String sha256) {
    Map<String, String> meta = new HashMap<>(metadata(blob));
    meta.put("sha256", sha256);
    long t0 = System.nanoTime();
    try {
      store.replaceMetadata(key, contentType(blob, key), meta);
      log.info("media {}: sha256 metadata added by a server-side copy in {} ms", blob.fileUniqueId(),
          (System.nanoTime() - t0) / 1_000_000);
    } catch (StorageException e) {
      log.warn("media {}: stored, but the sha256 metadata could not be added ({}); the hash is in the catalog and"
          + " the manifest{}", blob.fileUniqueId(), e.getMessage(),
          e.unsupported() ? "; set transfer.sha256Metadata: singlePart for this server" : "");
    }
  }

  /** Aborts an upload that cannot be completed and forgets it; never leaves one recorded and orphaned. */
  private void abandon(String key, String uploadId, String fileUniqueId, String why) {
    log.warn("media {}: aborting multipart upload {} of {}: {}", fileUniqueId, uploadId, key, Secrets.redact(why));
    try {
      store.abortMultipartUpload(key, uploadId);
    } catch (RuntimeException e) {
      log.warn("media {}: abort of upload {} failed ({}); {}", fileUniqueId, uploadId, e.getMessage(),
          e instanceof StorageException se && se.unsupported() ? "this server cannot abort uploads, so its parts stay until the server drops them"
              : "the cleanup job retries it");
    }
    journal.forget(fileUniqueId);
  }

  /** The first answer of a download ({@link HttpFileSource#probe} or {@link HttpFileSource#whole}). */
  private interface Opening {
    InputStream open() throws IOException, InterruptedException;
  }

  /** Whether {@code e}, or what it wraps (a part's failure), is the file server contradicting getFile's size. */
  private static boolean sizeDisagrees(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof HttpFileSource.SizeDisagrees) {
        return true;
      }
    }
    return false;
  }

  /** {@code opening}, asked again after an I/O error like a part is. */
  private static InputStream withRetry(Opening opening) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return opening.open();
      } catch (IOException e) {
        if (attempt >= PartWindow.PART_ATTEMPTS || e instanceof HttpFileSource.SizeDisagrees) {
          throw e;
        }
        Backoff.sleep(Duration.ofMillis(250), attempt, Duration.ofSeconds(5));
      }
    }
  }

  private static void readWithRetry(FileSource src, long offset, byte[] buf, int len, Progress progress)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        progress.readPart(src, offset, buf, len);
        return;
      } catch (IOException e) {
        if (attempt >= PartWindow.PART_ATTEMPTS || e instanceof HttpFileSource.SizeDisagrees) {
          throw e;
        }
        log.info("download attempt {} failed ({}); retrying", attempt, e.getMessage());
        Backoff.sleep(Duration.ofMillis(250), attempt, Duration.ofSeconds(5));
      }
    }
  }

  /** getFile gave no size: one sequential stream into a streamed upload (no resume). */
  private TransferOutcome streamUnknownSize(Blob blob, FileLocation loc, String key, TransferListener listener)
      throws IOException {
    // a streamed upload of this key that a killed run left behind goes first (see multipart())
    abortStrays(blob.fileUniqueId(), key, null);
    try (Download d = api.open(loc)) {
      PutResult put = store.putStream(key, downloads.limit(d.stream()), contentType(blob, key), metadata(blob),
          new org.channelmirror.storage.ProgressListener() {
            @Override
            public void bytesUploaded(long delta) {
              listener.bytes(delta);
            }
          });
      return new TransferOutcome.Stored(key, put.size(), put.sha256Hex(), false);
    }
  }

  private static Map<String, String> metadata(Blob blob) {
    return Map.of(
        "chat-id", Long.toString(blob.chatId()),
        "message-id", Long.toString(blob.messageId()),
        "file-unique-id", blob.fileUniqueId(),
        "kind", blob.kind().field());
  }

  private static String unquote(String etag) {
    return etag == null ? "" : etag.replace("\"", "");
  }

  /**
   * The message's mime_type when it has a valid one; else what the object's extension says, for the
   * kinds Telegram sends without one (a sticker is .webp, .tgs or .webm; photos, voice notes and
   * video notes have fixed formats); else the kind's usual type.
   */
  static String contentType(Blob blob, String key) {
    if (blob.mimeType() != null && MIME_TYPE.matcher(blob.mimeType()).matches()) {
      return blob.mimeType();
    }
    String ext = key.substring(key.lastIndexOf('/') + 1);
    ext = ext.contains(".") ? ext.substring(ext.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
    String byExtension = switch (ext) {
      case "webp" -> "image/webp";
      case "tgs" -> "application/x-tgsticker";
      case "webm" -> "video/webm";
      case "jpg", "jpeg" -> "image/jpeg";
      case "png" -> "image/png";
      case "mp4" -> "video/mp4";
      case "oga", "ogg", "opus" -> "audio/ogg";
      case "mp3" -> "audio/mpeg";
      default -> null;
    };
    if (byExtension != null) {
      return byExtension;
    }
    MediaKind k = blob.kind();
    return switch (k) {
      case PHOTO -> "image/jpeg";
      case VOICE -> "audio/ogg";
      case VIDEO, VIDEO_NOTE, LIVE_PHOTO -> "video/mp4";
      case STICKER -> "image/webp";
      case AUDIO -> "audio/mpeg";
      default -> "application/octet-stream";
    };
  }

  private static String tooBigReason(Long size) {
    String mb = size == null ? "over 20 MB" : String.format("%.1f MB", size / 1_000_000.0);
    return "file is " + mb + "; the cloud Bot API only hands out files up to 20 MB. Run a self-hosted"
        + " telegram-bot-api server with --local, then set telegram.apiUrl to it and telegram.localMode: true;"
        + " the file is retried automatically after that change";
  }

  /** Stops part threads (waiting briefly) and closes idle download connections. */
  @Override
  public void close() {
    partThreads.shutdown();
    try {
      if (!partThreads.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("transfer: part threads still running after 10 s; interrupting them");
        partThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      partThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    http.close(CloseMode.GRACEFUL);
  }
}
