package org.channelmirror.recovery;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Manifests read in their listed order, up to {@value #AHEAD} requests at once: a bucket across
 * the internet answers each GET after tens of milliseconds, which read one after another cost a
 * minute per few thousand posts. Memory stays bounded: at most {@value #AHEAD} manifests wait.
 * Close it to stop the reads still running.
 */
final class ManifestReads implements AutoCloseable {
  static final int AHEAD = 8;

  /** One manifest: read, or why it could not be ({@code bad}); exactly one of the two is set. */
  record Read(BucketReader.ManifestKey key, PostManifest manifest, BucketReader.BadManifestException bad) {
    PostManifest manifestOrThrow() {
      if (bad != null) {
        throw bad;
      }
      return manifest;
    }
  }

  private final BucketReader bucket;
  private final List<BucketReader.ManifestKey> keys;
  private final Deque<Future<Read>> window = new ArrayDeque<>();
  private final ExecutorService pool;
  private int next;

  ManifestReads(BucketReader bucket, List<BucketReader.ManifestKey> keys) {
    this.bucket = bucket;
    this.keys = List.copyOf(keys);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(AHEAD, r -> {
      Thread t = new Thread(r, "manifest-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The next manifest in order, or null after the last. A storage failure (unreachable, access
   * denied) is thrown as the read met it.
   */
  Read next() throws InterruptedException {
    while (next < keys.size() && window.size() < AHEAD) {
      BucketReader.ManifestKey k = keys.get(next++);
      window.add(pool.submit(() -> read(k)));
    }
    Future<Read> f = window.poll();
    if (f == null) {
      return null;
    }
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("reading a manifest failed", e.getCause());
    }
  }

  private Read read(BucketReader.ManifestKey k) {
    try {
      return new Read(k, bucket.read(k.key()), null);
    } catch (BucketReader.BadManifestException e) {
      return new Read(k, null, e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
