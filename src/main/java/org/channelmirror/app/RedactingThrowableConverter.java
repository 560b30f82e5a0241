package org.channelmirror.app;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.channelmirror.config.Secrets;

/** Stack traces with every registered secret masked: exception texts may quote URLs. */
public final class RedactingThrowableConverter extends ExtendedThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Secrets.redact(super.convert(event));
  }
}
