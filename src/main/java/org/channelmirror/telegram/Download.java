package org.channelmirror.telegram;

import java.io.IOException;
import java.io.InputStream;

/** An open stream of a file's bytes; {@code length} is -1 when the server did not say. */
public record Download(InputStream stream, long length) implements AutoCloseable {
  @Override
  public void close() throws IOException {
    stream.close();
  }
}
