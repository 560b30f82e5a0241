package org.channelmirror.catalog;

import java.util.Locale;

/** The kinds of media a channel post can carry, named as in the Bot API message fields. */
public enum MediaKind {
  PHOTO, VIDEO, ANIMATION, DOCUMENT, AUDIO, VOICE, VIDEO_NOTE, STICKER,
  /** The video of a live photo (Bot API 10.0); its still comes as a PHOTO of the same post. */
  LIVE_PHOTO;

  /** The Bot API field name: "photo", "video_note", ... */
  public String field() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MediaKind ofField(String field) {
    return valueOf(field.toUpperCase(Locale.ROOT));
  }
}
