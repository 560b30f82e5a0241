package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bot API call that re-posts a message without files (a poll, a venue, a location, a contact or a dice) from
 * the raw message its manifest keeps: the method, its parameters, and what the restored copy cannot have that the
 * original had (votes, a dice's value, a live location's movement).
 *
 * @param params the method's parameters as JSON (strings, numbers, booleans, entity and option arrays)
 * @param changes how the restored copy differs from the original, one sentence each
 */
record ContentSend(String method, ObjectNode params, List<String> changes) {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** The call for the message's poll, venue, location, contact or dice, or null when it carries none. */
  static ContentSend of(JsonNode msg) {
    if (msg == null || !msg.isObject()) {
      return null;
    }
    // a venue message carries its location as well: the venue is the content
    if (msg.path("venue").isObject()) {
      return venue(msg.get("venue"));
    }
    if (msg.path("location").isObject()) {
      return location(msg.get("location"));
    }
    if (msg.path("poll").isObject()) {
      return poll(msg.get("poll"));
    }
    if (msg.path("contact").isObject()) {
      return contact(msg.get("contact"));
    }
    if (msg.path("dice").isObject()) {
      return dice(msg.get("dice"));
    }
    return null;
  }

  /**
   * sendPoll with the question, the options and their entities, and the poll's settings. Votes cannot be
   * restored. It is always anonymous, as channels take no other polls. A quiz goes as a quiz only when the
   * backup holds its correct answers: Telegram tells a bot those only for a closed quiz (or one the bot sent),
   * so an open quiz is sent as a regular poll, without its explanation, rather than left out.
   */
  private static ContentSend poll(JsonNode poll) {
    ObjectNode p = JSON.objectNode();
    List<String> changes = new ArrayList<>();
    long votes = poll.path("total_voter_count").asLong(0);
    changes.add("votes cannot be restored: the poll starts again with none" + (votes > 0 ? " (it had " + votes
        + ")" : ""));
    p.put("question", poll.path("question").asText(""));
    copyArray(poll, "question_entities", p);
    ArrayNode options = p.putArray("options");
    for (JsonNode o : poll.path("options")) {
      ObjectNode option = options.addObject().put("text", o.path("text").asText(""));
      copyArray(o, "text_entities", option);
    }
    p.put("is_anonymous", true);
    if (!poll.path("is_anonymous").asBoolean(true)) {
      changes.add("the poll was not anonymous; it is sent as an anonymous poll, the only kind a channel takes");
    }
    ArrayNode correct = correctOptionIds(poll);
    boolean quiz = "quiz".equals(poll.path("type").asText());
    if (quiz && correct.isEmpty()) {
      changes.add("a quiz whose correct answer the backup does not hold (Telegram tells a bot only those of closed"
          + " quizzes): it is sent as a regular poll" + (poll.hasNonNull("explanation") ? ", without its explanation"
          : ""));
    }
    if (quiz && !correct.isEmpty()) {
      p.put("type", "quiz");
      // correct_option_ids is the current parameter; an older server reads only correct_option_id
      if (correct.size() == 1) {
        p.set("correct_option_id", correct.get(0));
      }
      p.set("correct_option_ids", correct);
      if (poll.hasNonNull("explanation")) {
        p.put("explanation", poll.get("explanation").asText());
        copyArray(poll, "explanation_entities", p);
      }
    } else {
      p.put("type", "regular");
      if (poll.path("allows_multiple_answers").asBoolean(false)) {
        p.put("allows_multiple_answers", true);
      }
    }
    if (poll.has("allows_revoting")) {
      p.put("allows_revoting", poll.get("allows_revoting").asBoolean());
    }
    if (poll.hasNonNull("description")) {
      p.put("description", poll.get("description").asText());
      copyArray(poll, "description_entities", p);
    }
    if (poll.path("is_closed").asBoolean(false)) {
      p.put("is_closed", true);
    }
    if (poll.has("media") || poll.has("explanation_media") || hasOptionMedia(poll)) {
      changes.add("the poll's media is not backed up and is left out");
    }
    return new ContentSend("sendPoll", p, changes);
  }

  /** The correct options of a quiz: correct_option_ids, or the older single correct_option_id. */
  private static ArrayNode correctOptionIds(JsonNode poll) {
    ArrayNode ids = JSON.arrayNode();
    if (poll.path("correct_option_ids").isArray()) {
      poll.get("correct_option_ids").forEach(ids::add);
    } else if (poll.path("correct_option_id").canConvertToInt()) {
      ids.add(poll.get("correct_option_id").asInt());
    }
    return ids;
  }

  private static boolean hasOptionMedia(JsonNode poll) {
    for (JsonNode o : poll.path("options")) {
      if (o.has("media")) {
        return true;
      }
    }
    return false;
  }

  /** sendLocation where the location is; a live location is sent as a static one at its last known place. */
  private static ContentSend location(JsonNode location) {
    ObjectNode p = coordinates(location);
    List<String> changes = new ArrayList<>();
    if (location.has("live_period")) {
      changes.add("a live location: it is sent as a static location where it last was in the backup");
    }
    return new ContentSend("sendLocation", p, changes);
  }

  private static ContentSend venue(JsonNode venue) {
    ObjectNode p = coordinates(venue.path("location"));
    for (String f : List.of("title", "address", "foursquare_id", "foursquare_type", "google_place_id",
        "google_place_type")) {
      if (venue.hasNonNull(f)) {
        p.put(f, venue.get(f).asText());
      }
    }
    return new ContentSend("sendVenue", p, List.of());
  }

  private static ObjectNode coordinates(JsonNode location) {
    ObjectNode p = JSON.objectNode();
    p.set("latitude", location.path("latitude"));
    p.set("longitude", location.path("longitude"));
    if (location.hasNonNull("horizontal_accuracy")) {
      p.set("horizontal_accuracy", location.get("horizontal_accuracy"));
    }
    return p;
  }

  private static ContentSend contact(JsonNode contact) {
    ObjectNode p = JSON.objectNode();
    for (String f : List.of("phone_number", "first_name", "last_name", "vcard")) {
      if (contact.hasNonNull(f)) {
        p.put(f, contact.get(f).asText());
      }
    }
    return new ContentSend("sendContact", p, List.of());
  }

  /**
   * sendDice with the same emoji: the post is a throw, so it is thrown again, and Telegram, not the sender,
   * picks the value; the report says which value it had.
   */
  private static ContentSend dice(JsonNode dice) {
    ObjectNode p = JSON.objectNode();
    p.put("emoji", dice.path("emoji").asText("🎲"));
    return new ContentSend("sendDice", p, List.of("a dice is thrown again: Telegram picks a new value (it showed "
        + dice.path("value").asInt() + ")"));
  }

  private static void copyArray(JsonNode from, String name, ObjectNode to) {
    JsonNode a = from.get(name);
    if (a != null && a.isArray() && !a.isEmpty()) {
      to.set(name, a);
    }
  }
}
