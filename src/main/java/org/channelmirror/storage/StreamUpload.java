package org.channelmirror.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ObjectStore#putStream} call. The caller's thread reads the stream part by part,
 * hashing each byte once, in order; part uploads run on the store's threads. A semaphore with
 * {@code partsInFlight} permits bounds the buffers: reading waits while all of them are full.
 * A stream that ends within the first part becomes one PutObject.
 */
final class StreamUpload {
  private static final Logger log = LoggerFactory.getLogger(StreamUpload.class);
  private static final int MAX_PARTS = 10_000;
  private static final long DRAIN_SECONDS = 30;

  private final ObjectStore store;
  private final BufferPool buffers;
  private final Executor executor;
  private final int partsInFlight;
  private final Semaphore slots;
  private final List<PartTask> tasks = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean cancelled;

  StreamUpload(ObjectStore store, BufferPool buffers, Executor executor, int partsInFlight) {
    this.store = store;
    this.buffers = buffers;
    this.executor = executor;
    this.partsInFlight = partsInFlight;
    this.slots = new Semaphore(partsInFlight);
  }

  PutResult run(String key, InputStream in, String contentType, Map<String, String> meta,
                ProgressListener listener) throws IOException {
    MessageDigest sha = Digests.sha256();
    byte[] first = buffers.take();
    int n;
    int lookahead;
    try {
      n = readFully(in, first, 0);
      lookahead = n == first.length ? in.read() : -1;
    } catch (IOException | RuntimeException e) {
      buffers.give(first);
      throw e;
    }
    if (lookahead < 0) {
      try {
        sha.update(first, 0, n);
        String hex = Digests.hex(sha);
        Digests.checkExpected("PUT " + store.where(key), meta, hex);
        PutResult r = store.putBody(key, first, 0, n, contentType, Digests.withSha(meta, hex), hex);
        listener.bytesUploaded(n);
        return r;
      } finally {
        buffers.give(first);
      }
    }
    return multipart(key, in, first, lookahead, sha, contentType, meta, listener);
  }

  private PutResult multipart(String key, InputStream in, byte[] first, int lookahead, MessageDigest sha,
                              String contentType, Map<String, String> meta, ProgressListener listener)
      throws IOException {
    slots.acquireUninterruptibly(); // held by the first buffer
    String uploadId;
    try {
      uploadId = store.createMultipartUpload(key, contentType, Digests.withoutSha(meta));
    } catch (RuntimeException e) {
      buffers.give(first);
      throw e;
    }
    long total = 0;
    boolean holding = true; // whether this thread holds a slot not yet handed to a task
    try {
      sha.update(first, 0, first.length);
      holding = false; // the task owns the slot from here, even if it is rejected
      submit(key, uploadId, 1, first, first.length, listener);
      total = first.length;
      int pending = lookahead;
      for (int partNumber = 2; ; partNumber++) {
        slots.acquire();
        holding = true;
        throwIfFailed();
        byte[] buf = buffers.take();
        int off = 0;
        if (pending >= 0) {
          buf[off++] = (byte) pending;
          pending = -1;
        }
        int len;
        try {
          len = off + readFully(in, buf, off);
        } catch (IOException | RuntimeException e) {
          buffers.give(buf);
          throw e;
        }
        if (len == 0) {
          buffers.give(buf);
          slots.release();
          holding = false;
          break;
        }
        if (partNumber > MAX_PARTS) {
          buffers.give(buf);
          throw S3Errors.mismatch("PUT " + store.where(key), "more than " + MAX_PARTS + " parts of "
              + buf.length + " bytes; raise the part size");
        }
        sha.update(buf, 0, len);
        holding = false;
        submit(key, uploadId, partNumber, buf, len, listener);
        total += len;
        if (len < buf.length) {
          break;
        }
      }
      List<CompletedPartRef> parts = new ArrayList<>(tasks.size());
      for (PartTask t : tasks) {
        parts.add(t.result.get());
      }
      long sum = parts.stream().mapToLong(CompletedPartRef::size).sum();
      if (sum != total) {
        throw S3Errors.mismatch("PUT " + store.where(key), "parts hold " + sum + " bytes but the stream had " + total);
      }
      String hex = Digests.hex(sha);
      Digests.checkExpected("PUT " + store.where(key), meta, hex);
      store.completeUpload(key, uploadId, parts);
      return finish(key, contentType, meta, hex, total);
    } catch (Throwable t) {
      abort(key, uploadId, holding);
      throw rethrow(t);
    }
  }

