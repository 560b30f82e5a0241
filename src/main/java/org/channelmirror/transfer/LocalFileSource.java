package org.channelmirror.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;
import org.channelmirror.telegram.LocalFiles;

/**
 * Local Bot API mode: the file lies on this machine's disk at the absolute path getFile returned.
 * Parts are read with positional reads on one shared channel (safe to use from several threads).
 */
final class LocalFileSource implements FileSource {
  private final Path path;
  private final FileChannel channel;

  private LocalFileSource(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
  }

  /**
   * Opens {@code file}, which must lie under {@code root} when one is configured and hold exactly
   * {@code expectedSize} bytes (a shorter file is still being written, or was replaced).
   */
  static LocalFileSource open(Path file, Path root, long expectedSize) throws IOException {
    Path normal = LocalFiles.checked(file, root);
    FileChannel ch;
    try {
      ch = FileChannel.open(normal, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw LocalFiles.missing(normal, e);
    }
    long size = ch.size();
    if (expectedSize >= 0 && size != expectedSize) {
      ch.close();
      throw new IOException("local file " + normal + " has " + size + " bytes, but Telegram announced "
          + expectedSize);
    }
    return new LocalFileSource(normal, ch);
  }

  @Override
  public void readPart(long offset, byte[] buf, int len, LongConsumer arrived) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
    while (bb.hasRemaining()) {
      int n = channel.read(bb, offset + bb.position());
      if (n < 0) {
        throw new IOException("local file " + path + " ended at " + (offset + bb.position())
            + " bytes while reading the part at " + offset);
      }
      arrived.accept(n);
    }
  }

  /**
   * The file's SHA-256 from one sequential read: on local disk (the page cache, usually) reading
   * twice is cheap, and knowing the hash before the upload starts lets it go into the object's
   * metadata with CreateMultipartUpload instead of a server-side copy of the whole object after.
   */
  String sha256() throws IOException {
    MessageDigest md = PartWindow.digest("SHA-256");
    byte[] buf = new byte[1 << 20];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long pos = 0;
    while (true) {
      bb.clear();
      int n = channel.read(bb, pos);
      if (n < 0) {
        break;
      }
      md.update(buf, 0, n);
      pos += n;
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // read-only: nothing to lose
    }
  }
}
