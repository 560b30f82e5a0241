package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/** A channel on the fake server; the owner's actions (post, edit, change the bot's status) happen through it. */
public final class Channel {
  private static final Set<String> STATUSES = Set.of("administrator", "left", "kicked");
  private final FakeBotApi api;
  private final ChatState chat;

  Channel(FakeBotApi api, ChatState chat) {
    this.api = api;
    this.chat = chat;
  }

  public long id() {
    return chat.id;
  }

  public PostBuilder post() {
    return new PostBuilder(api, chat, null);
  }

  /**
   * A post published before the bot joined (or more than 24 h before it polled): stored in the
   * channel's history, reachable by forwardMessage, but no update is ever queued for it.
   */
  public PostBuilder olderPost() {
    return new PostBuilder(api, chat, null).withoutUpdate();
  }

  /** The owner deletes a post: forwardMessage then answers "message to forward not found". Telegram reports nothing. */
  public void delete(int messageId) {
    if (!chat.delete(messageId)) {
      throw new IllegalArgumentException("no message " + messageId + " in chat " + chat.id);
    }
  }

  /** Turns "Restrict saving content" on or off: forwards and copies of its posts are then refused. */
  public void protectContent(boolean on) {
    chat.protectedContent(on);
  }

  /** An edit of an existing post: starts from its current content and publishes an edited_channel_post. */
  public PostBuilder edit(int messageId) {
    MessageModel current = chat.message(messageId);
    if (current == null) {
      throw new IllegalArgumentException("no message " + messageId + " in chat " + chat.id);
    }
    return new PostBuilder(api, chat, current);
  }

  /** Changes the bot's membership and emits the my_chat_member update (old -> new) like BOTAPI §2.6 (6). */
  public void setBotStatus(String status) {
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException("status must be one of " + STATUSES);
    }
    String old = chat.setBotStatus(status);
    long now = api.nowSeconds();
    ObjectNode u = Json.object();
    u.set("chat", chat.json());
    u.set("from", api.ownerUser());
    u.put("date", now);
    u.set("old_chat_member", member(api, old));
    u.set("new_chat_member", member(api, status));
    api.updates.push("my_chat_member", u, now + 86_400);
  }

  /** ChatMember JSON for the bot with the given status (channel administrator rights as the server emits them). */
  static ObjectNode member(FakeBotApi api, String status) {
    ObjectNode m = Json.object();
    m.set("user", api.botUser());
    m.put("status", status);
    if (status.equals("administrator")) {
      m.put("can_be_edited", false);
      m.put("can_manage_chat", true);
      m.put("can_change_info", false);
      m.put("can_post_messages", true);
      m.put("can_edit_messages", true);
      m.put("can_delete_messages", true);
      m.put("can_invite_users", false);
      m.put("can_restrict_members", false);
      m.put("can_promote_members", false);
      m.put("can_manage_video_chats", false);
      m.put("can_post_stories", false);
      m.put("can_edit_stories", false);
      m.put("can_delete_stories", false);
      m.put("can_manage_direct_messages", false);
      m.put("is_anonymous", false);
      m.put("can_manage_voice_chats", false);
    } else if (status.equals("kicked")) {
      m.put("until_date", 0);
    }
    return m;
  }
}
