package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.channelmirror.backup.Manifests;

/**
 * What a post carries besides text and media files: a poll, a venue, a location, a contact or a
 * dice. The manifest keeps the raw message, so the export shows them (index.html) and writes them
 * in Telegram Desktop's fields (result.json) instead of leaving an empty post.
 */
final class OtherContent {
  /**
   * Message fields that are no content of their own (Bot API 10.0, the order the server writes them):
   * ids, dates, senders, forward and reply context, text and caption with their formatting, settings.
   */
  private static final Set<String> ENVELOPE = Set.of("business_connection_id", "sender_business_bot", "message_id",
      "from", "author_signature", "sender_chat", "chat", "date", "edit_date", "message_thread_id", "forward_origin",
      "is_automatic_forward", "forward_from", "forward_from_chat", "forward_from_message_id", "forward_signature",
      "forward_sender_name", "forward_date", "reply_to_message", "external_reply", "quote", "reply_to_story",
      "reply_to_checklist_task_id", "reply_to_poll_option_id", "guest_query_id", "media_group_id", "text", "entities",
      "link_preview_options", "caption", "caption_entities", "show_caption_above_media", "has_media_spoiler",
      "reply_markup", "via_bot", "is_topic_message", "direct_messages_topic", "is_from_offline", "effect_id",
      "sender_boost_count", "sender_tag", "paid_star_count", "has_protected_content", "is_paid_post",
      "suggested_post_info", Manifests.SOURCE_FIELD);

  /** Content the export shows and a restore sends (paid media with its photos and videos, as far as backed up). */
  private static final Set<String> HANDLED = Set.of("photo", "video", "animation", "document", "audio", "voice",
      "video_note", "sticker", "live_photo", "paid_media", "poll", "venue", "location", "contact", "dice");

  /**
   * Fields that make a message a service message (Telegram's own notice in the channel, not a post),
   * with Telegram Desktop's export action for each.
   */
  private static final java.util.Map<String, String> SERVICE = new java.util.LinkedHashMap<>();

  static {
    SERVICE.put("pinned_message", "pin_message");
    SERVICE.put("new_chat_title", "edit_group_title");
    SERVICE.put("new_chat_photo", "edit_group_photo");
    SERVICE.put("delete_chat_photo", "delete_group_photo");
    SERVICE.put("channel_chat_created", "create_channel");
    SERVICE.put("message_auto_delete_timer_changed", "set_messages_ttl");
    SERVICE.put("video_chat_scheduled", "group_call_scheduled");
    SERVICE.put("video_chat_started", "group_call");
    SERVICE.put("video_chat_ended", "group_call");
    SERVICE.put("video_chat_participants_invited", "invite_to_group_call");
    // the server still writes the pre-6.0 names beside the video_chat_* fields
    SERVICE.put("voice_chat_scheduled", "group_call_scheduled");
    SERVICE.put("voice_chat_started", "group_call");
    SERVICE.put("voice_chat_ended", "group_call");
    SERVICE.put("voice_chat_participants_invited", "invite_to_group_call");
    SERVICE.put("migrate_from_chat_id", "migrate_from_group");
    SERVICE.put("boost_added", "boost_apply");
    SERVICE.put("chat_background_set", "set_chat_wallpaper");
    SERVICE.put("giveaway_created", "giveaway_launch");
    SERVICE.put("giveaway_completed", "giveaway_results");
    SERVICE.put("paid_message_price_changed", "paid_messages_price_change");
    SERVICE.put("direct_message_price_changed", "paid_messages_price_change");
  }

  private OtherContent() {}

