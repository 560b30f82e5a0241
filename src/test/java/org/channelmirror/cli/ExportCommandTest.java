package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --to} naming a file: a usage error (exit 2) that says so. Found by the recovery
 * sweep: it printed "error: FILE" and exited 3, the status for storage unreachable.
 */
class ExportCommandTest {
  @TempDir
  Path tmp;

  @Test
  void aTargetThatIsAFileIsAUsageError() throws Exception {
    Path config = tmp.resolve("cm.yaml");
    Files.writeString(config, "telegram:\n  token: \"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\"\n  channels: [-1001]\nstorage:\n"
        + "  endpoint: http://127.0.0.1:9\n  bucket: my-bucket\n  accessKeyId: a\n  secretAccessKey: s\ndataDir: "
        + tmp.resolve("data") + "\n");
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Cli.execute("-c", config.toString(), "export", "--to", file.toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(ExitCodes.CONFIG);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("mine");
  }
}
