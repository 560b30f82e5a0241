package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.channelmirror.Harness;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Error lines that say what to change; which commands are services; --help and --version of every command. */
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

  static final List<String> COMMANDS = List.of("run", "sync", "status", "verify", "cleanup", "restore", "backfill",
      "export", "reindex", "doctor", "demo", "simulate");

  /**
   * Every command's help ends with its exit codes, each line as written: a line picocli wrapped at
   * 80 columns would start at the margin ("error", "due") instead of under its code.
   */
  @Test
  void everyHelpListsItsExitCodesWithoutWrappedLines() {
    for (String command : COMMANDS) {
      assertExitCodesUnwrapped(Harness.runCli(command, "--help"), command);
    }
    assertExitCodesUnwrapped(Harness.runCli("--help"), "the top level");
  }

  private static void assertExitCodesUnwrapped(Harness.Run help, String what) {
    assertThat(help.code()).as(what).isZero();
    List<String> lines = help.out().lines().toList();
    int from = lines.indexOf(lines.stream().filter(l -> l.startsWith("Exit status")).findFirst()
        .orElseThrow(() -> new AssertionError(what + ": no exit status in --help")));
    for (String line : lines.subList(from + 1, lines.size())) {
      assertThat(line).as(what + ": exit status line").matches("|  .*");
    }
  }

  /** simulate stores nothing: its help must not promise what sync's does. */
  @Test
  void simulateHelpSaysWhenItEnds() {
    Harness.Run help = Harness.runCli("simulate", "--help");
    assertThat(help.out()).doesNotContain("everything is stored").contains("143, 130").contains("--port=N");
  }

  /** The help of every command offers -V, --version: it prints the version, as at the top level. */
  @Test
  void everyCommandPrintsTheVersion() {
    String top = Harness.runCli("--version").out();
    assertThat(top).startsWith("channel-mirror ");
    for (String command : COMMANDS) {
      Harness.Run run = Harness.runCli(command, "--version");
      assertThat(run.code()).as(command).isZero();
      assertThat(run.out()).as(command).isEqualTo(top);
    }
  }

  /** A mistyped command is named in one line with the commands there are; an unknown option is named too. */
  @Test
  void anUnknownCommandOrOptionIsOneClearLineAndExit2() {
    Harness.Run typo = Harness.runCli("stauts");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err().lines().findFirst().orElse("")).startsWith("unknown command 'stauts'")
        .contains("run, sync, status");
    assertThat(typo.err()).contains("did you mean: status");
    Harness.Run far = Harness.runCli("--config", "x.yaml", "frobnicate");
    assertThat(far.code()).isEqualTo(2);
    assertThat(far.err().lines().findFirst().orElse("")).startsWith("unknown command 'frobnicate'");
    assertThat(far.err()).as("nothing is near it").doesNotContain("did you mean");
    assertThat(Harness.runCli("snyc").err()).contains("did you mean: sync?");
    assertThat(Cli.closest("restor", List.of("run", "sync", "restore", "reindex"))).containsExactly("restore");
    assertThat(Cli.closest("RUN", List.of("run", "sync"))).containsExactly("run");
    assertThat(Cli.closest("sinc", List.of("run", "sync", "status"))).containsExactly("sync");
    Harness.Run option = Harness.runCli("status", "--frob");
    assertThat(option.code()).isEqualTo(2);
    assertThat(option.err().lines().findFirst().orElse("")).isEqualTo("Unknown option: '--frob'");
  }

  /** The README's command list is the jar's, in the same order. */
  @Test
  void theReadmeListsTheCommandsThereAre() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("channel-mirror [-c|--config FILE] <command>");
    assertThat(from).as("the README's Commands block").isPositive();
    List<String> listed = readme.substring(from, readme.indexOf("```", from)).lines().skip(1)
        .map(l -> l.strip().split(" ")[0]).filter(w -> !w.isEmpty()).toList();
    assertThat(listed).isEqualTo(COMMANDS);
    List<String> inJar = new ArrayList<>(new CommandLine(new Cli()).getSubcommands().keySet());
    inJar.remove("help");
    assertThat(inJar).isEqualTo(COMMANDS);
  }

  /** A port no socket can have is bad usage (2) naming the option, not "could not start" (3). */
  @Test
  void simulateOnAnImpossiblePortIsBadUsage() {
    for (String port : new String[] {"99999", "-1"}) {
      Harness.Run run = Harness.runCli("simulate", "--port", port);
      assertThat(run.code()).as(port).isEqualTo(2);
      assertThat(run.err()).contains("--port").contains(port).hasLineCount(1);
    }
  }

  /** simulate on a port that is taken names the address and the option to change, and exits 3. */
  @Test
  void simulateOnATakenPortSaysWhichAndWhatToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Harness.Run run = Harness.runCli("simulate", "--port", String.valueOf(taken.getLocalPort()));
      assertThat(run.code()).isEqualTo(3);
      assertThat(run.err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()).contains("--port");
    }
  }
}
