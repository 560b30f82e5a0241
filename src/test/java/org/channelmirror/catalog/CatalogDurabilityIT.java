package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit the catalog reported is on disk even if the process is killed the next instant:
 * intake confirms updates to Telegram right after commit, so a lost commit is a lost post.
 */
class CatalogDurabilityIT {
  @TempDir
  Path dir;

  @Test
  void reportedCommitsSurviveSigkill() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("catalog");
    for (int round = 0; round < 3; round++) {
      Path out = dir.resolve("out-" + round + ".txt");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), CommitLoop.class.getName(), url)
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lastCommitted(out) < 200 * (round + 1) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      long reported = lastCommitted(out);
      assertThat(reported).as(Files.readString(out)).isPositive();
      try (Catalog catalog = Catalog.open(url, "", "", 2)) {
        assertThat(catalog.nextOffset(CommitLoop.BOT)).as("round %d", round).isGreaterThanOrEqualTo(reported);
      }
    }
  }

  private static long lastCommitted(Path out) throws java.io.IOException {
    if (!Files.exists(out)) {
      return 0;
    }
    List<String> lines = Files.readAllLines(out);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("committed ")) {
        return Long.parseLong(lines.get(i).substring(10).trim());
      }
    }
    return 0;
  }
}
