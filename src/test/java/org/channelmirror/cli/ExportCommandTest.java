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
 * Usage errors of {@code export} (and {@code restore}) that must exit 2 before any storage is asked.
 * {@code export --to} naming a file: found by the recovery sweep, it printed "error: FILE" and exited
 * 3, the status for storage unreachable.
 */
class ExportCommandTest {
  @TempDir
  Path tmp;

  @Test
  void aTargetThatIsAFileIsAUsageError() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
    Run r = run("export", "--to", file.toString());
    assertThat(r.code).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err).contains("is a file, not a directory");
    assertThat(Files.readString(file)).isEqualTo("mine");
  }

  /**
   * {@code --since} after {@code --until}: found by a black-box sweep, export wrote an empty copy
   * ("exported 0 post(s)") and exited 0, as if the channel were empty; restore did the same.
   */
  @Test
  void aDateRangeThatEndsBeforeItStartsIsAUsageError() throws Exception {
    for (String[] args : new String[][] {
        {"export", "--to", tmp.resolve("out").toString(), "--since", "2024-05-03", "--until", "2024-05-01"},
        {"restore", "--to", "-1002", "--dry-run", "--since", "2024-05-02T00:00:01Z", "--until", "2024-05-02T00:00:00Z"}}) {
      Run r = run(args);
      assertThat(r.code).as(r.err).isEqualTo(ExitCodes.CONFIG);
      assertThat(r.err).contains("is after --until", "no post can be in that range");
    }
    assertThat(run("export", "--to", tmp.resolve("out").toString(), "--since", "2024-05-01", "--until", "2024-05-01")
        .err).as("one whole day is a range").doesNotContain("is after --until");
  }

  private record Run(int code, String err) {}

  private Run run(String... args) throws Exception {
    Path config = tmp.resolve("cm.yaml");
    Files.writeString(config, "telegram:\n  token: \"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw\"\n  channels: [-1001]\nstorage:\n"
        + "  endpoint: http://127.0.0.1:9\n  bucket: my-bucket\n  accessKeyId: a\n  secretAccessKey: s\ndataDir: "
        + tmp.resolve("data") + "\n");
    String[] all = new String[args.length + 2];
    all[0] = "-c";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return new Run(Cli.execute(all), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
