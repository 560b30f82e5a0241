package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Error lines that say what to change. */
class CliTest {
  @Test
  void aHeapTooSmallSaysWhatToChange() {
    Exception e = new IllegalStateException("backup run failed: Java heap space",
        new ExecutionException(new OutOfMemoryError("Java heap space")));
    assertThat(Cli.outOfMemoryHint(e)).contains("heap of").contains("-Xmx256m").contains("storage.partSize");
    assertThat(Cli.outOfMemoryHint(new IllegalStateException("storage unreachable"))).isEmpty();
  }
}
