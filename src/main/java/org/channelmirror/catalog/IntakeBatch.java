package org.channelmirror.catalog;

import java.util.List;

/**
 * Everything one getUpdates response produced, committed atomically together with the offset
 * that confirms it to the bot's update queue. Nothing is confirmed to Telegram before this
 * commit succeeds.
 *
 * @param botId the bot whose queue {@code nextOffset} belongs to (the digits before the token's ':')
 * @param nextOffset the getUpdates offset that confirms this batch; 0 leaves the offset as it is
 *     (updates that confirm themselves, such as webhook deliveries answered after the commit)
 */
public record IntakeBatch(
    List<PostVersion> posts,
    List<ChannelSeen> channels,
    List<Rejected> rejected,
    List<Warning> warnings,
    long botId,
    long nextOffset) {

  /** Title/username of a channel, and the bot's status there when a my_chat_member update said so. */
  public record ChannelSeen(long chatId, String title, String username, String botStatus, long statusDate) {}

  /** An update that could not be understood, kept verbatim. */
  public record Rejected(long updateId, String reason, String rawJson) {}

  /** A visible warning for {@code status}. */
  public record Warning(Long chatId, String kind, String message) {
    /** A post carries a file of a kind this version does not back up; recorded once, however often replayed. */
    public static final String UNKNOWN_MEDIA = "unknown-media";
  }
}
