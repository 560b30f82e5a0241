package org.channelmirror.telegram;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The rules for reading a local-mode Bot API server's files from this machine's disk. */
public final class LocalFiles {
  private LocalFiles() {}

  /**
   * The normalised path of {@code file}, which must lie under {@code root} when one is configured
   * ({@code telegram.localRoot}): a path outside it is refused, permanently. With a root, the path
   * returned is the file's real path (symbolic links resolved), and that must lie under the root's
   * real path too: a link inside the root does not lead out of it.
   */
  public static Path checked(Path file, Path root) {
    Path normal = file.toAbsolutePath().normalize();
    if (root == null) {
      return normal;
    }
    if (!normal.startsWith(root.toAbsolutePath().normalize())) {
      throw outside(normal, root);
    }
    Path real;
    try {
      real = normal.toRealPath();
    } catch (IOException e) {
      return normal; // missing or unreadable: opening it says so
    }
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      realRoot = root.toAbsolutePath().normalize();
    }
    if (!real.startsWith(realRoot)) {
      throw new BotApiException(BotApiException.Kind.PERMANENT, 0, 0, "local file path " + normal
          + " leads to " + real + " (a symbolic link), outside telegram.localRoot " + root + "; refusing to read it",
          null);
    }
    return real;
  }

  private static BotApiException outside(Path normal, Path root) {
    return new BotApiException(BotApiException.Kind.PERMANENT, 0, 0, "local file path " + normal
        + " is outside telegram.localRoot " + root + "; refusing to read it", null);
  }

  /** The file is gone: the server's storage optimizer may have removed it; getFile fetches it anew. */
  public static BotApiException missing(Path normal, NoSuchFileException e) {
    return new BotApiException(BotApiException.Kind.RETRYABLE, 0, 0, "local file " + normal
        + " does not exist (is the Bot API server's directory mounted here?)", e);
  }
}