  /**
   * The fields of a post that channel-mirror neither shows nor restores: a game, a story, a checklist, ... and
   * whatever a newer Bot API adds, so that such a post is named in the export and the restore report instead of
   * looking empty. None for a service message (Telegram's notice, shown and skipped as such).
   */
  static List<String> unhandled(JsonNode msg) {
    if (msg == null || !msg.isObject() || serviceField(msg) != null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    msg.properties().forEach(f -> {
      if (!f.getValue().isNull() && !ENVELOPE.contains(f.getKey()) && !HANDLED.contains(f.getKey())) {
        out.add(f.getKey());
      }
    });
    return out;
  }

  /**
   * Who a forwarded post came from, as Telegram shows it ("Forwarded from ..."): the user, the hidden user's
   * name, the group or channel of its forward_origin (the legacy forward_* fields for older manifests); null
   * for a post that is no forward.
   */
  static String forwardedFrom(JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      return null;
    }
    JsonNode o = msg.path("forward_origin");
    if (o.isObject()) {
      String name = switch (o.path("type").asText("")) {
        case "user" -> userName(o.path("sender_user"));
        case "hidden_user" -> o.path("sender_user_name").asText("");
        case "chat" -> o.path("sender_chat").path("title").asText("");
        case "channel" -> o.path("chat").path("title").asText("");
        default -> "";
      };
      String signature = o.path("author_signature").asText("");
      name = name.isEmpty() ? signature : signature.isEmpty() ? name : name + " (" + signature + ")";
      return name.isEmpty() ? "unknown" : name;
    }
    if (msg.path("forward_from_chat").isObject()) {
      return msg.path("forward_from_chat").path("title").asText("unknown");
    }
    if (msg.hasNonNull("forward_sender_name")) {
      return msg.get("forward_sender_name").asText();
    }
    return msg.path("forward_from").isObject() ? userName(msg.get("forward_from")) : null;
  }

  private static String userName(JsonNode user) {
    return (user.path("first_name").asText("") + " " + user.path("last_name").asText("")).strip();
  }

  /** The post of the same channel this one replies to, or 0. */
  static long replyTo(JsonNode msg) {
    if (msg == null || !msg.isObject() || !msg.path("reply_to_message").isObject()) {
      return 0;
    }
    JsonNode to = msg.get("reply_to_message");
    boolean sameChat = !to.path("chat").has("id") || to.path("chat").path("id").asLong() == msg.path("chat").path("id")
        .asLong();
    return sameChat ? to.path("message_id").asLong(0) : 0;
  }

