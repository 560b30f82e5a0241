package org.channelmirror.telegram;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The rules for reading a local-mode Bot API server's files from this machine's disk. */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * The normalised path of {@code file}, which must lie under {@code root} when one is configured
   * ({@code telegram.localRoot}): a path outside it is refused, permanently.
   */
  public static Path checked(Path file, Path root) {
    Path normal = file.toAbsolutePath().normalize();
    if (root != null && !normal.startsWith(root.toAbsolutePath().normalize())) {
      throw new BotApiException(BotApiException.Kind.PERMANENT, 0, 0, "local file path " + normal
          + " is outside telegram.localRoot " + root + "; refusing to read it", null);
    }
    return normal;
  }

  /** The file is gone: the server's storage optimizer may have removed it; getFile fetches it anew. */
  public static BotApiException missing(Path normal, NoSuchFileException e) {
    return new BotApiException(BotApiException.Kind.RETRYABLE, 0, 0, "local file " + normal
        + " does not exist (is the Bot API server's directory mounted here?)", e);
  }
}
