package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Control HTTP API on the same port, so {@code simulate} users and scripts can drive the fake without Java.
 * Bodies and answers are JSON; errors answer {@code {"error":"..."}} with 400/404.
 *
 * <pre>
 * POST /control/channels                         {"id":-1001234567890,"title":"My channel","username":"my_channel"}
 * POST /control/channels/{id}/status             {"status":"administrator|left|kicked"}   (emits my_chat_member)
 * POST /control/groups                           {"id":-1009876543210,"title":"A group"}
 * POST /control/channels/{id}/posts              post body (below); answers the PublishedPost
 * POST /control/channels/{id}/posts/{msgId}/edit post body; the edit starts from the current message
 * POST /control/channels/{id}/history            post body (+ "date": epoch seconds); a post from before the bot
 *                                                joined: forwardMessage reaches it, no update is queued
 * POST /control/channels/{id}/posts/{msgId}/delete  the owner deletes a post (no update, as in Telegram)
 * POST /control/channels/{id}/protected          {"protected":true|false}  "Restrict saving content"
 * POST /control/private/{userId}                 {"status":"member|left|kicked"}  started / never started / blocked
 * POST /control/sample/{chatId}                  publishes SampleChannel (creates the channel if needed); array
 * POST /control/faults                           {"type":"floodWait","method":"sendPhoto","retryAfter":7,"times":1}
 *        type: floodWait(method,retryAfter,times) | serverError(method,status,times) | dropConnection(method,times)
 *              | delay(method,millis,times) | truncateDownloads(times) | ignoreRange(ignore)
 *              | throttleDownloads(bytesPerSecond) | expireFileLinks | clear          ("method" defaults to "*")
 * GET  /control/requests                         every recorded request [{"at","method","params","httpStatus"}]
 * GET  /control/sent/{chatId}                    SentMessage list of what the bot posted there
 * GET  /control/status                           {"baseUrl","token","botUserId","pendingUpdates","localMode","webhookUrl"}
 *
 * post body: {"text"|"caption":"...", "entities":[{"type":"bold","offset":0,"length":4}], "mediaGroupId":"...",
 *             "authorSignature":"...", "media":[{"kind":"photo|video|animation|document|audio|voice|video_note|sticker",
 *             "size":N, "seed":N, "fileName":"...", "mimeType":"...", "width":N, "height":N, "duration":N}]}
 *   one media item per post; a photo without "size" is a real JPEG (width x height, default 800x600),
 *   other media are FileContent.random(seed, size) (size default 1024).
 * </pre>
 */
final class ControlApi {
  private final FakeBotApi api;

  ControlApi(FakeBotApi api) {
    this.api = api;
  }

  void handle(HttpExchange ex, String rest) throws IOException {
    String[] seg = rest.split("/");
    String verb = ex.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
    byte[] raw = ex.getRequestBody().readAllBytes();
    JsonNode body = raw.length == 0 ? Json.object() : Json.parseOrNull(new String(raw, StandardCharsets.UTF_8));
    if (body == null) {
      error(ex, 400, "body is not JSON");
      return;
    }
    try {
      JsonNode out = route(verb, seg, body);
      if (out == null) {
        error(ex, 404, "no such control endpoint: " + verb + " /control/" + rest);
      } else {
        HttpIo.json(ex, 200, out);
      }
    } catch (IllegalArgumentException | ApiException e) {
      error(ex, 400, e.getMessage());
    }
  }

