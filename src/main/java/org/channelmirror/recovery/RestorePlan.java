package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a restore sends, in order: one {@link Send} per Bot API call. Built from the bucket alone
 * and deterministic, so a rerun builds the same plan and the journal can match sends by id.
 *
 * @param posts the post versions the plan was made from (latest versions, in message order)
 * @param notes what cannot be sent, or is sent differently from the original, and why
 */
public record RestorePlan(long sourceChat, List<PostManifest> posts, List<Send> sends, List<Note> notes) {

  public RestorePlan {
    posts = List.copyOf(posts);
    sends = List.copyOf(sends);
    notes = List.copyOf(notes);
  }

  /** Bytes uploaded from the bucket (items sent by file_id upload nothing). */
  public long totalBytes() {
    return sends.stream().mapToLong(Send::bytes).sum();
  }

  /** Media items sent by their original file_id instead of being uploaded. */
  public int itemsByFileId() {
    return sends.stream().mapToInt(Send::itemsByFileId).sum();
  }

  /**
   * One Bot API call.
   *
   * @param id stable identity for the journal: the source message ids, plus a suffix for extra sends
   * @param method sendPhoto, sendMediaGroup, sendMessage, ...
   * @param items the media sent (none for sendMessage)
   * @param text for sendMessage: the text, and its entities as Telegram sent them
   * @param params the call's other parameters, taken from the post (a poll's question and options, a place,
   *     a contact, a dice's emoji, paid media's star_count and caption), or null
   */
  public record Send(String id, String method, List<Long> messageIds, List<Item> items, String text,
      JsonNode entities, ObjectNode params) {
    public Send {
      messageIds = List.copyOf(messageIds);
      items = List.copyOf(items);
    }

    /** Messages this call creates in the target chat (an album item is a message; paid media and a live photo are one). */
    public int messages() {
      return method.equals("sendPaidMedia") || method.equals("sendLivePhoto") ? 1 : Math.max(1, items.size());
    }

    /** What a call without media posts, for the dry-run listing: "text, 12 characters", "poll: Lunch?", ... */
    public String summary() {
      return switch (method) {
        case "sendPoll" -> "poll: " + params.path("question").asText();
        case "sendVenue" -> "venue: " + params.path("title").asText();
        case "sendLocation" -> "location " + params.path("latitude").asText() + ", "
            + params.path("longitude").asText();
        case "sendContact" -> "contact: " + (params.path("first_name").asText() + " "
            + params.path("last_name").asText()).strip();
        case "sendDice" -> "dice " + params.path("emoji").asText();
        case "sendPaidMedia" -> "paid media, " + params.path("star_count").asInt() + " stars";
        default -> "text, " + RestorePlanner.characters(text) + " characters";
      };
    }

    /** Bytes this call uploads. */
    public long bytes() {
      return items.stream().mapToLong(Item::uploadBytes).sum();
    }

    public int itemsByFileId() {
      return (int) items.stream().filter(Item::byFileId).count();
    }
  }

  /**
   * One media item to send: uploaded from the bucket, or by its original file_id.
   *
   * @param sendAs the kind it is sent as: its own, or "document" for a photo too big for sendPhoto
   * @param caption null when the caption is not sent with this item
   * @param fileId the original file_id to send instead of the stored bytes (over the server's
   *     upload limit, with {@code --reuse-file-ids}), or null to upload
   */
  public record Item(PostManifest post, MediaEntry media, String sendAs, String caption, JsonNode captionEntities,
      String fileId) {

    public boolean byFileId() {
      return fileId != null;
    }

    public long uploadBytes() {
      return byFileId() || media.size() == null ? 0 : media.size();
    }
  }

  /** A post or item that is not restored as it was. */
  public record Note(long messageId, Severity severity, String message) {}

  /** How bad a note is. */
  public enum Severity {
    /** Restored, but differently (photo as document, album split, caption as a separate message). */
    CHANGED,
    /** Not restored at all. */
    NOT_SENT,
    /** Not a post: a service message (a pin, a new title, ...) that Telegram makes itself. Nothing to send. */
    SKIPPED
  }
}
