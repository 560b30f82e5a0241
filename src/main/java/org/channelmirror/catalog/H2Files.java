package org.channelmirror.catalog;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What an H2 catalog kept in a file of this process needs beyond the URL the owner wrote. Both
 * settings are about not losing what the catalog has confirmed: applied to every embedded file URL
 * ({@code jdbc:h2:file:./data/catalog}, {@code jdbc:h2:./data/catalog}, ...), never to {@code mem:}
 * or to a server's URL ({@code tcp:}, {@code ssl:}), where this process holds no file.
 */
public final class H2Files {
  private static final String PREFIX = "jdbc:h2:";

  private H2Files() {}

  /** Whether {@code url} opens an H2 database file inside this process. */
  public static boolean isEmbeddedFile(String url) {
    if (!url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    String rest = url.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:"));
  }

  /**
   * The directory an embedded file URL keeps its database in ({@code ./data} for
   * {@code jdbc:h2:file:./data/catalog;AUTO_SERVER=TRUE}), or null for any other URL, or one whose
   * path this cannot tell ({@code ~/...} under another file system prefix, {@code zip:}).
   */
  public static Path directory(String url) {
    if (!isEmbeddedFile(url)) {
      return null;
    }
    String path = url.substring(PREFIX.length()).split(";", 2)[0];
    // the file system prefixes H2 stacks before the path: async:file:./x, nio:./x, ...
    while (path.matches("(?i)^(file|async|retry|nio|niomapped|split):.*")) {
      path = path.substring(path.indexOf(':') + 1);
    }
    if (path.isEmpty() || path.matches("(?i)^[a-z]{2,}:.*")) {
      return null;
    }
    if (path.startsWith("~")) {
      path = System.getProperty("user.home") + path.substring(1);
    }
    return Path.of(path).toAbsolutePath().getParent();
  }

  /**
   * The URL with durable commits and an interrupt-proof file channel.
   * <ul>
   *   <li>{@code WRITE_DELAY=0}: H2 otherwise writes commits up to 500 ms late, so a process killed
   *       in that window loses transactions it reported as committed, after intake already
   *       confirmed them to Telegram. Durable commits are what at-least-once intake stands on.
   *   <li>the {@code async:} file system: through the default FileChannel, a thread interrupted
   *       while H2 reads or writes closes the channel, and H2 then closes the whole database under
   *       every connection of the process. A stop interrupts the transfer and intake threads, and
   *       {@link Jdbc} can only set aside an interrupt that comes before a statement, not one that
   *       lands during it. H2's AsynchronousFileChannel store does the I/O on threads of its own
   *       and keeps the interrupt for the caller. The file on disk is the same: a catalog made
   *       before this opens unchanged.
   * </ul>
   * An owner's own choice of either (a {@code WRITE_DELAY}, another file system prefix such as
   * {@code nio:} or {@code retry:}) is left as written.
   */
  static String hardened(String url) {
    String rest = url.substring(PREFIX.length());
    String path = rest.toLowerCase(Locale.ROOT);
    boolean ownFileSystem = path.matches("^(async|retry|nio|niomapped|split|encrypt|zip|rec):.*");
    String hardened = PREFIX + (ownFileSystem ? "" : "async:") + rest;
    return url.toUpperCase(Locale.ROOT).contains("WRITE_DELAY") ? hardened : hardened + ";WRITE_DELAY=0";
  }
}
