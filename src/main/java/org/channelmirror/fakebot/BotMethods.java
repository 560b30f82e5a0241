package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** getMe, getUpdates, webhooks ({@link FakeWebhook}), chat queries, leaveChat and getFile. */
final class BotMethods {
  private final FakeBotApi api;

  BotMethods(FakeBotApi api) {
    this.api = api;
  }

  void register(Map<String, Router.Method> m) {
    m.put("getme", p -> getMe());
    m.put("getupdates", this::getUpdates);
    m.put("setwebhook", api.webhook::set);
    m.put("deletewebhook", p -> api.webhook.delete(p.bool("drop_pending_updates")));
    m.put("getwebhookinfo", p -> api.webhook.info());
    m.put("logout", p -> BooleanNode.TRUE);
    m.put("close", p -> BooleanNode.TRUE);
    m.put("getchat", p -> getChat(p));
    m.put("getchatmember", this::getChatMember);
    m.put("getchatadministrators", this::getChatAdministrators);
    m.put("leavechat", this::leaveChat);
    m.put("getfile", p -> {
      ObjectNode file = api.files.getFile(p.str("file_id"), api.faults()::rejects);
      if (api.faults().omitsFileSizes()) {
        file.remove("file_size");
      } else if (api.faults().fileSizeError() != 0 && file.has("file_size")) {
        file.put("file_size", file.get("file_size").asLong() + api.faults().fileSizeError());
      }
      return file;
    });
  }

  private ObjectNode getMe() {
    ObjectNode u = api.botUser();
    u.put("can_join_groups", true);
    u.put("can_read_all_group_messages", false);
    u.put("supports_inline_queries", false);
    u.put("can_connect_to_business", false);
    u.put("has_main_web_app", false);
    return u;
  }

  private Object getUpdates(Params p) throws InterruptedException {
    if (!api.webhook.url().isEmpty()) {
      throw new ApiException(409, UpdateQueue.WEBHOOK_ACTIVE); // before allowed_updates is touched
    }
    if (p.has("allowed_updates")) {
      api.updates.setAllowed(p.json("allowed_updates"));
    }
    Long offset = p.longOrNull("offset");
    return api.updates.poll(offset == null ? 0 : offset, p.intOr("limit", 100), p.intOr("timeout", 0));
  }

  private ObjectNode getChat(Params p) {
    ChatState c = api.resolveChat(p.str("chat_id"));
    ObjectNode n = c.json();
    n.put("accent_color_id", 0);
    n.put("max_reaction_count", 11);
    if (c.protectedContent()) {
      n.put("has_protected_content", true);
    }
    return n;
  }

  private ObjectNode getChatMember(Params p) {
    ChatState c = api.resolveChat(p.str("chat_id"));
    Long userId = p.longOrNull("user_id");
    if (userId == null) {
      throw ApiException.badRequest("user_id is empty");
    }
    if (userId == api.botUserId()) {
      return Channel.member(api, c.botStatus());
    }
    ObjectNode m = Json.object();
    ObjectNode u = userId == api.ownerUser().get("id").asLong() ? api.ownerUser() : user(userId);
    m.set("user", u);
    m.put("status", userId == api.ownerUser().get("id").asLong() ? "creator" : "member");
    if (m.get("status").asText().equals("creator")) {
      m.put("is_anonymous", false);
    }
    return m;
  }

  private ArrayNode getChatAdministrators(Params p) {
    ChatState c = api.resolveChat(p.str("chat_id"));
    ArrayNode a = Json.array();
    ObjectNode owner = a.addObject();
    owner.set("user", api.ownerUser());
    owner.put("status", "creator");
    owner.put("is_anonymous", false);
    if (c.botStatus().equals("administrator") && p.bool("return_bots")) {
      a.add(Channel.member(api, "administrator"));
    }
    return a;
  }

  /** The bot leaves: later posts there produce no updates (BOTAPI §2.4). */
  private BooleanNode leaveChat(Params p) {
    ChatState c = api.resolveChat(p.str("chat_id"));
    if (!c.botPresent()) {
      throw new ApiException(403, "Forbidden: bot is not a member of the " + (c.isChannel() ? "channel" : "group")
          + " chat");
    }
    c.setBotStatus("left");
    return BooleanNode.TRUE;
  }

  private static ObjectNode user(long id) {
    ObjectNode u = Json.object();
    u.put("id", id);
    u.put("is_bot", false);
    u.put("first_name", "User");
    return u;
  }
}
