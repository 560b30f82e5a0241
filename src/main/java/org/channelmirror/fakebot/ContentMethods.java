package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * sendPoll, sendLocation, sendVenue, sendContact and sendDice: messages without files. Required parameters are
 * checked as the real server checks them (Client.cpp process_send_*_query), and the answer is the sent Message with
 * the content object Telegram would put in it (Poll, Location, Venue, Contact, Dice).
 */
final class ContentMethods {
  /** Dice emoji and their highest value (BOTAPI: sendDice). */
  private static final Map<String, Integer> DICE = Map.of("🎲", 6, "🎯", 6, "🎳", 6, "🏀", 5, "⚽", 5, "🎰", 64);
  private static final int MAX_POLL_OPTIONS = 12;

  private final FakeBotApi api;
  private final Messages messages;

  ContentMethods(FakeBotApi api) {
    this.api = api;
    this.messages = new Messages(api);
  }

  void register(Map<String, Router.Method> m) {
    m.put("sendpoll", this::sendPoll);
    m.put("sendlocation", p -> send(p, "location", location(p)));
    m.put("sendvenue", this::sendVenue);
    m.put("sendcontact", this::sendContact);
    m.put("senddice", this::sendDice);
  }

  private ObjectNode sendPoll(Params p) {
    ChatState chat = messages.targetChat(p);
    String question = p.str("question");
    if (question == null || question.isBlank()) {
      throw ApiException.badRequest("poll question must be non-empty");
    }
    JsonNode options = p.json("options");
    if (options == null) {
      throw ApiException.badRequest("Can't parse options JSON object");
    }
    if (!options.isArray()) {
      throw ApiException.badRequest("Expected an Array of String as options");
    }
    if (options.isEmpty() || options.size() > MAX_POLL_OPTIONS) {
      throw ApiException.badRequest("poll must have 1-" + MAX_POLL_OPTIONS + " options");
    }
    boolean anonymous = !p.has("is_anonymous") || p.bool("is_anonymous");
    if (!anonymous && chat.isChannel()) {
      throw ApiException.badRequest("Non-anonymous polls can't be sent to channel chats");
    }
    String type = p.has("type") ? p.str("type") : "regular";
    if (!type.equals("regular") && !type.equals("quiz")) {
      throw ApiException.badRequest("Unsupported poll type specified");
    }
    ArrayNode correct = correctOptionIds(p, options.size());
    if (type.equals("quiz") && correct.isEmpty()) {
      throw ApiException.badRequest("quiz must have a correct option");
    }
    ObjectNode poll = Json.object();
    poll.put("id", Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE)));
    poll.put("question", question);
    putArray(poll, "question_entities", p.json("question_entities"));
    ArrayNode out = poll.putArray("options");
    int n = 0;
    for (JsonNode o : options) {
      if (!o.isTextual() && !o.isObject()) {
        throw ApiException.badRequest("Expected an option to be of type String");
      }
      String text = o.isTextual() ? o.asText() : o.path("text").asText("");
      if (text.isEmpty()) {
        throw ApiException.badRequest("poll options must be non-empty");
      }
      ObjectNode option = out.addObject();
      option.put("persistent_id", Integer.toString(n++));
      option.put("text", text);
      putArray(option, "text_entities", o.get("text_entities"));
      option.put("voter_count", 0);
    }
    poll.put("total_voter_count", 0);
    poll.put("is_closed", p.bool("is_closed"));
    poll.put("is_anonymous", anonymous);
    poll.put("allows_multiple_answers", p.bool("allows_multiple_answers"));
    poll.put("allows_revoting", p.has("allows_revoting") ? p.bool("allows_revoting") : !type.equals("quiz"));
    poll.put("members_only", p.bool("members_only"));
    poll.put("type", type);
    if (type.equals("quiz")) {
      // the sender is told the correct answers of its own quiz (Poll.correct_option_ids)
      if (correct.size() == 1) {
        poll.set("correct_option_id", correct.get(0));
      }
      poll.set("correct_option_ids", correct);
      if (p.has("explanation") && !p.str("explanation").isEmpty()) {
        poll.put("explanation", p.str("explanation"));
        ArrayNode entities = SendMethods.array(p.json("explanation_entities"));
        poll.set("explanation_entities", entities == null ? Json.array() : entities);
      }
    }
    if (p.has("description") && !p.str("description").isEmpty()) {
      poll.put("description", p.str("description"));
      putArray(poll, "description_entities", p.json("description_entities"));
    }
    return send(p, chat, "poll", poll);
  }

  /** correct_option_ids (a JSON array), or the older correct_option_id, as the server reads them. */
  private static ArrayNode correctOptionIds(Params p, int options) {
    ArrayNode ids = Json.array();
    if (p.has("correct_option_ids")) {
      JsonNode given = p.json("correct_option_ids");
      if (given == null || !given.isArray()) {
        throw ApiException.badRequest("Expected an Array of correct option identifiers");
      }
      given.forEach(ids::add);
    } else if (p.has("correct_option_id")) {
      ids.add(p.intOr("correct_option_id", -1));
    }
    for (JsonNode id : ids) {
      if (!id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= options) {
        throw ApiException.badRequest("Invalid correct option identifier specified");
      }
    }
    return ids;
  }

  private ObjectNode sendVenue(Params p) {
    ObjectNode venue = Json.object();
    venue.set("location", location(p));
    venue.put("title", required(p, "title"));
    venue.put("address", required(p, "address"));
    for (String f : new String[] {"foursquare_id", "foursquare_type", "google_place_id", "google_place_type"}) {
      if (p.has(f) && !p.str(f).isEmpty()) {
        venue.put(f, p.str(f));
      }
    }
    return send(p, "venue", venue);
  }

  private ObjectNode sendContact(Params p) {
    ObjectNode contact = Json.object();
    contact.put("phone_number", required(p, "phone_number"));
    contact.put("first_name", required(p, "first_name"));
    for (String f : new String[] {"last_name", "vcard"}) {
      if (p.has(f) && !p.str(f).isEmpty()) {
        contact.put(f, p.str(f));
      }
    }
    return send(p, "contact", contact);
  }

  private ObjectNode sendDice(Params p) {
    String emoji = p.has("emoji") && !p.str("emoji").isEmpty() ? p.str("emoji") : "🎲";
    Integer max = DICE.get(emoji);
    if (max == null) {
      throw ApiException.badRequest("DICE_EMOJI_INVALID");
    }
    ObjectNode dice = Json.object();
    dice.put("emoji", emoji);
    dice.put("value", 1 + ThreadLocalRandom.current().nextInt(max));
    return send(p, "dice", dice);
  }

  /** latitude, longitude and horizontal_accuracy, as get_location reads them. */
  private static ObjectNode location(Params p) {
    ObjectNode l = Json.object();
    l.put("latitude", coordinate(p, "latitude", 90));
    l.put("longitude", coordinate(p, "longitude", 180));
    if (p.has("horizontal_accuracy")) {
      double accuracy = coordinate(p, "horizontal_accuracy", Double.MAX_VALUE);
      if (accuracy < 0 || accuracy > 1500) {
        throw ApiException.badRequest("horizontal_accuracy must be between 0 and 1500");
      }
      l.put("horizontal_accuracy", accuracy);
    }
    return l;
  }

  private static double coordinate(Params p, String name, double bound) {
    String s = p.str(name);
    if (s == null || s.isBlank()) {
      throw ApiException.badRequest(name + " is empty");
    }
    double v;
    try {
      v = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " is not a number");
    }
    if (Double.isNaN(v) || Math.abs(v) > bound) {
      throw ApiException.badRequest("LOCATION_INVALID");
    }
    return v;
  }

  private static String required(Params p, String name) {
    String s = p.str(name);
    if (s == null || s.isEmpty()) {
      throw ApiException.badRequest("Parameter \"" + name + "\" is required");
    }
    return s;
  }

  private static void putArray(ObjectNode to, String name, JsonNode value) {
    ArrayNode a = SendMethods.array(value);
    if (a != null && !a.isEmpty()) {
      to.set(name, a);
    }
  }

  private ObjectNode send(Params p, String kind, ObjectNode content) {
    return send(p, messages.targetChat(p), kind, content);
  }

  /** Stores the message with its content object, records the send, answers the Message. */
  private ObjectNode send(Params p, ChatState chat, String kind, ObjectNode content) {
    MessageModel m = messages.newMessage(chat);
    m.kind = kind;
    if (kind.equals("venue")) {
      m.media.put("location", content.get("location")); // a venue message carries its location too (DOCS §message)
    }
    m.media.put(kind, content);
    chat.store(m);
    chat.recordSent(new SentMessage("send" + kind, m.messageId, null, kind, null, null, null, null, 0, null, null,
        p.recorded()));
    return m.render();
  }
}
