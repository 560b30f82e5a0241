package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken configuration: one clear line naming the key, and exit code 2, for every command. */
class ConfigErrorsIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "telegram:\\n  channels: [-100123]\\n|telegram.token",
      "telegram:\\n  token: \"123456:ABCdefghijklmnop\"\\n  channels: [-100123]\\n  colour: blue\\n|telegram.colour",
      "telegram:\\n  token: \"123456:ABCdefghijklmnop\"\\n  channels: [-100123]\\nschedule:\\n  backup: \"61 * * * * ?\"\\n|schedule.backup",
  })
  void badConfigGivesOneLineAndExit2(String yaml, String key) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n"));
    for (String command : new String[] {"sync", "status", "run"}) {
      Harness.Run run = Harness.runCli("--config", file.toString(), command);
      assertExit(run, 2);
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.err()).startsWith("config error: ").contains(key);
    }
  }

  /**
   * A token the Bot API refuses (401) is the configuration's fault, not an outage: {@code sync} and
   * {@code run} say which key to fix and exit 2 at once, instead of "could not run" (3), or a
   * service retrying every 30 s forever. The token itself is never printed.
   */
  @Test
  void aTokenTheBotApiRefusesIsAConfigErrorNamingTheKey() throws Exception {
    try (Harness h = Harness.cloud(dir, -1001234567890L)) {
      String real = h.api.token();
      String wrong = "987654321:WRONG-token_abcdefghijklmnopqrstuv";
      Files.writeString(h.config, Files.readString(h.config).replace(real, wrong));
      for (String command : new String[] {"sync", "run"}) {
        Harness.Run run = h.cli(command);
        assertExit(run, 2);
        assertThat(run.err()).contains("config error: telegram.token").contains("401")
            .contains("BotFather").doesNotContain(wrong).doesNotContain("WRONG-token");
      }
    }
  }

  /**
   * A dataDir that is a file (or, likewise, a directory this user may not write): one line naming
   * the directory and the key, exit 2, instead of H2's stack traces and "could not run" (3).
   */
  @Test
  void aDataDirThatIsAFileIsOneLineNamingTheKey() throws Exception {
    Path notADir = Files.writeString(dir.resolve("data"), "x");
    Path file = dir.resolve("cm.yaml");
    Files.writeString(file, "telegram:\n  token: \"123456:ABCdefghijklmnop\"\n  channels: [-100123]\n"
        + "  apiUrl: http://127.0.0.1:9\ndataDir: " + notADir + "\n");
    for (String command : new String[] {"status", "sync", "verify"}) {
      Harness.Run run = Harness.runCli("--config", file.toString(), command);
      assertExit(run, 2);
      assertThat(run.err().strip().lines()).as(command).hasSize(1);
      assertThat(run.err()).startsWith("config error: ").contains(notADir.toString()).contains("dataDir")
          .contains("is a file, not a directory");
    }
  }

  /**
   * A catalog that refuses the login is the configuration's fault, as a refused bot token is: exit
   * 2 naming the keys, not "could not run" (3), which a service's unit restarts forever. The
   * password is never printed. (H2 here; PostgresCatalogIT does the same against PostgreSQL.)
   */
  @Test
  void aCatalogThatRefusesTheLoginIsAConfigErrorNamingTheKeys() throws Exception {
    Path file = dir.resolve("cm.yaml");
    String yaml = "telegram:\n  token: \"123456:ABCdefghijklmnop\"\n  channels: [-100123]\n"
        + "catalog:\n  url: jdbc:h2:file:" + dir.resolve("cat") + "\n  user: cm\n  password: %s\n"
        + "dataDir: " + dir + "\n";
    Files.writeString(file, yaml.formatted("RightPassword1"));
    assertExit(Harness.runCli("--config", file.toString(), "status"), 0);
    Files.writeString(file, yaml.formatted("WrongPassword2"));
    for (String command : new String[] {"status", "sync"}) {
      Harness.Run run = Harness.runCli("--config", file.toString(), command);
      assertExit(run, 2);
      // sync logs its embedded storage starting and stopping; the error is its last line, and no stack trace
      assertThat(run.err().strip().lines().toList()).as(command).last().asString().startsWith("config error: ")
          .contains("catalog.user and catalog.password");
      assertThat(run.err()).doesNotContain("\tat ").doesNotContain("WrongPassword2").doesNotContain("RightPassword1");
    }
  }

  @Test
  void missingConfigFileSaysWhatToDo() {
    Harness.Run run = Harness.runCli("--config", dir.resolve("nope.yaml").toString(), "sync");
    assertExit(run, 2);
    assertThat(run.err()).contains("does not exist").contains("channel-mirror.example.yaml");
  }

  @Test
  void helpAndVersionWork() {
    Harness.Run help = Harness.runCli("--help");
    assertExit(help, 0);
    assertThat(help.out()).contains("sync").contains("status").contains("demo").contains("simulate").contains("cleanup")
        .contains("Exit status");
    Harness.Run version = Harness.runCli("--version");
    assertExit(version, 0);
    assertThat(version.out()).startsWith("channel-mirror ");
    assertExit(Harness.runCli("no-such-command"), 2);
  }
}
