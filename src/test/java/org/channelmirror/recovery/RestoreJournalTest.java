package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreJournalTest {
  @TempDir
  Path dir;

  @Test
  void statesSurviveReopeningAndATornLastLineIsIgnored() throws Exception {
    try (RestoreJournal j = RestoreJournal.open(dir, -1, -2, Clock.systemUTC())) {
      j.sending("m1");
      j.uploaded("m1");
      j.sent("m1", List.of(10L));
      j.sending("m2");
      j.uploaded("m2");
    }
    Path file = RestoreJournal.path(dir, -1, -2);
    Files.writeString(file, "{\"send\":\"m3\",\"sta", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (RestoreJournal j = RestoreJournal.open(dir, -1, -2, Clock.systemUTC())) {
      assertThat(j.get("m1").orElseThrow().state()).isEqualTo(RestoreJournal.State.SENT);
      assertThat(j.get("m1").orElseThrow().messageIds()).containsExactly(10L);
      assertThat(j.get("m2").orElseThrow().state()).isEqualTo(RestoreJournal.State.UPLOADED);
      assertThat(j.get("m3")).isEmpty();
      j.sending("m3");
    }
    assertThat(RestoreJournal.readOnly(dir, -1, -2).get("m3").state()).isEqualTo(RestoreJournal.State.SENDING);
  }

  @Test
  void twoRestoresIntoOneChatCannotRunAtOnce() throws Exception {
    try (RestoreJournal first = RestoreJournal.open(dir, -1, -2, Clock.systemUTC())) {
      first.sending("m1");
      Path file = RestoreJournal.path(dir, -1, -2);
      assertThat(file).exists();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> RestoreJournal.open(dir, -1, -2, Clock.systemUTC()));
      assertThat(e.getMessage()).contains("another restore from channel -1 to chat -2 is running");
    }
  }

  /**
   * The lock holds against another process. Found by an independent acceptance sweep: two
   * {@code restore} commands into one chat, started a moment apart, both ran and the target got every
   * post twice. The journal was read with a second descriptor of the file, and closing it dropped
   * the lock (Linux fcntl locks belong to the process, not the descriptor); the in-JVM test above
   * cannot see that, as the JVM keeps its own table of locks.
   */
  @Test
  void anotherProcessCannotOpenTheJournalWhileARestoreHoldsIt() throws Exception {
    try (RestoreJournal first = RestoreJournal.open(dir, -1, -2, Clock.systemUTC())) {
      first.sending("m1");
      Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), OpenJournal.class.getName(), dir.toString())
          .redirectErrorStream(true).start();
      String out = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(other.waitFor()).as(out).isZero();
      assertThat(out).contains("another restore from channel -1 to chat -2 is running");
    }
  }

  /** A second process that tries to open the journal, and prints what happened. */
  static final class OpenJournal {
    public static void main(String[] args) throws Exception {
      try (RestoreJournal j = RestoreJournal.open(Path.of(args[0]), -1, -2, Clock.systemUTC())) {
        System.out.println("opened " + j.file() + ": the lock did not hold");
      } catch (IllegalStateException e) {
        System.out.println(e.getMessage());
      }
    }
  }
}
