package org.channelmirror.telegram;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.objects.ApiResponse;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * A Bot API method sent through the TelegramBots client (its connection pool, error decoding and
 * flood-control parameters) whose answer is kept as raw JSON instead of TelegramBots' types:
 * <ul>
 *   <li>getUpdates: manifests keep each message exactly as Telegram sent it, and one malformed
 *       update cannot make a whole batch unreadable;</li>
 *   <li>getChat, getChatMember, getMe, getWebhookInfo: a few fields are needed, and TelegramBots'
 *       types (e.g. {@code ChatFullInfo}) reject answers that lack fields a newer Bot API made
 *       mandatory;</li>
 *   <li>forwardMessage: backfill journals the forwarded message as raw JSON, like an update.</li>
 * </ul>
 */
final class RawMethod extends BotApiMethod<ObjectNode> {
  private static final long serialVersionUID = 1L;

  @JsonIgnore
  private final String method;
  @JsonIgnore
  private final LinkedHashMap<String, Object> parameters;
  @JsonIgnore
  private final transient Predicate<JsonNode> resultIsValid;

  private RawMethod(String method, Map<String, Object> parameters, Predicate<JsonNode> resultIsValid) {
    this.method = method;
    this.parameters = new LinkedHashMap<>(parameters);
    this.resultIsValid = resultIsValid;
  }

  /** The whole {@code {"ok":true,"result":[...]}} envelope. */
  static RawMethod getUpdates(long offset, int limit, int timeout, List<String> allowedUpdates) {
    return new RawMethod("getUpdates", Map.of("offset", offset, "limit", limit, "timeout", timeout,
        "allowed_updates", List.copyOf(allowedUpdates)), JsonNode::isArray);
  }

  /** The envelope whose {@code result} is the Chat object. */
  static RawMethod getChat(String chatId) {
    return object("getChat", Map.of("chat_id", chatId));
  }

  /** A method whose {@code result} is one object (getMe, getChatMember, getWebhookInfo). */
  static RawMethod object(String method, Map<String, Object> parameters) {
    return new RawMethod(method, parameters, JsonNode::isObject);
  }

  /** A method whose {@code result} is {@code true} (setWebhook, deleteWebhook); the envelope keeps its description. */
  static RawMethod bool(String method, Map<String, Object> parameters) {
    return new RawMethod(method, parameters, JsonNode::isBoolean);
  }

  @JsonAnyGetter
  Map<String, Object> parameters() {
    return parameters;
  }

  @Override
  public String getMethod() {
    return method;
  }

  @Override
  public void validate() {}

  /**
   * The answer's envelope when it is {@code ok} with a result of the expected shape; otherwise the
   * error TelegramBots would raise, so that flood control and error codes are read as for its own
   * methods.
   */
  @Override
  public ObjectNode deserializeResponse(String answer) throws TelegramApiRequestException {
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
