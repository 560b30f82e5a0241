package org.channelmirror.storage;

/**
 * Receives upload progress. Called from upload threads, possibly concurrently: implementations
 * must be thread-safe and quick.
 */
public interface ProgressListener {
  /** {@code delta} more bytes are durably accepted by the server (reported per part). */
  default void bytesUploaded(long delta) {}

  ProgressListener NONE = new ProgressListener() {};
}
