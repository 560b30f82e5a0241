package org.channelmirror.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Part buffers kept between uploads, so a stream of files does not allocate (and zero) a fresh
 * part-sized array per file. Holds at most {@code retained} idle buffers; the per-upload limit
 * is enforced by {@link StreamUpload}, not here.
 */
final class BufferPool {
  private final int size;
  private final ArrayBlockingQueue<byte[]> idle;
  private final AtomicInteger allocated = new AtomicInteger();

  BufferPool(int size, int retained) {
    this.size = size;
    this.idle = new ArrayBlockingQueue<>(Math.max(1, retained));
  }

  byte[] take() {
    byte[] b = idle.poll();
    if (b != null) {
      return b;
    }
    allocated.incrementAndGet();
    return new byte[size];
  }

  void give(byte[] b) {
    if (b != null && b.length == size) {
      idle.offer(b);
    }
  }

  /** Buffers allocated so far: lets tests check the memory bound without asking the GC. */
  int allocated() {
    return allocated.get();
  }
}
