package org.channelmirror.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The logging setup, in code rather than a logback.xml: reading XML pulls in about 350 classes
 * (Joran and a SAX parser) and a tenth of a second of CPU on every start of every command.
 * One line per event on stderr, every registered secret masked in messages and stack traces.
 *
 * <p>Levels: {@code CHANNEL_MIRROR_LOG_LEVEL} (default INFO) for channel-mirror's own loggers,
 * {@code CHANNEL_MIRROR_ROOT_LOG_LEVEL} (default WARN) for the libraries; each also as a system
 * property of the same name. {@code -Dlogback.configurationFile=FILE} replaces all of this with
 * your own logback configuration (then add the %rmsg/%rex converters of this package yourself).
 * Registered in {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %rmsg%n%rex";
  /** Chatty libraries, held at WARN even when the root level is lower. */
  private static final String[] QUIET = {"org.gaul", "org.quartz", "org.flywaydb", "com.zaxxer.hikari",
      "software.amazon.awssdk"};

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's own file, read by logback's default configurator
    }
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern(PATTERN);
    layout.getInstanceConverterMap().putAll(Map.of(
        "rmsg", RedactingMessageConverter::new,
        "rex", RedactingThrowableConverter::new));
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level("CHANNEL_MIRROR_ROOT_LOG_LEVEL", Level.WARN));
    root.addAppender(stderr);
    context.getLogger("org.channelmirror").setLevel(level("CHANNEL_MIRROR_LOG_LEVEL", Level.INFO));
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    // when two processes open a new H2 catalog at once, Flyway logs each failed rollback as an
    // ERROR with its stack trace, then throws; Catalog.open retries that case, and reports any
    // other failure in one line, so these would only alarm the owner about a start that went well
    context.getLogger("org.flywaydb.core.internal.jdbc.TransactionalExecutionTemplate").setLevel(Level.OFF);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** From the system property or else the environment variable {@code name}; unknown names give {@code dflt}. */
  static Level level(String name, Level dflt) {
    String value = System.getProperty(name, System.getenv(name));
    return value == null || value.isBlank() ? dflt : Level.toLevel(value.trim().toUpperCase(Locale.ROOT), dflt);
  }
}
