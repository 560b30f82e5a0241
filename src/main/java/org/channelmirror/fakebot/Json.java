package org.channelmirror.fakebot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Shared mapper and the Bot API response envelopes (BOTAPI §1). */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(JsonNode node) {
    return new String(bytes(node), StandardCharsets.UTF_8);
  }

  /** Parses JSON; returns null when the text is not valid JSON. */
  static JsonNode parseOrNull(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static ObjectNode ok(JsonNode result, String description) {
    ObjectNode n = object();
    n.put("ok", true);
    n.set("result", result);
    if (description != null) {
      n.put("description", description);
    }
    return n;
  }

  static ObjectNode error(int code, String description, ObjectNode parameters) {
    ObjectNode n = object();
    n.put("ok", false);
    n.put("error_code", code);
    n.put("description", description);
    if (parameters != null) {
      n.set("parameters", parameters);
    }
    return n;
  }

  static ObjectNode floodWait(int retryAfter) {
    ObjectNode p = object();
    p.put("retry_after", retryAfter);
    return error(429, "Too Many Requests: retry after " + retryAfter, p);
  }
}
