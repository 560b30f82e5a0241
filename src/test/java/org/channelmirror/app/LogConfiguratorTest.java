package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.channelmirror.config.Secrets;
import org.junit.jupiter.api.Test;

/** The logging setup: format, levels, and secrets masked in messages and stack traces. */
class LogConfiguratorTest {
  @Test
  void oneLinePerEventOnStderrWithSecretsMasked() {
    String secret = "777000111:AAF-log-configurator-test-secret";
    Secrets.register(secret);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter()); // set by SLF4J's binding for the real context
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      LogConfigurator configurator = new LogConfigurator();
      configurator.setContext(context);
      assertThat(configurator.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
      context.getLogger("org.channelmirror.backup.BackupRun").info("GET https://api.telegram.org/file/bot{}/x", secret);
      context.getLogger("org.channelmirror.backup.BackupRun").debug("not at INFO");
      context.getLogger("software.amazon.awssdk.request").info("library INFO is below the WARN default");
      context.getLogger("org.channelmirror.transfer.MediaTransfer").warn("failed",
          new IllegalStateException("token " + secret + " in a stack trace"));
    } finally {
      System.setErr(old);
      context.stop();
    }
    String out = err.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain(secret).doesNotContain("not at INFO").doesNotContain("library INFO")
        .contains("INFO  BackupRun - GET https://api.telegram.org/file/bot")
        .contains("WARN  MediaTransfer - failed")
        .contains("java.lang.IllegalStateException: token ")
        .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  BackupRun - ");
  }

  @Test
  void levelsComeFromTheNamedSettingWithADefault() {
    assertThat(LogConfigurator.level("CM_TEST_UNSET_LEVEL", Level.WARN)).isEqualTo(Level.WARN);
    System.setProperty("CM_TEST_LEVEL", "debug");
    System.setProperty("CM_TEST_BAD_LEVEL", "loud");
    try {
      assertThat(LogConfigurator.level("CM_TEST_LEVEL", Level.INFO)).isEqualTo(Level.DEBUG);
      assertThat(LogConfigurator.level("CM_TEST_BAD_LEVEL", Level.INFO)).isEqualTo(Level.INFO);
    } finally {
      System.clearProperty("CM_TEST_LEVEL");
      System.clearProperty("CM_TEST_BAD_LEVEL");
    }
  }
}
