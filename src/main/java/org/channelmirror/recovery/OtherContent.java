package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * What a post carries besides text and media files: a poll, a venue, a location, a contact or a
 * dice. The manifest keeps the raw message, so the export shows them (index.html) and writes them
 * in Telegram Desktop's fields (result.json) instead of leaving an empty post.
 */
final class OtherContent {
  /** Message fields the export cannot show; index.html names them so the post is not silently empty. */
  private static final List<String> NOT_SHOWN = List.of("game", "story", "paid_media", "invoice", "giveaway",
      "giveaway_winners", "checklist");

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
    SERVICE.put("migrate_from_chat_id", "migrate_from_group");
    SERVICE.put("boost_added", "boost_apply");
    SERVICE.put("chat_background_set", "set_chat_wallpaper");
    SERVICE.put("giveaway_created", "giveaway_launch");
    SERVICE.put("giveaway_completed", "giveaway_results");
    SERVICE.put("paid_message_price_changed", "paid_messages_price_change");
    SERVICE.put("direct_message_price_changed", "paid_messages_price_change");
  }

  private OtherContent() {}

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
    for (String f : NOT_SHOWN) {
      if (msg.hasNonNull(f)) {
        sb.append("<div class=\"missing\">this post carries a ").append(f.replace('_', ' '))
            .append(", which the export does not show</div>\n");
      }
    }
    return sb.toString();
  }

  /** A coordinate as Telegram sent it (a number), never markup. */
  private static String number(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%s", n.asText()) : "?";
  }
}
