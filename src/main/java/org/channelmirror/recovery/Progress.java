package org.channelmirror.recovery;

/**
 * Receives progress from verify, restore and export; cli renders it. Called from the working
 * thread; implementations must be quick. All methods are optional.
 */
public interface Progress {
  /** The work ahead: {@code items} (posts, objects) and {@code bytes} in all. */
  default void planned(String what, long items, long bytes) {}

  /** {@code items} more done. */
  default void items(long items) {}

  /** {@code bytes} more read or uploaded. */
  default void bytes(long bytes) {}

  /** {@code items} more media items sent by their original file_id instead of uploaded (restore). */
  default void byFileId(long items) {}

  Progress NONE = new Progress() {};
}
