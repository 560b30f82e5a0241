package org.channelmirror.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Catalog records collected from several threads and written a batch at a time, in one
 * transaction each: when {@code size} are waiting, or (with a {@code maxAge}) when that long has
 * passed since the last write, and the rest on {@link #flush()}. Each commit of the catalog costs
 * a page write (H2) or a round trip and a log flush (PostgreSQL); what a crash loses is at most
 * one batch, so callers use it only for records whose loss is repaired by the next run. The write
 * runs outside the lock, so adding never waits for another thread's commit.
 */
public final class WriteBatch<T> {
  private final int size;
  private final long maxAgeNanos;
  private final Consumer<List<T>> write;
  private final LongSupplier nanoTime;
  private final List<T> pending = new ArrayList<>(); // guarded by this
  private long lastWrite; // guarded by this

  /** Written when {@code size} records are waiting (or on {@link #flush()}). */
  public WriteBatch(int size, Consumer<List<T>> write) {
    this(size, null, write, System::nanoTime);
  }

  /** Written when {@code size} records are waiting or {@code maxAge} passed since the last write. */
  public WriteBatch(int size, Duration maxAge, Consumer<List<T>> write, LongSupplier nanoTime) {
    this.size = size;
    this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
    this.write = write;
    this.nanoTime = nanoTime;
    this.lastWrite = nanoTime.getAsLong();
  }

  public void add(T record) {
    List<T> due = null;
    synchronized (this) {
      pending.add(record);
      if (pending.size() >= size || nanoTime.getAsLong() - lastWrite >= maxAgeNanos) {
        due = take();
      }
    }
    if (due != null) {
      write.accept(due);
    }
  }

  /** Writes whatever is waiting. */
  public void flush() {
    List<T> rest;
    synchronized (this) {
      rest = take();
    }
    if (!rest.isEmpty()) {
      write.accept(rest);
    }
  }

  private List<T> take() {
    List<T> out = List.copyOf(pending);
    pending.clear();
    lastWrite = nanoTime.getAsLong();
    return out;
  }
}
