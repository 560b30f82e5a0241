package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final TerminalLine line = new TerminalLine(new PrintStream(out, true, StandardCharsets.UTF_8), true);

  private String written() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLogLineWipesTheStatusFirstAndTheNextDrawPutsItBackBelow() {
    line.draw(true, () -> "media 1/4  10 MiB");
    line.sharing().print("12:00:00 INFO  stored\n");
    line.draw(true, () -> "media 2/4  20 MiB");
    line.finish();
    assertThat(written()).isEqualTo("\rmedia 1/4  10 MiB   "
        + "\r" + " ".repeat(20) + "\r" + "12:00:00 INFO  stored\n"
        + "\rmedia 2/4  20 MiB   \n");
  }

  @Test
  void aShorterStatusCoversTheLongerOneBeforeIt() {
    String longer = "media 10/10  1.1 GiB of 1.1 GiB (100%)";
    line.draw(true, () -> longer);
    line.draw(true, () -> "done");
    // the longer text and its three trailing spaces are all overwritten
    assertThat(written()).endsWith("\rdone" + " ".repeat(longer.length() + 3 - "done".length()));
  }

  @Test
  void withoutATerminalNothingIsDrawnAndOtherOutputPassesUntouched() {
    TerminalLine off = new TerminalLine(new PrintStream(out, true, StandardCharsets.UTF_8), false);
    off.draw(true, () -> "media 1/4");
    off.sharing().print("log\n");
    off.finish();
    assertThat(written()).isEqualTo("log\n");
  }
}
