package org.channelmirror.transfer;

/** Saved SHA-256 states, as a killed run leaves them in the upload journal, for tests outside this package. */
public final class Sha256Checkpoints {
  private Sha256Checkpoints() {}

  /** The checkpoint after hashing {@code len} bytes of {@code data} from its start; fails where unsupported. */
  public static String after(byte[] data, int len) {
    ResumableSha256 d = ResumableSha256.create();
    d.update(data, 0, len);
    return d.checkpoint().orElseThrow(() -> new IllegalStateException("SHA-256 state cannot be saved in this JVM"));
  }
}
