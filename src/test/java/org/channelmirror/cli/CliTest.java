package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Error lines that say what to change; which commands are services. */
class CliTest {
  @Test
  void aHeapTooSmallSaysWhatToChange() {
    Exception e = new IllegalStateException("backup run failed: Java heap space",
        new ExecutionException(new OutOfMemoryError("Java heap space")));
    assertThat(Cli.outOfMemoryHint(e)).contains("heap of").contains("-Xmx256m").contains("storage.partSize");
    assertThat(Cli.outOfMemoryHint(new IllegalStateException("storage unreachable"))).isEmpty();
  }

  @Test
  void theServiceCommandsAreToldApartBeforeParsing() {
    assertThat(Cli.longRunning("run")).isTrue();
    assertThat(Cli.longRunning("--config", "run", "run")).isTrue(); // a config file named "run"
    assertThat(Cli.longRunning("-c", "sync", "simulate", "--port", "8081")).isTrue();
    assertThat(Cli.longRunning("--config=x.yaml", "run")).isTrue();
    assertThat(Cli.longRunning("sync")).isFalse();
    assertThat(Cli.longRunning("--config", "run")).isFalse(); // no command at all
    assertThat(Cli.longRunning("status", "run")).isFalse();
    assertThat(Cli.longRunning()).isFalse();
  }
}
