package org.channelmirror.recovery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.StorageException;

/**
 * A media object's bytes as restore uploads them, checked against its manifest entry on the way:
 * more bytes than recorded fail at once, and at the end of the object (before the caller returns
 * the end of the stream to the HTTP body) the size and SHA-256 must match, or {@link Damaged} is
 * thrown. The multipart request is then cut off before its closing boundary, so Telegram never
 * gets a whole request and posts nothing: the bucket is read once per send, not once to check and
 * once to send.
 */
final class CheckedObject extends FilterInputStream {
  /** The object is missing, or its bytes are not those its manifest recorded: not sent, and not worth retrying. */
  static final class Damaged extends IOException {
    final String key;

    Damaged(String key, String message) {
      super(message);
      this.key = key;
    }
  }

  private final String what;
  private final MediaEntry media;
  private final MessageDigest sha = Verifier.sha256();
  private long read;
  private boolean ended;

  private CheckedObject(InputStream in, String what, MediaEntry media) {
    super(in);
    this.what = what;
    this.media = media;
  }

  /** Opens the object of {@code media}; {@code what} names it in messages ("photo media/x.jpg"). */
  static InputStream open(ObjectStore store, String what, MediaEntry media) throws IOException {
    try {
      return new CheckedObject(store.get(media.objectKey()), what, media);
    } catch (StorageException e) {
      if (e.notFound()) {
        throw new Damaged(media.objectKey(), what + " is missing from the bucket");
      }
      throw e;
    }
  }

  /**
   * Reads the object of {@code media} to its end: its verdict, or null when it is as recorded or
   * could not be read for another reason (that is not a verdict on the object).
   */
  static Damaged check(ObjectStore store, String what, MediaEntry media) {
    try (InputStream in = open(store, what, media)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return null;
    } catch (Damaged d) {
      return d;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The {@link Damaged} verdict in {@code t}'s causes, or null when the failure is something else. */
  static Damaged verdictIn(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof Damaged d) {
        return d;
      }
    }
    return null;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      sha.update(b, off, n);
      read += n;
      if (media.size() != null && read > media.size()) {
        throw damaged("more than " + media.size() + " bytes");
      }
    } else if (n < 0 && !ended) {
      ended = true;
      String hash = HexFormat.of().formatHex(sha.digest());
      if (media.size() != null && read != media.size() || media.sha256() != null && !media.sha256().equalsIgnoreCase(hash)) {
        throw damaged(read + " bytes hashing to " + hash);
      }
    }
    return n;
  }

  private Damaged damaged(String found) {
    return new Damaged(media.objectKey(), what + " is damaged in the bucket (" + found + ", the manifest says " + media.size() + " bytes, "
        + media.sha256() + ")");
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skipping would leave bytes unchecked");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
