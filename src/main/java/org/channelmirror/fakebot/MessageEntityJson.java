package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Bot API MessageEntity; offsets and lengths are UTF-16 code units like {@link String#length()}. */
public record MessageEntityJson(String type, int offset, int length, String url, String language) {

  public static MessageEntityJson of(String type, int offset, int length) {
    return new MessageEntityJson(type, offset, length, null, null);
  }

  /** Key order as the real server emits it: offset, length, type, then optional keys. */
  ObjectNode toJson() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("offset", offset);
    n.put("length", length);
    n.put("type", type);
    if (url != null) {
      n.put("url", url);
    }
    if (language != null) {
      n.put("language", language);
    }
    return n;
  }
}
