package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One chat: identity, the bot's membership, its messages (current versions) and what the bot sent there. */
final class ChatState {
  final long id;
  final String title;
  final String username;
  final String type;
  private String botStatus;
  /** "Restrict saving content": nothing of this chat can be forwarded or copied. */
  private boolean protectedContent;
  private int lastMessageId;
  private final Map<Integer, MessageModel> messages = new HashMap<>();
  private final List<SentMessage> sent = new ArrayList<>();

  ChatState(long id, String title, String username, String type, String botStatus) {
    this.id = id;
    this.title = title;
    this.username = username;
    this.type = type;
    this.botStatus = botStatus;
  }

  boolean isChannel() {
    return type.equals("channel");
  }

  boolean isPrivate() {
    return type.equals("private");
  }

  /** Chat object, key order id, title, username, type (private chats: id, first_name, type). */
  ObjectNode json() {
    ObjectNode n = Json.object();
    n.put("id", id);
    if (isPrivate()) {
      n.put("first_name", title);
    } else {
      n.put("title", title);
    }
    if (username != null) {
      n.put("username", username);
    }
    n.put("type", type);
    return n;
  }

  synchronized int nextMessageId() {
    return ++lastMessageId;
  }

  synchronized String botStatus() {
    return botStatus;
  }

  synchronized String setBotStatus(String status) {
    String old = botStatus;
    botStatus = status;
    return old;
  }

  synchronized boolean botPresent() {
    return !botStatus.equals("left") && !botStatus.equals("kicked");
  }

  synchronized boolean protectedContent() {
    return protectedContent;
  }

  synchronized void protectedContent(boolean on) {
    protectedContent = on;
  }

  synchronized void store(MessageModel m) {
    messages.put(m.messageId, m);
  }

  synchronized MessageModel message(int messageId) {
    return messages.get(messageId);
  }

  synchronized int messageCount() {
    return messages.size();
  }

  synchronized boolean delete(int messageId) {
    return messages.remove(messageId) != null;
  }

  synchronized void recordSent(SentMessage s) {
    sent.add(s);
  }

  synchronized List<SentMessage> sent() {
    return List.copyOf(sent);
  }
}
