package org.channelmirror.telegram;

/**
 * A Bot API call failed. Classified once, here, by HTTP/error code (never by description text,
 * which Telegram does not promise to keep stable).
 */
public final class BotApiException extends RuntimeException {
  /** How the caller should react. */
  public enum Kind {
    /** 429: wait {@link #retryAfterSeconds()} and try again. */
    FLOOD,
    /** The server refuses the file for its size (cloud Bot API, over 20 MB). */
    TOO_BIG,
    /** 5xx, timeouts, resets, an expired file link: try again later. */
    RETRYABLE,
    /** 400/401/403/404 and the like: trying again will not help. */
    PERMANENT
  }

  private final Kind kind;
  private final int errorCode;
  private final int retryAfterSeconds;
  private final String description;

  public BotApiException(Kind kind, int errorCode, int retryAfterSeconds, String message, Throwable cause) {
    this(kind, errorCode, retryAfterSeconds, message, cause, null);
  }

  /** @param description Telegram's own words ("Bad Request: ..."), when it answered with a Bot API error */
  public BotApiException(Kind kind, int errorCode, int retryAfterSeconds, String message, Throwable cause,
      String description) {
    super(message, cause);
    this.kind = kind;
    this.errorCode = errorCode;
    this.retryAfterSeconds = retryAfterSeconds;
    this.description = description;
  }

  public Kind kind() {
    return kind;
  }

  public int errorCode() {
    return errorCode;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** Telegram's description of the error, or null when the answer was no Bot API error. */
  public String description() {
    return description;
  }

  /** The one classification table for Bot API error codes. */
  static Kind classify(int code, String description) {
    if (code == 429) {
      return Kind.FLOOD;
    }
    if (code == 400 && description != null && description.toLowerCase().contains("file is too big")) {
      // the only 400 that is about size: Telegram words it this way in every server version
      return Kind.TOO_BIG;
    }
    if (code >= 500 || code == 0 || code == 408) {
      return Kind.RETRYABLE;
    }
    return Kind.PERMANENT;
  }
}
