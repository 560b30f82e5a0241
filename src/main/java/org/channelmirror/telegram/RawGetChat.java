package org.channelmirror.telegram;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * getChat through the TelegramBots client, answering the raw Chat object: only its id is needed,
 * and TelegramBots' {@code ChatFullInfo} would reject an answer that lacks fields a newer Bot API
 * made mandatory.
 */
final class RawGetChat extends BotApiMethod<ObjectNode> {
  private static final long serialVersionUID = 1L;

  @JsonProperty("chat_id")
  private final String chatId;

  RawGetChat(String chatId) {
    this.chatId = chatId;
  }

  @Override
  public String getMethod() {
    return "getChat";
  }

  @Override
  public void validate() {}

  @Override
  public ObjectNode deserializeResponse(String answer) throws TelegramApiRequestException {
    ObjectNode envelope = RawGetUpdates.envelope(answer, getMethod(), r -> r.isObject());
    return (ObjectNode) envelope.get("result");
  }
}
