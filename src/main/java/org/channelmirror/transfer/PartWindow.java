package org.channelmirror.transfer;

import org.channelmirror.retry.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.channelmirror.storage.CompletedPartRef;
import org.channelmirror.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sliding window of one multipart transfer. Parts are started in order, at most
 * {@code window} at a time; each runs on its own thread: fetch the part into a pooled buffer
 * (ranged GET or positional read, retried alone when it breaks), then upload it as an S3 part.
 * Parts finish in any order. The SHA-256 of the whole file is computed in file order by whichever
 * part thread finds the head of the window fetched; a buffer goes back to the pool once its part
 * is both hashed and uploaded, and only then may the next part start.
 *
 * <p>Resumed parts (already accepted by the server in an earlier run) are not uploaded again.
 * Those before the earlier run's last saved hash checkpoint ({@link HashStart}) are not read,
 * except the last of them ({@link #spotCheck}); those after it are fetched and hashed like the
 * others. Every resumed part that is read has its bytes checked against the part's ETag when it is
 * an MD5, so a file that changed since the upload began is started over instead of completed from
 * old and new parts (a change confined to parts not read is not seen). The hash is checkpointed
 * after every part, for the journal to save with its next batch.
 *
 * <p>Without Range support the caller passes the whole-file stream instead: parts are then read
 * from it in order on the calling thread, and uploaded in parallel as before.
 */
final class PartWindow {
  private static final Logger log = LoggerFactory.getLogger(MediaTransfer.class);
  static final int PART_ATTEMPTS = 4;
  private static final long BACKOFF_MILLIS = 250;

  /** Records an accepted part durably (the resume journal). */
  interface PartJournal {
    void partDone(int number, String etag, long size);

    /** The running hash after the first {@code partCount} parts, from {@link ResumableSha256#checkpoint()}. */
    void hashedThrough(int partCount, String state);
  }

  /** A hash restored after the file's first {@code parts} parts (see {@link ResumableSha256}). */
  record HashStart(int parts, ResumableSha256 digest) {}

  /** What the window produced: the whole-file hash and every part, in order. */
  record Result(String sha256, List<CompletedPartRef> parts, int uploaded, int reused) {}

  /** Bytes fetched for a resumed part differ from what the server holds for it. */
  static final class ResumeMismatch extends IOException {
    ResumeMismatch(String message) {
      super(message);
    }
  }

  private final ObjectStore store;
  private final String key;
  private final String uploadId;
  private final long partSize;
  private final long total;
  private final int parts;
  private final Map<Integer, CompletedPartRef> resumed;
  private final PartJournal journal;
  private final Progress progress;
  private final PartBuffers buffers;
  private final Executor executor;
  private final Semaphore slots;
  private final byte[][] bufs;
  private final int[] lens;
  private final AtomicIntegerArray fetched;
  /** Per part: 2 while it still needs hashing and uploading; its buffer is released at 0. */
  private final AtomicIntegerArray holds;
  private final CompletedPartRef[] done;
  private final HashStart hashStart;
  /** Parts before this index are neither hashed nor (when the server holds them) read. */
  private int hashFrom;
  private ResumableSha256 sha;
  private final AtomicBoolean hashing = new AtomicBoolean();
  private volatile int hashHead;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicInteger uploaded = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();
  private int running; // guarded by this
  /** Threads running a part of this window now (the pool's threads serve other windows too). */
  private final Set<Thread> partThreads = new HashSet<>(); // guarded by this
  private volatile FileSource source;

  PartWindow(ObjectStore store, String key, String uploadId, long partSize, long total,
             Map<Integer, CompletedPartRef> resumed, HashStart hashStart, PartJournal journal,
             Progress progress, PartBuffers buffers, Executor executor, int window) {
    this.store = store;
    this.key = key;
    this.uploadId = uploadId;
    this.partSize = partSize;
    this.total = total;
    this.parts = (int) ((total + partSize - 1) / partSize);
    this.resumed = resumed;
    this.hashStart = hashStart;
    this.journal = journal;
    this.progress = progress;
    this.buffers = buffers;
    this.executor = executor;
    this.slots = new Semaphore(window);
    this.bufs = new byte[parts][];
    this.lens = new int[parts];
    this.fetched = new AtomicIntegerArray(parts);
    this.holds = new AtomicIntegerArray(parts);
    this.done = new CompletedPartRef[parts];
  }

  static int partCount(long total, long partSize) {
    return (int) ((total + partSize - 1) / partSize);
  }

  /** The index of the first part {@link #run} reads from a ranged source ({@code parts} if none). */
  static int firstPartToRead(int parts, Map<Integer, CompletedPartRef> resumed, HashStart start) {
    int i = 0;
    while (i < parts && start != null && i < start.parts() && resumed.containsKey(i + 1)) {
      i++;
    }
    int spot = spotCheck(parts, resumed, start);
    return spot >= 0 ? Math.min(i, spot) : i;
  }

  /**
   * The index of the part read again although the saved hash covers it and the server holds it
   * (-1: none): the last such part, compared with its ETag like the parts after the checkpoint. The
   * bytes the hash was saved for are otherwise never looked at again, and a file whose bytes all
   * changed (same size) would be completed from old parts and new ones, with the hash of that mix.
   */
  static int spotCheck(int parts, Map<Integer, CompletedPartRef> resumed, HashStart start) {
    if (start == null) {
      return -1;
    }
    for (int i = Math.min(start.parts(), parts) - 1; i >= 0; i--) {
      if (resumed.containsKey(i + 1)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Runs the window to the end. With {@code sequential} null, parts are read from {@code src}
   * in parallel; otherwise from {@code sequential} in order (and hashed from the start, since the
   * stream is read from the start anyway). Throws the first failure after every part thread has
   * stopped; the multipart upload itself is left to the caller.
   */
  Result run(FileSource src, InputStream sequential) throws IOException, InterruptedException {
    this.source = src;
    boolean restored = hashStart != null && sequential == null;
    this.hashFrom = restored ? hashStart.parts() : 0;
    this.sha = restored ? hashStart.digest() : ResumableSha256.create();
    this.hashHead = hashFrom;
    int spot = restored ? spotCheck(parts, resumed, hashStart) : -1;
    int started = 0;
    try {
      for (int i = 0; i < parts && failure.get() == null; i++) {
        CompletedPartRef prior = resumed.get(i + 1);
        if (i < hashFrom && prior != null && i != spot) { // on the server and hashed: nothing to read
          done[i] = prior;
          reused.incrementAndGet();
          progress.add(lens[i] = (int) Math.min(partSize, total - i * partSize));
          started = i + 1;
          continue;
        }
        slots.acquire();
        byte[] buf;
        try {
          buf = buffers.take();
        } catch (InterruptedException e) {
          slots.release();
          throw e;
        }
        bufs[i] = buf;
        lens[i] = (int) Math.min(partSize, total - i * partSize);
        holds.set(i, i < hashFrom ? 1 : 2); // uploaded only, or hashed and uploaded
        started = i + 1;
        boolean fetch = sequential == null;
        if (!fetch) {
          readFully(sequential, buf, lens[i], i);
        }
        submit(i, fetch);
      }
      if (sequential != null && failure.get() == null && sequential.read() >= 0) {
        throw new IOException("download delivered more than the " + total + " bytes Telegram announced");
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      src.close(); // stop downloads in flight
      if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
        interruptParts();
      }
    }
    awaitParts();
    Throwable f = failure.get();
    if (f != null) {
      for (int i = 0; i < started; i++) {
        if (holds.getAndSet(i, 0) > 0) {
          buffers.give(bufs[i]);
        }
      }
      throw rethrow(f);
    }
    List<CompletedPartRef> out = new ArrayList<>(parts);
    long sum = 0;
    for (CompletedPartRef p : done) {
      out.add(p);
      sum += p.size();
    }
    if (hashHead != parts || sum != total) {
      throw new IOException("internal: window ended with " + hashHead + " of " + parts + " parts hashed and "
          + sum + " of " + total + " bytes");
    }
    return new Result(HexFormat.of().formatHex(sha.digest()), out, uploaded.get(), reused.get());
  }

  private void submit(int i, boolean fetch) {
    synchronized (this) {
      running++;
    }
    try {
      executor.execute(() -> part(i, fetch));
    } catch (RuntimeException e) { // executor shut down
      failure.compareAndSet(null, e);
      drop(i);
      drop(i);
      partEnded();
    }
  }

  private void part(int i, boolean fetch) {
    boolean hashable = false;
    synchronized (this) {
      partThreads.add(Thread.currentThread());
    }
    try {
      if (failure.get() != null) {
        return;
      }
      if (fetch) {
        fetchWithRetry(i);
      }
      hashable = true;
      fetched.set(i, 1);
      if (i >= hashFrom) {
        drainHash();
      }
      CompletedPartRef prior = resumed.get(i + 1);
      if (prior != null) {
        verify(prior, i);
        done[i] = prior;
        reused.incrementAndGet();
      } else {
        String etag = store.uploadPart(key, uploadId, i + 1, bufs[i], 0, lens[i]);
        done[i] = new CompletedPartRef(i + 1, etag, lens[i]);
        journal.partDone(i + 1, etag, lens[i]);
        uploaded.incrementAndGet();
      }
      progress.partStored();
    } catch (Throwable t) {
      if (failure.compareAndSet(null, t)) {
        FileSource s = source;
        if (s != null) {
          s.close();
        }
      }
    } finally {
      if (!hashable && i >= hashFrom) {
        drop(i); // the hasher stops before an unfetched part: give up its hash hold here
      }
      drop(i);
      partEnded();
    }
  }

  private void fetchWithRetry(int i) throws IOException, InterruptedException {
    long offset = i * partSize;
    for (int attempt = 1; ; attempt++) {
      try {
        progress.readPart(source, offset, bufs[i], lens[i]);
        return;
      } catch (HttpFileSource.RangesIgnored e) {
        throw e; // the same answer again (before any body): the caller reads the file as one stream instead
      } catch (IOException e) {
        if (attempt >= PART_ATTEMPTS || failure.get() != null || e instanceof HttpFileSource.SizeDisagrees) {
          throw new IOException("part " + (i + 1) + " (" + lens[i] + " bytes at " + offset + ") failed "
              + attempt + " time(s): " + e.getMessage(), e);
        }
        log.info("part {} of {} (bytes {}-{}): attempt {} failed ({}); retrying that part", i + 1, key, offset,
            offset + lens[i] - 1, attempt, e.getMessage());
        Backoff.sleep(java.time.Duration.ofMillis(BACKOFF_MILLIS), attempt, java.time.Duration.ofSeconds(5));
      }
    }
  }

  /** Hashes every fetched part at the head of the window, in order; one thread at a time. */
  private void drainHash() {
    while (hashing.compareAndSet(false, true)) {
      try {
        int h = hashHead;
        while (h < parts && fetched.get(h) == 1) {
          sha.update(bufs[h], 0, lens[h]);
          drop(h);
          h++;
          hashHead = h;
          int through = h;
          sha.checkpoint().ifPresent(state -> journal.hashedThrough(through, state));
        }
      } finally {
        hashing.set(false);
      }
      int h = hashHead;
      if (h >= parts || fetched.get(h) == 0) {
        return; // nobody left work behind while we held the flag
      }
    }
  }

  /** A resumed part's bytes must be what the server holds: MD5 against its ETag where it is one. */
  private void verify(CompletedPartRef prior, int i) throws ResumeMismatch {
    if (prior.size() != lens[i]) {
      throw new ResumeMismatch("part " + (i + 1) + " on the server has " + prior.size() + " bytes, expected " + lens[i]);
    }
    String etag = prior.etag() == null ? "" : prior.etag().replace("\"", "").toLowerCase();
    if (!etag.matches("[0-9a-f]{32}")) {
      return; // not an MD5 (e.g. SSE-KMS): the size check is all we can do
    }
    MessageDigest md5 = digest("MD5");
    md5.update(bufs[i], 0, lens[i]);
    String actual = HexFormat.of().formatHex(md5.digest());
    if (!actual.equals(etag)) {
      throw new ResumeMismatch("part " + (i + 1) + " of " + key + " on the server has MD5 " + etag
          + " but the file's bytes there have " + actual + ": the file changed since the upload began");
    }
  }

  private void drop(int i) {
    if (holds.decrementAndGet(i) == 0) {
      buffers.give(bufs[i]);
      slots.release();
    }
  }

  private void partEnded() {
    synchronized (this) {
      partThreads.remove(Thread.currentThread());
      running--;
      notifyAll();
    }
    Thread.interrupted(); // a cancel's interrupt is this part's, not the pooled thread's next task's
  }

  /**
   * A cancel stops the parts too: one uploading under the bandwidth limit (or downloading) would
   * otherwise take its whole part's time, longer than a stop may take.
   */
  private synchronized void interruptParts() {
    partThreads.forEach(Thread::interrupt);
  }

  /** Waits for every part thread; an interrupt is passed on to them, and kept for the caller. */
  private synchronized void awaitParts() {
    boolean interrupted = false;
    while (running > 0) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
        failure.compareAndSet(null, e);
        FileSource s = source;
        if (s != null) {
          s.close();
        }
        interruptParts();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void readFully(InputStream in, byte[] buf, int len, int i) throws IOException {
    Progress.Arrivals arrived = progress.arrivals();
    int pos = 0;
    while (pos < len) {
      int n;
      try {
        n = in.read(buf, pos, len - pos);
      } catch (SizeCheckingInputStream.SizeMismatch e) {
        throw e; // says what happened already
      } catch (IOException e) { // the HTTP client's text does not say that the download broke off, nor where
        throw new IOException("download broke off in part " + (i + 1) + " after " + (i * partSize + pos) + " of "
            + total + " bytes (" + org.channelmirror.config.Secrets.redact(String.valueOf(e.getMessage())) + ")", e);
      }
      if (n < 0) {
        throw new IOException("download ended in part " + (i + 1) + " after " + (i * partSize + pos)
            + " bytes, but Telegram announced " + total);
      }
      pos += n;
      arrived.accept(n);
    }
    arrived.flush();
  }

  private static IOException rethrow(Throwable t) throws IOException, InterruptedException {
    if (t instanceof IOException e) {
      throw e;
    }
    if (t instanceof InterruptedException e) {
      throw e;
    }
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IOException(t);
  }

  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
  }
}
