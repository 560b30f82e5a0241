package org.channelmirror.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.channelmirror.config.Secret;
import org.channelmirror.config.TelegramConfig;
import org.channelmirror.config.WebhookConfig;
import org.junit.jupiter.api.Test;

class BotApiTimeoutsTest {
  private static TelegramConfig config(boolean localMode) {
    return new TelegramConfig(Secret.of("123456:ABCdef"), URI.create("http://127.0.0.1:8081"), localMode, null,
        List.of(-1001L), List.of(), 50, 0, WebhookConfig.OFF);
  }

  @Test
  void aLocalServerMayTakeMinutesToAnswerGetFileACloudOneNot() {
    // found by the intake sweep: a local Bot API server answers getFile only once it has downloaded
    // the whole file (up to 2000 MB) from Telegram; 110 s cut that short for big files on slow links
    assertThat(new BotApi(config(true), Clock.systemUTC()).getFileTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(new BotApi(config(false), Clock.systemUTC()).getFileTimeout()).isEqualTo(Duration.ofSeconds(110));
  }
}
