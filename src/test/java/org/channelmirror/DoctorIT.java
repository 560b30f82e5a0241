package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.channelmirror.Harness.assertExit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.channelmirror.fakebot.Channel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `doctor` checks the setup against the real fake Bot API and S3 server, and says what to fix. */
class DoctorIT {
  private static final long OTHER = -1007777777777L;

  @TempDir
  Path dir;

  @Test
  void aCompleteSetupPassesEveryCheckAndLeavesNothingBehind() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine");
      Harness.Run run = h.cli("doctor");
      assertExit(run, 0);
      assertThat(run.out())
          .contains("ok    catalog")
          .contains("ok    Telegram               bot @")
          .contains("ok    webhook")
          .contains("ok    channel " + EndToEndIT.CHANNEL + " 'Mine': the bot is an administrator")
          .contains("ok    storage                bucket '" + Harness.BUCKET + "' at " + h.s3.endpoint()
              + ": write, read and delete work")
          .contains("everything checked is in place")
          .doesNotContain("FAIL");
      assertThat(h.objects("")).isEmpty(); // the probe object was deleted
      assertThat(h.api.requests()).extracting(r -> r.method()).doesNotContain("getupdates");
    }
  }

  @Test
  void eachProblemIsNamedWithWhatToChangeAndNoSecretIsPrinted() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL, OTHER)) {
      Channel mine = h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine");
      mine.setBotStatus("left"); // a bot in a channel is an administrator or not there
      // OTHER does not exist for the bot; the S3 secret is wrong
      String yaml = Files.readString(h.config).replace(h.s3.secretAccessKey(), "wrong-secret-0123456789");
      Files.writeString(h.config, yaml);
      Harness.Run run = h.cli("doctor");
      assertExit(run, 1);
      assertThat(run.out())
          .contains("FAIL  channel " + EndToEndIT.CHANNEL + " 'Mine': the bot is 'left'")
          .contains("Add Admin")
          .contains("FAIL  channel " + OTHER)
          .contains("chat not found").contains("start with -100")
          .containsPattern("FAIL  storage .*(credentials|secret|signature|[Aa]ccess)")
          .contains("3 problem(s) found")
          .doesNotContain("wrong-secret-0123456789")
          .doesNotContain(h.api.token());
      // a token the Bot API refuses stops the Telegram checks with one line saying where to get it
      Files.writeString(h.config, Files.readString(h.config).replace(h.api.token(), "123456789:WRONG-token"));
      run = h.cli("doctor");
      assertExit(run, 1);
      assertThat(run.out()).contains("refused the token").contains("@BotFather")
          .doesNotContain("ok    webhook").doesNotContain("WRONG-token");
      assertThat(List.of(run.out().split("\n"))).filteredOn(l -> l.startsWith("FAIL")).hasSize(2);
    }
  }
}
