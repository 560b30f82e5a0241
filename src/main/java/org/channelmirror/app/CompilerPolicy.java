package org.channelmirror.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;

/**
 * Tells HotSpot's JIT to leave everything but the hashing code to its quick compiler (C1).
 *
 * <p>Why: profiles of a 1 GiB {@code sync} and of 1000 small files showed the optimising
 * compiler (C2) using a third of the process's CPU, compiling the AWS SDK's request pipeline,
 * H2 and Jackson while they ran. None of that code is where the bytes go: the bytes go through
 * the socket (native), array copies (intrinsic in C1 too) and SHA-256/MD5, whose SHA-NI and
 * vector intrinsics only C2 has. So {@code sun.security.provider} keeps C2 and the rest stops
 * at C1. Measured on the benchmark (docs/benchmarks.md, item 14): about a fifth less CPU for
 * both the 1 GiB file and the 1000 files, and less wall time for the 1 GiB file.
 *
 * <p>The policy is a Compiler Control directive (JEP 165), added at run time through the
 * DiagnosticCommand MBean because a jar cannot carry JVM options. On a JVM without that
 * command (not HotSpot, no {@code java.management}), with {@code -Dchannel-mirror.jit=full}, or
 * started with JIT options of the user's own ({@link #USER_JIT_OPTIONS}) nothing changes.
 */
public final class CompilerPolicy {
  /** First match wins: the digest providers may use C2, nothing else may. */
  static final String DIRECTIVES = """
      [
        { match: ["sun/security/provider/*.*"], c2: { Exclude: false } },
        { match: ["*.*"], c2: { Exclude: true } }
      ]
      """;

  /** JVM options by which a user tunes the JIT; ours would override theirs, so they win. */
  static final List<String> USER_JIT_OPTIONS = List.of("-XX:CompilerDirectivesFile", "-XX:CompileCommand",
      "-XX:TieredStopAtLevel", "-XX:-TieredCompilation", "-Xint", "-Xcomp");

  private CompilerPolicy() {}

  /**
   * Applies the policy on a thread of its own: reaching the command costs about 0.1 s (the
   * platform MBean server starts), which then overlaps the command's own start-up.
   */
  public static void applyInBackground() {
    Thread t = new Thread(CompilerPolicy::apply, "jit-policy");
    t.setDaemon(true);
    t.start();
  }

  /** Applies the policy unless turned off; returns whether HotSpot took it. Never throws. */
  public static boolean apply() {
    if ("full".equals(System.getProperty("channel-mirror.jit")) || userTunesTheJit()) {
      return false;
    }
    Path file = null;
    try {
      // the command reads its directives from a file, which it parses before returning
      file = Files.createTempFile("channel-mirror-jit-", ".json");
      Files.writeString(file, DIRECTIVES);
      // HotSpot answers "2 compiler directives added" (or a parse error) as text
      return diagnosticCommand("compilerDirectivesAdd", file.toString()).contains("directives added");
    } catch (Exception | LinkageError e) {
      return false; // the JVM keeps its default policy, which only costs CPU
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (Exception ignored) {
          // a stray file in the temp directory is harmless
        }
      }
    }
  }

  private static boolean userTunesTheJit() {
    try {
      return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .anyMatch(arg -> USER_JIT_OPTIONS.stream().anyMatch(arg::startsWith));
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** The JIT's directive stack as HotSpot prints it ({@code jcmd PID Compiler.directives_print}). */
  static String directives() throws Exception {
    return diagnosticCommand("compilerDirectivesPrint");
  }

  private static String diagnosticCommand(String operation, String... args) throws Exception {
    return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
        new Object[] {args}, new String[] {String[].class.getName()}));
  }
}
