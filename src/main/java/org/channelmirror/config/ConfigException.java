package org.channelmirror.config;

/** A configuration problem; the message names the key and says what to do. Exit code 2. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
