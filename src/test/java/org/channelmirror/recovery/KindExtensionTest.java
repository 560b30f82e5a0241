package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stickers and round videos carry no file name and no MIME type, so when the Bot API server's
 * file_path had no extension their objects have none either. Found by the recovery sweep against an
 * independent fake Bot API: restore uploaded "sticker-9" as application/octet-stream (Telegram tells
 * a .webp, .tgs or .webm sticker apart by its name), and the export wrote "stickers/sticker_9",
 * which index.html showed as a bare link instead of the image.
 */
class KindExtensionTest {
  @Test
  void aStickerIsNamedByItsFormatAndARoundVideoAsMp4() {
    assertThat(Exporter.fileName(post(9, sticker(false, false)), media("sticker", "media/S9"))).isEqualTo("sticker_9.webp");
    assertThat(Exporter.fileName(post(9, sticker(true, false)), media("sticker", "media/S9"))).isEqualTo("sticker_9.tgs");
    assertThat(Exporter.fileName(post(9, sticker(false, true)), media("sticker", "media/S9.bin")))
        .isEqualTo("sticker_9.webm");
    assertThat(Exporter.fileName(post(10, msg()), media("video_note", "media/N10"))).isEqualTo("video_note_10.mp4");
    // an extension the key has is kept
    assertThat(Exporter.fileName(post(10, msg()), media("video_note", "media/N10.mov"))).isEqualTo("video_note_10.mov");
  }

  @Test
  void theUploadIsNamedAndTypedTheSameWay() {
    RestorePlan.Item s = item(post(9, sticker(false, false)), media("sticker", "media/S9"));
    assertThat(Restorer.uploadName(s)).isEqualTo("sticker-9.webp");
    assertThat(Restorer.uploadType(s)).isEqualTo("image/webp");
    RestorePlan.Item tgs = item(post(9, sticker(true, false)), media("sticker", "media/S9"));
    assertThat(Restorer.uploadName(tgs)).isEqualTo("sticker-9.tgs");
    assertThat(Restorer.uploadType(tgs)).isEqualTo("application/x-tgsticker");
    RestorePlan.Item round = item(post(10, msg()), media("video_note", "media/N10"));
    assertThat(Restorer.uploadName(round)).isEqualTo("video_note-10.mp4");
    assertThat(Restorer.uploadType(round)).isEqualTo("video/mp4");
  }

  @Test
  void aSlashInADocumentsNameIsPartOfTheNameNotAPath() {
    // found by the export sweep: "50% off & <b>bold</b>.txt" was uploaded as "b>.txt"
    assertThat(Restorer.uploadName(item(post(11, msg()), named("50% off & <b>bold</b>.txt"))))
        .isEqualTo("50% off & <b>bold<_b>.txt");
    assertThat(Restorer.uploadName(item(post(11, msg()), named("AC/DC - Thunderstruck.mp3"))))
        .isEqualTo("AC_DC - Thunderstruck.mp3");
    assertThat(Restorer.uploadName(item(post(11, msg()), named("../../etc/passwd")))).isEqualTo(".._.._etc_passwd");
    assertThat(Restorer.uploadName(item(post(11, msg()), named("..")))).isEqualTo("document-11");
  }

  private static MediaEntry named(String fileName) {
    return new MediaEntry("document", "stored", "U", "F", "media/U", 10L, null, null, fileName, null, null, null, null);
  }

  private static ObjectNode msg() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static ObjectNode sticker(boolean animated, boolean video) {
    ObjectNode m = msg();
    m.putObject("sticker").put("is_animated", animated).put("is_video", video).put("emoji", "😀");
    return m;
  }

  private static PostManifest post(long id, ObjectNode message) {
    return new PostManifest("k", -1L, id, 1_790_000_000L, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, message);
  }

  private static MediaEntry media(String kind, String key) {
    return new MediaEntry(kind, "stored", "U", "F", key, 10L, null, null, null, null, null, null, null);
  }

  private static RestorePlan.Item item(PostManifest p, MediaEntry m) {
    return new RestorePlan.Item(p, m, m.kind(), null, null, null);
  }
}