  /** The service field of a service message ("pinned_message", ...), or null for a post. */
  static String serviceField(JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      return null;
    }
    for (String f : SERVICE.keySet()) {
      if (msg.hasNonNull(f)) {
        return f;
      }
    }
    return null;
  }

  /** What a service message says, for reports and index.html: "pinned message 12", ... */
  static String describeService(JsonNode msg) {
    String f = serviceField(msg);
    if (f == null) {
      return null;
    }
    return switch (f) {
      case "pinned_message" -> "pinned message " + msg.path("pinned_message").path("message_id").asLong();
      case "new_chat_title" -> "renamed the channel to \"" + msg.path("new_chat_title").asText() + "\"";
      case "new_chat_photo" -> "changed the channel photo";
      case "delete_chat_photo" -> "removed the channel photo";
      case "channel_chat_created" -> "created the channel";
      default -> f.replace('_', ' ');
    };
  }

  /** Adds Telegram Desktop's fields for the message's poll, venue, location, contact or dice, or service action. */
  static void desktop(ObjectNode out, JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      return;
    }
    String forwarded = forwardedFrom(msg);
    if (forwarded != null) {
      out.put("forwarded_from", forwarded);
    }
    if (replyTo(msg) > 0) {
      out.put("reply_to_message_id", replyTo(msg));
    }
    String service = serviceField(msg);
    if (service != null) {
      out.put("type", "service");
      if (out.has("from")) {
        out.set("actor", out.remove("from"));
        out.set("actor_id", out.remove("from_id"));
      }
      out.put("action", SERVICE.get(service));
      switch (service) {
        case "pinned_message" -> out.put("message_id", msg.path("pinned_message").path("message_id").asLong());
        case "new_chat_title" -> out.put("title", msg.path("new_chat_title").asText());
        case "channel_chat_created" -> out.put("title", msg.path("chat").path("title").asText(""));
        default -> { }
      }
    }
    JsonNode poll = msg.path("poll");
    if (poll.isObject()) {
      ObjectNode p = out.putObject("poll");
      p.put("question", poll.path("question").asText(""));
      p.put("closed", poll.path("is_closed").asBoolean(false));
      p.put("total_voters", poll.path("total_voter_count").asLong(0));
      var answers = p.putArray("answers");
      for (JsonNode o : poll.path("options")) {
        answers.addObject().put("text", o.path("text").asText("")).put("voters", o.path("voter_count").asLong(0))
            .put("chosen", false);
      }
    }
    JsonNode venue = msg.path("venue");
    if (venue.isObject()) {
      out.put("place_name", venue.path("title").asText(""));
      out.put("address", venue.path("address").asText(""));
    }
    JsonNode location = venue.isObject() && venue.path("location").isObject() ? venue.path("location")
        : msg.path("location");
    if (location.isObject()) {
      ObjectNode l = out.putObject("location_information");
      l.set("latitude", location.path("latitude"));
      l.set("longitude", location.path("longitude"));
      if (location.hasNonNull("live_period")) {
        out.put("live_location_period_seconds", location.get("live_period").asLong());
      }
    }
    JsonNode contact = msg.path("contact");
    if (contact.isObject()) {
      ObjectNode c = out.putObject("contact_information");
      c.put("first_name", contact.path("first_name").asText(""));
      c.put("last_name", contact.path("last_name").asText(""));
      c.put("phone_number", contact.path("phone_number").asText(""));
      if (contact.hasNonNull("vcard")) {
        out.put("contact_vcard", contact.get("vcard").asText());
      }
    }
    JsonNode dice = msg.path("dice");
    if (dice.isObject()) {
      ObjectNode d = out.putObject("dice");
      d.put("emoji", dice.path("emoji").asText(""));
      d.put("value", dice.path("value").asInt(0));
    }
  }

  /** index.html blocks for the same content; empty when the message carries none. */
  static String html(JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    String service = describeService(msg);
    if (service != null) {
      sb.append("<div class=\"service\">").append(Entities.escape(service)).append("</div>\n");
    }
    JsonNode poll = msg.path("poll");
    if (poll.isObject()) {
      sb.append("<div class=\"poll\"><div class=\"question\">")
          .append(Entities.html(poll.path("question").asText(""), poll.path("question_entities")))
          .append("</div>\n<ul>\n");
      for (JsonNode o : poll.path("options")) {
        sb.append("<li>").append(Entities.html(o.path("text").asText(""), o.path("text_entities")));
        if (o.has("voter_count")) {
          sb.append(" · ").append(o.path("voter_count").asLong()).append(" vote(s)");
        }
        sb.append("</li>\n");
      }
      sb.append("</ul>\n<div class=\"meta\">").append(poll.path("is_quiz").asBoolean(false)
              || "quiz".equals(poll.path("type").asText()) ? "quiz" : "poll").append(" · ")
          .append(poll.path("total_voter_count").asLong(0)).append(" vote(s)")
          .append(poll.path("is_closed").asBoolean(false) ? " · closed" : "").append("</div></div>\n");
    }
    JsonNode venue = msg.path("venue");
    JsonNode location = venue.isObject() && venue.path("location").isObject() ? venue.path("location")
        : msg.path("location");
    if (venue.isObject() || location.isObject()) {
      sb.append("<div class=\"place\">");
      if (venue.isObject()) {
        sb.append("<div><strong>").append(Entities.escape(venue.path("title").asText(""))).append("</strong></div>")
            .append("<div>").append(Entities.escape(venue.path("address").asText(""))).append("</div>");
      }
      if (location.isObject()) {
        String lat = number(location.path("latitude"));
        String lon = number(location.path("longitude"));
        sb.append("<div>location ").append(lat).append(", ").append(lon).append("</div>");
      }
      sb.append("</div>\n");
    }
    JsonNode contact = msg.path("contact");
    if (contact.isObject()) {
      String name = (contact.path("first_name").asText("") + " " + contact.path("last_name").asText("")).strip();
      sb.append("<div class=\"contact\">contact: <strong>").append(Entities.escape(name)).append("</strong> ")
          .append(Entities.escape(contact.path("phone_number").asText(""))).append("</div>\n");
    }
    JsonNode dice = msg.path("dice");
    if (dice.isObject()) {
      sb.append("<div class=\"dice\">").append(Entities.escape(dice.path("emoji").asText(""))).append(' ')
          .append(dice.path("value").asInt(0)).append("</div>\n");
    }
    JsonNode paid = msg.path("paid_media");
    if (paid.isObject()) {
      long previews = 0;
      for (JsonNode item : paid.path("paid_media")) {
        previews += item.hasNonNull(item.path("type").asText("")) ? 0 : 1;
      }
      sb.append("<div class=\"paid\">paid media · ").append(paid.path("star_count").asLong(0)).append(" stars")
          .append(previews == 0 ? "" : " · " + previews + " item(s) the bot was shown only as a preview, not in the"
              + " backup").append("</div>\n");
    }
    for (String f : unhandled(msg)) {
      sb.append("<div class=\"missing\">this post carries a ").append(Entities.escape(f.replace('_', ' ')))
          .append(", which the export does not show</div>\n");
    }
    return sb.toString();
  }

  /** A coordinate as Telegram sent it (a number), never markup. */
  private static String number(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%s", n.asText()) : "?";
  }
}