  /** After completion the hash is known: set it with a copy onto itself, then check the size. */
  private PutResult finish(String key, String contentType, Map<String, String> meta, String hex, long total) {
    try {
      String etag = store.copyOntoItself(key, contentType, Digests.withSha(meta, hex));
      ObjectInfo info = store.head(key).orElseThrow(
          () -> S3Errors.mismatch("PUT " + store.where(key), "object missing right after completing its upload"));
      if (info.size() != total || !hex.equals(info.userMetadata().get(ObjectStore.SHA256_META))) {
        throw S3Errors.mismatch("PUT " + store.where(key), "stored object has " + info.size()
            + " bytes and sha256 " + info.userMetadata().get(ObjectStore.SHA256_META)
            + ", expected " + total + " bytes and " + hex);
      }
      return new PutResult(key, total, hex, etag);
    } catch (RuntimeException e) {
      // an object without its sha256 would look verified-less forever: remove it, the caller retries
      try {
        store.delete(key);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void submit(String key, String uploadId, int partNumber, byte[] buf, int len, ProgressListener listener) {
    PartTask task = new PartTask(key, uploadId, partNumber, buf, len, listener);
    tasks.add(task);
    try {
      executor.execute(task);
    } catch (RuntimeException e) { // store closed: give back what the task would have
      task.finish();
      task.result.completeExceptionally(e);
      throw e;
    }
  }

  private void throwIfFailed() throws ExecutionException {
    Throwable f = failure.get();
    if (f != null) {
      throw new ExecutionException(f);
    }
  }

  /** Stops part uploads, waits for them so none lands afterwards, then aborts the upload. */
  private void abort(String key, String uploadId, boolean holding) {
    cancelled = true;
    tasks.forEach(PartTask::cancel);
    boolean interrupted = Thread.interrupted(); // the abort request must not see our interrupt
    try {
      if (holding) {
        slots.release();
      }
      if (!slots.tryAcquire(partsInFlight, DRAIN_SECONDS, TimeUnit.SECONDS)) {
        log.warn("part uploads of {} still running after {} s; aborting anyway", store.where(key), DRAIN_SECONDS);
      }
      store.abortMultipartUpload(key, uploadId);
    } catch (InterruptedException e) {
      interrupted = true;
      store.abortMultipartUpload(key, uploadId);
    } catch (RuntimeException e) {
      log.warn("could not abort multipart upload {} of {}: {}", uploadId, store.where(key), e.getMessage());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static IOException rethrow(Throwable t) throws IOException {
    Throwable cause = t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      InterruptedIOException e = new InterruptedIOException("upload interrupted");
      e.initCause(cause);
      throw e;
    }
    if (cause instanceof IOException io) {
      throw io;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    throw S3Errors.classify("upload", cause);
  }

  private static int readFully(InputStream in, byte[] buf, int off) throws IOException {
    int pos = off;
    while (pos < buf.length) {
      int r = in.read(buf, pos, buf.length - pos);
      if (r < 0) {
        break;
      }
      pos += r;
    }
    return pos - off;
  }

  /** One part upload; releases its buffer and slot however it ends. */
  private final class PartTask implements Runnable {
    final CompletableFuture<CompletedPartRef> result = new CompletableFuture<>();
    private final String key;
    private final String uploadId;
    private final int partNumber;
    private final byte[] buf;
    private final int len;
    private final ProgressListener listener;
    private Thread runner; // guarded by this: interrupt only while this task runs on it

    PartTask(String key, String uploadId, int partNumber, byte[] buf, int len, ProgressListener listener) {
      this.key = key;
      this.uploadId = uploadId;
      this.partNumber = partNumber;
      this.buf = buf;
      this.len = len;
      this.listener = listener;
    }

    @Override
    public void run() {
      synchronized (this) {
        runner = Thread.currentThread();
      }
      try {
        if (cancelled) {
          throw new StorageException("part " + partNumber + " of " + store.where(key) + ": cancelled", null, false, false);
        }
        String etag = store.uploadPart(key, uploadId, partNumber, buf, 0, len);
        listener.bytesUploaded(len);
        result.complete(new CompletedPartRef(partNumber, etag, len));
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
        result.completeExceptionally(t);
      } finally {
        synchronized (this) {
          runner = null;
        }
        Thread.interrupted(); // a late cancel must not leak into the pool thread's next task
        finish();
      }
    }

    void finish() {
      buffers.give(buf);
      slots.release();
    }

    synchronized void cancel() {
      if (runner != null) {
        runner.interrupt();
      }
    }
  }
}
