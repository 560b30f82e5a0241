package org.channelmirror.recovery;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Keeps test logs readable: the S3 server and HTTP clients are chatty at DEBUG. */
final class TestLogs {
  private TestLogs() {}

  static void quiet() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    ((Logger) LoggerFactory.getLogger("org.channelmirror")).setLevel(Level.INFO);
    ((Logger) LoggerFactory.getLogger("org.gaul")).setLevel(Level.WARN);
  }
}
