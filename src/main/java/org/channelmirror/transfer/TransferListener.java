package org.channelmirror.transfer;

import org.channelmirror.catalog.Blob;

/** Progress of transfers, for logs, {@code status} and progress bars. All methods optional. */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  /**
   * A backup run starts with {@code files} due, {@code knownBytes} of them announced by Telegram
   * ({@code file_size} is optional, so this may be less than what will move).
   */
  default void planned(int files, long knownBytes) {}

  default void started(Blob blob) {}

  default void bytes(long delta) {}

  /**
   * Where one file stands: {@code done} of {@code total} bytes stored, at {@code bytesPerSecond}
   * since it started. Called from part threads (concurrently for different files) as parts land.
   */
  default void progress(Blob blob, long done, long total, double bytesPerSecond) {}

  default void finished(Blob blob, TransferOutcome outcome) {}
}
