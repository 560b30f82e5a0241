package org.channelmirror;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** channel-mirror as a real separate JVM, for crash and shutdown tests (SIGKILL, SIGTERM). */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  public final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(Path log, List<String> jvmArgs, String... args) throws IOException {
    return start(log, jvmArgs, java.util.Map.of(), args);
  }

  public static ChildProcess start(Path log, List<String> jvmArgs, java.util.Map<String, String> env, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // what the runnable jar's manifest (Add-Opens) grants, for this class-path launch
    cmd.add("--add-opens=java.base/sun.security.provider=ALL-UNNAMED");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.channelmirror.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildProcess(pb.start(), log);
  }

  /** Runs {@code channel-mirror --config config args...} to its end; asserts exit 0 and returns the output. */
  public static String succeed(Path log, Path config, String... args) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    try (ChildProcess p = start(log, List.of(), all.toArray(String[]::new))) {
      int code = p.waitFor(120);
      String out = p.output();
      org.assertj.core.api.Assertions.assertThat(code).as("exit code of %s; output:%n%s", all, out).isZero();
      return out;
    }
  }

  /** Waits for the process to end by itself; returns its exit code, or -1 on timeout. */
  public int waitFor(long timeoutSeconds) throws InterruptedException {
    return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code, or -1 if it did not stop within the timeout. */
  public int terminate(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeoutSeconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  public String output() throws IOException {
    return java.nio.file.Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