  private JsonNode route(String verb, String[] s, JsonNode b) {
    boolean post = verb.equals("POST");
    if (post && s.length == 1 && s[0].equals("channels")) {
      Channel c = api.channel(b.path("id").asLong(), b.path("title").asText("Channel"),
          b.hasNonNull("username") ? b.get("username").asText() : null);
      return api.chat(c.id()).json();
    }
    if (post && s.length == 1 && s[0].equals("groups")) {
      Group g = api.group(b.path("id").asLong(), b.path("title").asText("Group"));
      return api.chat(g.id()).json();
    }
    if (post && s.length == 3 && s[0].equals("channels") && s[2].equals("status")) {
      channel(s[1]).setBotStatus(b.path("status").asText());
      return Json.object().put("status", b.path("status").asText());
    }
    if (post && s.length == 3 && s[0].matches("channels|groups") && s[2].equals("posts")) {
      return postJson(fill(new PostBuilder(api, chat(s[1]), null), b).publish());
    }
    if (post && s.length == 3 && s[0].equals("channels") && s[2].equals("history")) {
      PostBuilder pb = channel(s[1]).olderPost();
      if (b.hasNonNull("date")) {
        pb.at(b.get("date").asLong());
      }
      return postJson(fill(pb, b).publish());
    }
    if (post && s.length == 5 && s[0].equals("channels") && s[2].equals("posts") && s[4].equals("delete")) {
      channel(s[1]).delete(Integer.parseInt(s[3]));
      return Json.object().put("deleted", Integer.parseInt(s[3]));
    }
    if (post && s.length == 3 && s[0].equals("channels") && s[2].equals("protected")) {
      channel(s[1]).protectContent(b.path("protected").asBoolean(true));
      return Json.object().put("protected", b.path("protected").asBoolean(true));
    }
    if (post && s.length == 2 && s[0].equals("private")) {
      api.privateChatStatus(Long.parseLong(s[1]), b.path("status").asText("member"));
      return Json.object().put("status", b.path("status").asText("member"));
    }
    if (post && s.length == 5 && s[0].matches("channels|groups") && s[2].equals("posts") && s[4].equals("edit")) {
      ChatState chat = chat(s[1]);
      MessageModel current = chat.message(Integer.parseInt(s[3]));
      if (current == null) {
        throw new IllegalArgumentException("no message " + s[3] + " in chat " + s[1]);
      }
      return postJson(fill(new PostBuilder(api, chat, current), b).publish());
    }
    if (post && s.length == 2 && s[0].equals("sample")) {
      long id = Long.parseLong(s[1]);
      ArrayNode a = Json.array();
      SampleChannel.publish(api, id).forEach(p -> a.add(postJson(p)));
      return a;
    }
    if (post && s.length == 1 && s[0].equals("faults")) {
      fault(b);
      return Json.object().put("ok", true);
    }
    if (verb.equals("GET") && s.length == 1 && s[0].equals("requests")) {
      ArrayNode a = Json.array();
      for (RecordedRequest r : api.requests()) {
        ObjectNode n = a.addObject();
        n.put("at", r.at().toString());
        n.put("method", r.method());
        n.set("params", r.params());
        n.put("httpStatus", r.httpStatus());
      }
      return a;
    }
    if (verb.equals("GET") && s.length == 2 && s[0].equals("sent")) {
      return Json.MAPPER.valueToTree(api.sent(Long.parseLong(s[1])));
    }
    if (verb.equals("GET") && s.length == 1 && s[0].equals("status")) {
      ObjectNode n = Json.object();
      n.put("baseUrl", api.baseUrl());
      n.put("token", api.token());
      n.put("botUserId", api.botUserId());
      n.put("pendingUpdates", api.pendingUpdates());
      n.put("localMode", api.files.localMode());
      n.put("webhookUrl", api.webhookUrl());
      return n;
    }
    return null;
  }

  private ChatState chat(String id) {
    ChatState c = api.chat(Long.parseLong(id));
    if (c == null) {
      throw new IllegalArgumentException("unknown chat " + id + " (create it with POST /control/channels)");
    }
    return c;
  }

  private Channel channel(String id) {
    ChatState c = chat(id);
    if (!c.isChannel()) {
      throw new IllegalArgumentException("chat " + id + " is not a channel");
    }
    return api.channel(c.id, c.title, c.username);
  }

  private static PostBuilder fill(PostBuilder pb, JsonNode b) {
    MessageEntityJson[] entities = entities(b.get("entities"));
    JsonNode media = b.path("media");
    if (media.isArray() && media.size() > 1) {
      throw new IllegalArgumentException("one media item per post (use mediaGroupId for albums)");
    }
    if (media.isArray() && media.size() == 1) {
      addMedia(pb, media.get(0));
    }
    if (b.hasNonNull("text")) {
      pb.text(b.get("text").asText(), entities);
    }
    if (b.hasNonNull("caption")) {
      pb.caption(b.get("caption").asText(), entities);
    }
    if (b.hasNonNull("mediaGroupId")) {
      pb.mediaGroup(b.get("mediaGroupId").asText());
    }
    if (b.hasNonNull("authorSignature")) {
      pb.authorSignature(b.get("authorSignature").asText());
    }
    return pb;
  }

