package org.channelmirror.fakebot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes and counts an upload while it streams in; small ones stay in memory, bigger ones spool to a temp file. */
final class UploadSink extends OutputStream {
  private static final int IN_MEMORY = 1 << 20;
  private final Path spoolDir;
  private final long keepLimit;
  private final MessageDigest md;
  private ByteArrayOutputStream memory = new ByteArrayOutputStream();
  private OutputStream file;
  private Path filePath;
  private long count;
  private boolean discarded;

  UploadSink(Path spoolDir, long keepLimit) {
    this.spoolDir = spoolDir;
    this.keepLimit = keepLimit;
    try {
      this.md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    md.update(b, off, len);
    count += len;
    if (discarded) {
      return;
    }
    if (count > keepLimit) {
      discard();
      return;
    }
    if (file == null && count > IN_MEMORY) {
      filePath = Files.createTempFile(spoolDir, "upload", ".bin");
      file = new java.io.BufferedOutputStream(Files.newOutputStream(filePath), 1 << 16);
      memory.writeTo(file);
      memory = null;
    }
    if (file != null) {
      file.write(b, off, len);
    } else {
      memory.write(b, off, len);
    }
  }

  private void discard() throws IOException {
    discarded = true;
    memory = null;
    if (file != null) {
      file.close();
      Files.deleteIfExists(filePath);
      file = null;
    }
  }

  Upload finish(String partName, String fileName, String contentType) throws IOException {
    FileContent content = null;
    if (!discarded) {
      if (file != null) {
        file.close();
        content = new Contents.OnDisk(filePath, count);
      } else {
        content = new Contents.Bytes(memory.toByteArray());
      }
    }
    return new Upload(partName, fileName, contentType, count, HexFormat.of().formatHex(md.digest()), content);
  }
}
