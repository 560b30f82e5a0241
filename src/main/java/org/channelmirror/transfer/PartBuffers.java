package org.channelmirror.transfer;

import java.util.ArrayDeque;

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

  /** Sizes the pool: half the heap at most, never less than two parts, never more than can be used. */
  static int capacityFor(long maxHeap, long partSize, int concurrency, int window) {
    long byHeap = maxHeap / 2 / partSize;
    long useful = (long) concurrency * window;
    return (int) Math.max(2, Math.min(useful, byHeap));
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
