package org.channelmirror.transfer;

import java.io.IOException;

/**
 * Where a file's bytes come from: ranged HTTP GETs against the Bot API's file URL, or positional
 * reads of the Bot API server's disk in local mode. Reads of different parts may run
 * concurrently. An {@code IOException} is worth retrying for that part; anything else is not.
 */
interface FileSource extends AutoCloseable {

  /** Fills {@code buf[0, len)} with the file's bytes at {@code [offset, offset + len)}, exactly. */
  void readPart(long offset, byte[] buf, int len) throws IOException, InterruptedException;

  /** Stops reads in progress (they fail) and releases connections or file handles. */
  @Override
  void close();
}
