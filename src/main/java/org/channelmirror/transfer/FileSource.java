package org.channelmirror.transfer;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * Where a file's bytes come from: ranged HTTP GETs against the Bot API's file URL, or positional
 * reads of the Bot API server's disk in local mode. Reads of different parts may run
 * concurrently. An {@code IOException} is worth retrying for that part; anything else is not.
 */
interface FileSource extends AutoCloseable {

  /**
   * Fills {@code buf[0, len)} with the file's bytes at {@code [offset, offset + len)}, exactly,
   * telling {@code arrived} of the bytes as they come in (progress on a slow link).
   */
  void readPart(long offset, byte[] buf, int len, LongConsumer arrived) throws IOException, InterruptedException;

  default void readPart(long offset, byte[] buf, int len) throws IOException, InterruptedException {
    readPart(offset, buf, len, n -> { });
  }

  /** Stops reads in progress (they fail) and releases connections or file handles. */
  @Override
  void close();
}