  private static void addMedia(PostBuilder pb, JsonNode m) {
    String kind = m.path("kind").asText();
    long seed = m.path("seed").asLong(1);
    FileContent c = FileContent.random(seed, m.path("size").asLong(1024));
    String name = m.hasNonNull("fileName") ? m.get("fileName").asText() : null;
    String mime = m.hasNonNull("mimeType") ? m.get("mimeType").asText() : null;
    int w = m.path("width").asInt(kind.equals("photo") ? 800 : 640);
    int h = m.path("height").asInt(kind.equals("photo") ? 600 : 360);
    int d = m.path("duration").asInt(5);
    switch (kind) {
      case "photo" -> pb.photo(m.hasNonNull("size") ? c : FileContent.jpeg(seed, w, h));
      case "video" -> pb.video(c, name, mime == null ? "video/mp4" : mime, w, h, d);
      case "animation" -> pb.animation(c, name, mime == null ? "video/mp4" : mime, w, h, d);
      case "document" -> pb.document(c, name, mime == null ? InputFiles.guessMime(name) : mime);
      case "audio" -> pb.audio(c, name, mime == null ? "audio/mpeg" : mime, m.path("title").asText(null),
          m.path("performer").asText(null), d);
      case "voice" -> pb.voice(c, mime == null ? "audio/ogg" : mime, d);
      case "video_note" -> pb.videoNote(c, m.path("length").asInt(240), d);
      case "sticker" -> pb.sticker(c, m.path("emoji").asText("🙂"), false, false);
      default -> throw new IllegalArgumentException("unknown media kind: " + kind);
    }
  }

  private static MessageEntityJson[] entities(JsonNode a) {
    List<MessageEntityJson> out = new ArrayList<>();
    if (a != null && a.isArray()) {
      for (JsonNode e : a) {
        out.add(new MessageEntityJson(e.path("type").asText(), e.path("offset").asInt(), e.path("length").asInt(),
            e.hasNonNull("url") ? e.get("url").asText() : null,
            e.hasNonNull("language") ? e.get("language").asText() : null));
      }
    }
    return out.toArray(new MessageEntityJson[0]);
  }

  private void fault(JsonNode b) {
    Faults f = api.faults();
    String method = b.path("method").asText("*");
    int times = b.path("times").asInt(1);
    switch (b.path("type").asText()) {
      case "floodWait" -> f.floodWait(method, b.path("retryAfter").asInt(5), times);
      case "serverError" -> f.serverError(method, b.path("status").asInt(500), times);
      case "dropConnection" -> f.dropConnection(method, times);
      case "delay" -> f.delay(method, Duration.ofMillis(b.path("millis").asLong(1000)), times);
      case "truncateDownloads" -> f.truncateDownloads(times);
      case "ignoreRange" -> f.ignoreRange(b.path("ignore").asBoolean(true));
      case "throttleDownloads" -> f.throttleDownloads(b.path("bytesPerSecond").asLong(0));
      case "expireFileLinks" -> f.expireFileLinks();
      case "clear" -> f.clear();
      default -> throw new IllegalArgumentException("unknown fault type: " + b.path("type").asText());
    }
  }

  static ObjectNode postJson(PublishedPost p) {
    ObjectNode n = Json.object();
    n.put("chatId", p.chatId());
    n.put("messageId", p.messageId());
    n.put("updateId", p.updateId());
    n.set("message", p.message());
    ArrayNode files = n.putArray("files");
    for (FileRef f : p.files()) {
      ObjectNode o = files.addObject();
      o.put("fileId", f.fileId());
      o.put("fileUniqueId", f.fileUniqueId());
      o.put("size", f.size());
      o.put("kindDir", f.kindDir());
    }
    return n;
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    HttpIo.json(ex, status, Json.object().put("error", message == null ? "error" : message));
  }
}
