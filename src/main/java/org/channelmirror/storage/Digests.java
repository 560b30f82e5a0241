package org.channelmirror.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** SHA-256 helpers and the {@code sha256} metadata rules. */
final class Digests {
  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String sha256Hex(byte[] data, int offset, int length) {
    MessageDigest md = sha256();
    md.update(data, offset, length);
    return HexFormat.of().formatHex(md.digest());
  }

  static String hex(MessageDigest md) {
    return HexFormat.of().formatHex(md.digest());
  }

  /** A caller that already knows the hash may pass it as {@code sha256}: a difference is fatal. */
  static void checkExpected(String what, Map<String, String> meta, String actual) {
    String expected = meta.get(ObjectStore.SHA256_META);
    if (expected != null && !expected.equalsIgnoreCase(actual)) {
      throw S3Errors.mismatch(what, "checksum mismatch: content has SHA-256 " + actual
          + " but metadata sha256 says " + expected);
    }
  }

  static Map<String, String> withSha(Map<String, String> meta, String sha) {
    Map<String, String> out = new HashMap<>(meta);
    out.put(ObjectStore.SHA256_META, sha);
    return out;
  }

  static Map<String, String> withoutSha(Map<String, String> meta) {
    Map<String, String> out = new HashMap<>(meta);
    out.remove(ObjectStore.SHA256_META);
    return out;
  }
}
