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
    if (!owners.contains(fromUserId) || !text.trim().startsWith("/status")) {
      return;
    }
    // reasons recorded from errors pass through the redactor once more on the way out, as in `status`
    String body = org.channelmirror.config.Secrets.redact(status.get().toText());
    if (body.length() > 4000) {
      body = body.substring(0, 4000) + "\n...";
    }
    try {
      api.sendMessage(chatId, body);
    } catch (BotApiException e) {
      log.warn("could not answer /status to owner {}: {}", fromUserId, e.getMessage());
    }
  }
}
