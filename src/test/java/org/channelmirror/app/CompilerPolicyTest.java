package org.channelmirror.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JIT policy reaches HotSpot. Each case runs in a JVM of its own, so the test JVM keeps the
 * default policy.
 */
class CompilerPolicyTest {

  @Test
  void hotSpotTakesTheDirectivesAndKeepsC2OnlyForTheDigestProviders() throws Exception {
    String out = probe();
    assertThat(out).startsWith("applied=true");
    // the printed stack: our two directives above the JVM's default one
    assertThat(out).contains("matching: sun/security/provider/*.*");
    assertThat(out.indexOf("matching: sun/security/provider/*.*"))
        .isLessThan(out.indexOf("matching: *.*"));
    assertThat(out).contains("Exclude:true");
  }

  @Test
  void theSystemPropertyKeepsTheJvmsDefaultPolicy() throws Exception {
    String out = probe("-Dchannel-mirror.jit=full");
    assertThat(out).startsWith("applied=false");
    assertThat(out).doesNotContain("sun/security/provider").doesNotContain("Exclude:true");
  }

  @Test
  void jitOptionsOfTheUsersOwnAreLeftInCharge() throws Exception {
    String out = probe("-XX:TieredStopAtLevel=1");
    assertThat(out).startsWith("applied=false");
    assertThat(out).doesNotContain("sun/security/provider");
  }

  private static String probe(String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Applies the policy and prints the outcome and the JIT's directive stack. */
  static final class Probe {
    public static void main(String[] args) throws Exception {
      System.out.println("applied=" + CompilerPolicy.apply());
      System.out.println(CompilerPolicy.directives());
    }
  }
}
