package org.channelmirror.config;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Process-wide registry of secret strings (bot token, S3 secret key). Every log line and every
 * message shown to a user passes through {@link #redact(String)}, so a secret that slips into an
 * exception text (a Telegram file URL contains the bot token) is still never shown.
 */
public final class Secrets {
  private static final int MIN_LENGTH = 6; // shorter values would mask ordinary words
  private static final List<String> VALUES = new CopyOnWriteArrayList<>();

  private Secrets() {}

  public static void register(String value) {
    if (value == null || value.length() < MIN_LENGTH || VALUES.contains(value)) {
      return;
    }
    VALUES.add(value);
    VALUES.sort(Comparator.comparingInt(String::length).reversed());
  }

  public static String redact(String text) {
    if (text == null || VALUES.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : VALUES) {
      if (out.contains(v)) {
        out = out.replace(v, "<redacted>");
      }
    }
    return out;
  }
}
