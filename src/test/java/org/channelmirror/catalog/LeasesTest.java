package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How a lease tells whether its holder on this host still runs. */
class LeasesTest {
  @Test
  void aKilledHolderCountsAsGoneEvenBeforeItsParentReapsIt() throws Exception {
    assertThat(Leases.running(ProcessHandle.current().pid())).isTrue();
    // a process whose parent never waits for its children: the killed child stays a zombie,
    // which ProcessHandle reports alive (a harness that kills and restarts without reaping)
    Process parent = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
        StandardCharsets.UTF_8))) {
      long child = Long.parseLong(out.readLine().trim());
      assertThat(Leases.running(child)).isTrue();
      new ProcessBuilder("kill", "-9", Long.toString(child)).start().waitFor();
      await().atMost(Duration.ofSeconds(10)).until(() -> !Leases.running(child));
      assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
          .as("a zombie, which the JDK alone would call alive").isTrue();
    } finally {
      parent.destroyForcibly();
      parent.waitFor();
    }
  }
}
