package org.channelmirror.telegram;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.objects.ApiResponse;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * getUpdates through the TelegramBots client, answering the raw JSON envelope instead of
 * {@code Update} objects: manifests keep each message exactly as Telegram sent it, and one
 * malformed update cannot make a whole batch unreadable.
 */
final class RawGetUpdates extends BotApiMethod<ObjectNode> {
  private static final long serialVersionUID = 1L;

  @JsonProperty("offset")
  private final long offset;
  @JsonProperty("limit")
  private final int limit;
  @JsonProperty("timeout")
  private final int timeout;
  @JsonProperty("allowed_updates")
  private final List<String> allowedUpdates;

  RawGetUpdates(long offset, int limit, int timeout, List<String> allowedUpdates) {
    this.offset = offset;
    this.limit = limit;
    this.timeout = timeout;
    this.allowedUpdates = List.copyOf(allowedUpdates);
  }

  @Override
  public String getMethod() {
    return "getUpdates";
  }

  @Override
  public void validate() {}

  @Override
  public ObjectNode deserializeResponse(String answer) throws TelegramApiRequestException {
    return envelope(answer, getMethod(), JsonNode::isArray);
  }

  /**
   * The answer's envelope when it is {@code ok} with a result {@code resultIsValid} accepts;
   * otherwise the error TelegramBots would raise, so that flood control and error codes are read
   * the same way as for its own methods.
   */
  static ObjectNode envelope(String answer, String method, Predicate<JsonNode> resultIsValid)
      throws TelegramApiRequestException {
    JsonNode root;
    try {
      root = OBJECT_MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new TelegramApiRequestException("Unable to deserialize response", e);
    }
    if (!(root instanceof ObjectNode obj)) {
      throw new TelegramApiRequestException("Unable to deserialize response: not a JSON object");
    }
    if (obj.path("ok").asBoolean(false) && resultIsValid.test(obj.path("result"))) {
      return obj;
    }
    try {
      ApiResponse<?> response = OBJECT_MAPPER.treeToValue(obj, ApiResponse.class);
      throw new TelegramApiRequestException("Error executing " + method + " query", response);
    } catch (IOException e) {
      throw new TelegramApiRequestException("Unable to deserialize response", e);
    }
  }
}
