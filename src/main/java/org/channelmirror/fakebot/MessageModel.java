package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A message's fields; {@link #render()} emits them in the real server's key order, omitting absent ones. */
final class MessageModel {
  int messageId;
  ChatState chat;
  ObjectNode from;
  String authorSignature;
  boolean senderIsChat;
  long date;
  Long editDate;
  ObjectNode forward;            // forward_origin + legacy forward_* keys, already in order
  String mediaGroupId;
  String kind = "text";          // text, a media kind, paid_media, poll, location, venue, contact or dice
  String text;
  ArrayNode entities;
  Map<String, JsonNode> media = new LinkedHashMap<>();
  String caption;
  ArrayNode captionEntities;
  Map<String, JsonNode> raw = new LinkedHashMap<>();
  List<FileRef> files = new ArrayList<>();

  MessageModel copy() {
    MessageModel m = new MessageModel();
    m.messageId = messageId;
    m.chat = chat;
    m.from = from;
    m.authorSignature = authorSignature;
    m.senderIsChat = senderIsChat;
    m.date = date;
    m.editDate = editDate;
    m.forward = forward;
    m.mediaGroupId = mediaGroupId;
    m.kind = kind;
    m.text = text;
    m.entities = entities;
    m.media = new LinkedHashMap<>(media);
    m.caption = caption;
    m.captionEntities = captionEntities;
    m.raw = new LinkedHashMap<>(raw);
    m.files = new ArrayList<>(files);
    return m;
  }

  void clearContent() {
    kind = "text";
    text = null;
    entities = null;
    media.clear();
    files.clear();
  }

  ObjectNode render() {
    ObjectNode n = Json.object();
    n.put("message_id", messageId);
    if (from != null) {
      n.set("from", from);
    }
    if (authorSignature != null) {
      n.put("author_signature", authorSignature);
    }
    if (senderIsChat) {
      n.set("sender_chat", chat.json());
    }
    n.set("chat", chat.json());
    n.put("date", date);
    if (editDate != null) {
      n.put("edit_date", editDate);
    }
    if (forward != null) {
      n.setAll(forward);
    }
    if (mediaGroupId != null) {
      n.put("media_group_id", mediaGroupId);
    }
    if (text != null) {
      n.put("text", text);
      if (entities != null && !entities.isEmpty()) {
        n.set("entities", entities);
      }
    }
    media.forEach((k, v) -> n.set(k, v.deepCopy()));
    if (caption != null && !caption.isEmpty()) {
      n.put("caption", caption);
      if (captionEntities != null && !captionEntities.isEmpty()) {
        n.set("caption_entities", captionEntities);
      }
    }
    raw.forEach(n::set);
    return n;
  }

  /** The message's main file (largest photo size), or null for text. */
  FileRef mainFile() {
    return files.isEmpty() ? null : files.get(files.size() - 1);
  }
}
