package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** forwardMessage, copyMessage, deleteMessage, and the shared "bot writes into a chat" rules. */
final class Messages {
  private final FakeBotApi api;

  Messages(FakeBotApi api) {
    this.api = api;
  }

  void register(Map<String, Router.Method> m) {
    m.put("forwardmessage", this::forward);
    m.put("copymessage", this::copy);
    m.put("deletemessage", this::delete);
  }

  /** The chat the bot writes to; 403 when it is not (or no longer) a member. */
  ChatState targetChat(Params p) {
    ChatState chat = api.resolveChat(p.str("chat_id"));
    if (chat.isPrivate()) {
      // the real server's words: a user who blocked the bot, or never pressed Start
      if (chat.botStatus().equals("kicked")) {
        throw new ApiException(403, "Forbidden: bot was blocked by the user");
      }
      if (!chat.botPresent()) {
        throw new ApiException(403, "Forbidden: bot can't initiate conversation with a user");
      }
      return chat;
    }
    String where = chat.isChannel() ? "channel" : "group";
    if (chat.botStatus().equals("kicked")) {
      throw new ApiException(403, "Forbidden: bot was kicked from the " + where + " chat");
    }
    if (!chat.botPresent()) {
      throw new ApiException(403, "Forbidden: bot is not a member of the " + where + " chat");
    }
    return chat;
  }

  MessageModel newMessage(ChatState chat) {
    MessageModel m = new MessageModel();
    m.chat = chat;
    m.messageId = chat.nextMessageId();
    m.date = api.nowSeconds();
    if (chat.isChannel()) {
      m.senderIsChat = true;
    } else {
      m.from = api.botUser();
    }
    return m;
  }

  private MessageModel source(Params p, String what) {
    ChatState from = api.resolveChat(p.str("from_chat_id"));
    Long id = p.longOrNull("message_id");
    MessageModel src = id == null ? null : from.message(id.intValue());
    if (src == null) {
      throw ApiException.badRequest("message to " + what + " not found");
    }
    if (from.protectedContent()) {
      // "Restrict saving content" (has_protected_content): BOTAPI §7
      throw ApiException.badRequest("the message can't be " + (what.equals("forward") ? "forwarded" : "copied"));
    }
    return src;
  }

  private ObjectNode forward(Params p) {
    ChatState chat = targetChat(p);
    MessageModel src = source(p, "forward");
    MessageModel m = contentCopy(src, chat);
    // a forward carries the whole content, also what a test published as raw fields (a poll, a newer kind, ...)
    m.raw.putAll(src.raw);
    m.forward = forwardFields(src);
    m.caption = src.caption;
    m.captionEntities = src.captionEntities;
    chat.store(m);
    record(chat, "forwardmessage", m, p);
    return m.render();
  }

  /** forward_origin and the legacy forward_* keys of a forward of {@code src}. */
  private ObjectNode forwardFields(MessageModel src) {
    if (src.forward != null) {
      // forwarding a forward shows the original's origin, not the chat it was forwarded from
      return src.forward.deepCopy();
    }
    ObjectNode fwd = Json.object();
    ObjectNode origin = fwd.putObject("forward_origin");
    if (src.chat.isChannel()) {
      origin.put("type", "channel");
      origin.set("chat", src.chat.json());
      origin.put("message_id", src.messageId);
      if (src.authorSignature != null) {
        origin.put("author_signature", src.authorSignature);
      }
      origin.put("date", src.date);
      fwd.set("forward_from_chat", src.chat.json());
      fwd.put("forward_from_message_id", src.messageId);
      if (src.authorSignature != null) {
        fwd.put("forward_signature", src.authorSignature);
      }
    } else {
      origin.put("type", "user");
      origin.set("sender_user", src.from != null ? src.from : api.ownerUser());
      origin.put("date", src.date);
      fwd.set("forward_from", src.from != null ? src.from : api.ownerUser());
    }
    fwd.put("forward_date", src.date);
    return fwd;
  }

  private ObjectNode copy(Params p) {
    ChatState chat = targetChat(p);
    MessageModel src = source(p, "copy");
    MessageModel m = contentCopy(src, chat);
    if (p.has("caption")) {
      m.caption = p.str("caption");
      m.captionEntities = SendMethods.array(p.json("caption_entities"));
    } else {
      m.caption = src.caption;
      m.captionEntities = src.captionEntities;
    }
    chat.store(m);
    record(chat, "copymessage", m, p);
    ObjectNode id = Json.object();
    id.put("message_id", m.messageId);
    return id;
  }

  private BooleanNode delete(Params p) {
    ChatState chat = api.resolveChat(p.str("chat_id"));
    Long id = p.longOrNull("message_id");
    if (id == null || !chat.delete(id.intValue())) {
      throw ApiException.badRequest("message to delete not found");
    }
    return BooleanNode.TRUE;
  }

  private MessageModel contentCopy(MessageModel src, ChatState chat) {
    MessageModel m = newMessage(chat);
    m.kind = src.kind;
    m.text = src.text;
    m.entities = src.entities;
    m.media.putAll(src.media);
    m.files.addAll(src.files);
    return m;
  }

  private static void record(ChatState chat, String method, MessageModel m, Params p) {
    FileRef f = m.mainFile();
    String fileName = null;
    for (var v : m.media.values()) {
      if (v.hasNonNull("file_name")) {
        fileName = v.get("file_name").asText();
      }
    }
    chat.recordSent(new SentMessage(method, m.messageId, null, m.kind, m.caption, m.text,
        m.text != null ? m.entities : m.captionEntities, fileName, f == null ? 0 : f.size(), null,
        f == null ? null : f.fileId(), p.recorded()));
  }
}
