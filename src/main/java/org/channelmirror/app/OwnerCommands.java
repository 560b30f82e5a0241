package org.channelmirror.app;

import java.util.List;
import java.util.function.Supplier;
import org.channelmirror.intake.Intake;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers {@code /status} in a private chat with a configured owner; ignores everyone else. */
final class OwnerCommands implements Intake.PrivateChatHandler {
  private static final Logger log = LoggerFactory.getLogger(OwnerCommands.class);
  private final BotApi api;
  private final List<Long> owners;
  private final Supplier<StatusReport> status;

  OwnerCommands(BotApi api, List<Long> owners, Supplier<StatusReport> status) {
    this.api = api;
    this.owners = owners;
    this.status = status;
  }

  @Override
  public void handle(long chatId, long fromUserId, String text) throws InterruptedException {
    if (!owners.contains(fromUserId) || !isStatusCommand(text)) {
      return;
    }
    // reasons recorded from errors pass through the redactor once more on the way out, as in `status`
    String body = org.channelmirror.config.Secrets.redact(status.get().toText());
    if (body.length() > 4000) {
      // under Telegram's 4096 characters, and never between the two halves of an emoji
      int cut = Character.isHighSurrogate(body.charAt(3999)) ? 3999 : 4000;
      body = body.substring(0, cut) + "\n...";
    }
    try {
      api.sendMessage(chatId, body);
    } catch (BotApiException e) {
      log.warn("could not answer /status to owner {}: {}", fromUserId, e.getMessage());
    }
  }

  /** "/status", or "/status@botname" as clients send a command picked from the bot's menu. */
  static boolean isStatusCommand(String text) {
    String first = text.strip().split("\\s+", 2)[0];
    return first.equals("/status") || first.startsWith("/status@");
  }
}
