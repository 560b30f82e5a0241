package org.channelmirror.transfer;

import java.util.ArrayDeque;
import org.channelmirror.config.ConfigException;

/**
 * The part buffers of every transfer in this process: at most {@code capacity} arrays of
 * {@code partSize} bytes exist at once, allocated on first need and reused afterwards, so the
 * memory for parts is fixed however large the files and however many are in flight.
 * {@link #take()} waits while all of them are in use.
 */
final class PartBuffers {
  private final int partSize;
  private final int capacity;
  private final ArrayDeque<byte[]> idle = new ArrayDeque<>();
  private int allocated;

  PartBuffers(int partSize, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity);
    }
    this.partSize = partSize;
    this.capacity = capacity;
  }

  /** Heap the rest of the program needs beside the part buffers (S3 and HTTP clients, H2, JSON). */
  static final long RESERVE = 24L << 20;

  /** G1's region size on heaps under 4 GB, the only ones small enough for the pool to be cut to fit. */
  private static final long REGION = 1L << 20;

  /**
   * Sizes the pool: half the heap at most, and never so much that less than {@link #RESERVE} is
   * left for the rest (a 32 MB heap ran out of memory with two 8 MiB buffers); at least one
   * buffer (parts then move one at a time), never more than can be used. A buffer is counted at
   * the whole regions G1 gives it: an array of 8 MiB plus its header takes 9 regions of 1 MiB,
   * and a 64 MB heap counted at 8 MiB per buffer ran out of memory with four of them.
   */
  static int capacityFor(long maxHeap, long partSize, int concurrency, int window) {
    long perBuffer = (partSize + 16 + REGION - 1) / REGION * REGION; // 16: the array's header
    long byHeap = Math.min(maxHeap / 2, maxHeap - RESERVE) / perBuffer;
    long useful = (long) concurrency * window;
    return (int) Math.max(1, Math.min(useful, byHeap));
  }

  /**
   * Refuses a part size of more than half the heap: one such buffer leaves too little for the
   * rest, and every large file would die of OutOfMemoryError mid-transfer, long after start.
   */
  static void checkFits(long maxHeap, long partSize) {
    if (partSize > maxHeap / 2) {
      throw new ConfigException("storage.partSize: " + partSize + " bytes (" + (partSize >> 20) + " MiB) is more"
          + " than half of this JVM's heap of " + (maxHeap >> 20) + " MiB; lower storage.partSize (default"
          + " 8388608) or give java a larger heap (-Xmx" + Math.max(64, (2 * partSize) >> 20) + "m or more)");
    }
  }

  int partSize() {
    return partSize;
  }

  int capacity() {
    return capacity;
  }

  synchronized byte[] take() throws InterruptedException {
    while (idle.isEmpty() && allocated >= capacity) {
      wait();
    }
    byte[] b = idle.poll();
    if (b == null) {
      allocated++;
      b = new byte[partSize];
    }
    return b;
  }

  synchronized void give(byte[] b) {
    if (b != null) {
      idle.push(b);
      notifyAll();
    }
  }

  /** Arrays allocated so far (tests check the bound with it). */
  synchronized int allocated() {
    return allocated;
  }
}
