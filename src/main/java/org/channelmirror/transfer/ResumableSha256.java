package org.channelmirror.transfer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SHA-256 whose state can be saved at a part boundary and taken up again by another process,
 * so that a resumed multipart upload need not download its finished parts again only to hash
 * them.
 *
 * <p>{@link MessageDigest} cannot export its state, and a SHA-256 of our own would lose the
 * JDK's SHA-NI intrinsic on every byte of every transfer (about 5x slower hashing,
 * docs/benchmarks.md). So this drives the JDK's own implementation ({@code
 * sun.security.provider.SHA2$SHA256}, intrinsics included) and reads and writes its few state
 * fields. That package is not exported: the runnable jar opens it with an {@code Add-Opens}
 * manifest entry (a class-path launch needs {@code --add-opens
 * java.base/sun.security.provider=ALL-UNNAMED}). Where it is closed, or a JDK changed those
 * fields (a self-test at class load checks a save and restore against {@code MessageDigest}),
 * hashing is the plain {@code MessageDigest} and {@link #checkpoint()} is empty: resume then
 * re-reads the finished parts, as it always did.
 */
final class ResumableSha256 {
  private static final Logger log = LoggerFactory.getLogger(ResumableSha256.class);
  private static final byte FORMAT = 1;
  private static final Internals INTERNALS = Internals.load();

  private final Object spi; // sun.security.provider.SHA2$SHA256, or null for the plain MessageDigest
  private final MessageDigest plain;
  private long bytes;

  private ResumableSha256(Object spi) {
    this.spi = spi;
    this.plain = spi == null ? PartWindow.digest("SHA-256") : null;
  }

  static ResumableSha256 create() {
    return new ResumableSha256(INTERNALS == null ? null : INTERNALS.newSpi());
  }

  /** Whether checkpoints can be taken and restored in this JVM. */
  static boolean saveable() {
    return INTERNALS != null;
  }

  /**
   * The digest as {@link #checkpoint()} saved it after {@code expectedBytes} bytes; empty when
   * that cannot be restored here (another JVM's format, a closed package, a mismatch).
   */
  static Optional<ResumableSha256> resume(String checkpoint, long expectedBytes) {
    if (INTERNALS == null || checkpoint == null) {
      return Optional.empty();
    }
    try {
      ResumableSha256 d = create();
      ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(checkpoint));
      if (in.get() != FORMAT) {
        return Optional.empty();
      }
      long processed = in.getLong();
      int[] state = new int[8];
      for (int i = 0; i < state.length; i++) {
        state[i] = in.getInt();
      }
      byte[] pending = new byte[in.remaining()];
      in.get(pending);
      if (processed != expectedBytes || pending.length >= 64 || processed % 64 != pending.length) {
        return Optional.empty();
      }
      INTERNALS.restore(d.spi, processed, state, pending);
      d.bytes = processed;
      return Optional.of(d);
    } catch (RuntimeException e) { // a damaged record: hash from the start instead
      log.debug("SHA-256 checkpoint not usable: {}", e.toString());
      return Optional.empty();
    }
  }

  void update(byte[] b, int off, int len) {
    if (spi == null) {
      plain.update(b, off, len);
    } else {
      INTERNALS.update(spi, b, off, len);
    }
    bytes += len;
  }

  /** Bytes hashed so far, counting those a resumed digest was restored with. */
  long bytes() {
    return bytes;
  }

  byte[] digest() {
    return spi == null ? plain.digest() : INTERNALS.digest(spi);
  }

  /** The state after the bytes hashed so far, as text for the catalog; empty where unsupported. */
  Optional<String> checkpoint() {
    if (spi == null) {
      return Optional.empty();
    }
    Internals.Snapshot s = INTERNALS.snapshot(spi);
    ByteBuffer out = ByteBuffer.allocate(1 + 8 + 32 + s.pending().length);
    out.put(FORMAT).putLong(s.processed());
    for (int v : s.state()) {
      out.putInt(v);
    }
    out.put(s.pending());
    return Optional.of(Base64.getEncoder().encodeToString(out.array()));
  }

  /** Handles on the JDK's SHA-256 fields, or null where the package is closed or differs. */
  private record Internals(MethodHandle constructor, MethodHandle update, MethodHandle digest, VarHandle buffer,
                           VarHandle bufOfs, VarHandle processed, VarHandle state) {
    record Snapshot(long processed, int[] state, byte[] pending) {}

    static Internals load() {
      try {
        Class<?> base = Class.forName("sun.security.provider.DigestBase");
        Class<?> sha2 = Class.forName("sun.security.provider.SHA2");
        Class<?> impl = Class.forName("sun.security.provider.SHA2$SHA256");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandles.Lookup inBase = MethodHandles.privateLookupIn(base, lookup);
        MethodHandles.Lookup inSha2 = MethodHandles.privateLookupIn(sha2, lookup);
        Internals in = new Internals(
            MethodHandles.privateLookupIn(impl, lookup).findConstructor(impl, MethodType.methodType(void.class)),
            inBase.findVirtual(base, "engineUpdate",
                MethodType.methodType(void.class, byte[].class, int.class, int.class)),
            inBase.findVirtual(base, "engineDigest", MethodType.methodType(byte[].class)),
            inBase.findVarHandle(base, "buffer", byte[].class),
            inBase.findVarHandle(base, "bufOfs", int.class),
            inBase.findVarHandle(base, "bytesProcessed", long.class),
            inSha2.findVarHandle(sha2, "state", int[].class));
        in.selfTest();
        return in;
      } catch (ReflectiveOperationException | RuntimeException | LinkageError | AssertionError e) {
        log.debug("SHA-256 state cannot be saved in this JVM ({}); a resumed upload re-reads its finished parts",
            e.toString());
        return null;
      }
    }

    /** A save and restore at an odd offset must give MessageDigest's answer, or nothing is used. */
    private void selfTest() {
      byte[] data = new byte[1000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 31 + 7);
      }
      Object first = newSpi();
      update(first, data, 0, 333);
      Snapshot s = snapshot(first);
      Object second = newSpi();
      restore(second, s.processed(), s.state(), s.pending());
      update(second, data, 333, data.length - 333);
      if (!Arrays.equals(digest(second), PartWindow.digest("SHA-256").digest(data))) {
        throw new AssertionError("restored SHA-256 state gives a different digest");
      }
    }

    Object newSpi() {
      try {
        return constructor.invoke();
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    void update(Object spi, byte[] b, int off, int len) {
      try {
        update.invoke(spi, b, off, len);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    byte[] digest(Object spi) {
      try {
        return (byte[]) digest.invoke(spi);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    Snapshot snapshot(Object spi) {
      int ofs = (int) bufOfs.get(spi);
      return new Snapshot((long) processed.get(spi), ((int[]) state.get(spi)).clone(),
          Arrays.copyOf((byte[]) buffer.get(spi), ofs));
    }

    void restore(Object spi, long bytes, int[] values, byte[] pending) {
      int[] target = (int[]) state.get(spi);
      if (target.length != values.length) {
        throw new IllegalStateException("SHA-256 state of " + target.length + " words");
      }
      System.arraycopy(values, 0, target, 0, values.length);
      System.arraycopy(pending, 0, (byte[]) buffer.get(spi), 0, pending.length);
      bufOfs.set(spi, pending.length);
      processed.set(spi, bytes);
    }
  }
}
