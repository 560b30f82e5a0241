package org.channelmirror.transfer;

import org.channelmirror.catalog.Blob;

/** Progress of transfers, for logs, {@code status} and progress bars. All methods optional. */
public interface TransferListener {
  TransferListener NONE = new TransferListener() {};

  default void started(Blob blob) {}

  default void bytes(long delta) {}

  default void finished(Blob blob, TransferOutcome outcome) {}
}
