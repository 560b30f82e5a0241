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

  @Test
  void inPollingModeASetWebhookIsAWarningThatRunRemovesIt() throws Exception {
    try (Harness h = Harness.cloud(dir, EndToEndIT.CHANNEL)) {
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine").post().text("waiting").publish();
      BotCall.post(h, "setWebhook", "{\"url\":\"https://other.example/hook\"}");
      Harness.Run run = h.cli("doctor");
      assertExit(run, 0);
      assertThat(run.out()).contains("warn  webhook").contains("https://other.example/hook")
          .contains("run will remove it at start").contains("1 pending update(s) are kept");
      assertThat(h.calls("deletewebhook")).as("doctor changes nothing").isZero();
    }
  }

  @Test
  void inWebhookModeDoctorReportsWhatTelegramSaysWithoutRegisteringAnything() throws Exception {
    try (Harness h = new Harness(dir, org.channelmirror.fakebot.FakeBotApi.Options.defaults().withLocalWebhooks(),
        List.of(EndToEndIT.CHANNEL), "")) {
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine");
      String url = "http://127.0.0.1:1/hook"; // nobody listens there: deliveries fail
      Files.writeString(h.config, Files.readString(h.config).replace("  pollTimeoutSeconds: 1\n",
          "  pollTimeoutSeconds: 1\n  webhook:\n    url: " + url + "\n"));
      Harness.Run run = h.cli("doctor");
      assertExit(run, 0);
      assertThat(run.out()).contains("warn  webhook").contains("not registered at Telegram yet: run registers it at start")
          .contains("delivers only to https:// URLs, unless the Bot API server at " + h.api.baseUrl() + " runs with --local");

      BotCall.post(h, "setWebhook", "{\"url\":\"" + url + "\"}");
      h.api.channel(EndToEndIT.CHANNEL, "Mine", "mine").post().text("undeliverable").publish();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
          .until(() -> BotCall.post(h, "getWebhookInfo", "{}").contains("last_error_message"));
      run = h.cli("doctor");
      assertExit(run, 0);
      assertThat(run.out()).contains("warn  webhook").contains("registered (" + url + "), 1 update(s) waiting")
          .contains("Last delivery error").contains("Connection refused").contains("telegram.webhook.listen");

      BotCall.post(h, "setWebhook", "{\"url\":\"http://127.0.0.1:2/elsewhere\"}");
      run = h.cli("doctor");
      assertThat(run.out()).contains("Telegram delivers to http://127.0.0.1:2/elsewhere, not to telegram.webhook.url");
      assertThat(h.calls("setwebhook")).as("only the test registered webhooks").isEqualTo(2);
    }
  }

  /** A raw Bot API call to the fake, as another program would make it. */
  static final class BotCall {
    static String post(Harness h, String method, String json) throws Exception {
      return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(h.api.baseUrl() + "/bot" + h.api.token() + "/" + method))
          .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
