package org.channelmirror.recovery;

/**
 * One media item of a post manifest ({@code media[]}), as written by the backup.
 *
 * @param kind Bot API field name: photo, video, animation, document, audio, voice, video_note, sticker
 * @param state stored, pending, too_big or failed
 * @param objectKey full object key when stored
 * @param size bytes stored; when not stored, the size Telegram announced (may be null)
 * @param reason why it is not stored, when it is not
 */
public record MediaEntry(String kind, String state, String fileUniqueId, String fileId, String objectKey, Long size,
    String sha256, String mimeType, String fileName, Integer width, Integer height, Integer duration, String reason) {

  public static final String STORED = "stored";

  public boolean stored() {
    return STORED.equals(state) && objectKey != null;
  }
}
