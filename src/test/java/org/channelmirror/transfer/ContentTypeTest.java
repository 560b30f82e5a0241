package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.MediaKind;
import org.junit.jupiter.api.Test;

class ContentTypeTest {
  private static Blob blob(MediaKind kind, String mime) {
    return new Blob("u", BlobState.PENDING, kind, "f", 10L, mime, null, -100L, 1L, 0);
  }

  @Test
  void stickersAreTypedByTheirFormatSinceTelegramSendsNoMimeType() {
    // found by the core sweep: every sticker was stored as image/webp, animated and video ones too
    assertThat(MediaTransfer.contentType(blob(MediaKind.STICKER, null), "media/AgADa.tgs"))
        .isEqualTo("application/x-tgsticker");
    assertThat(MediaTransfer.contentType(blob(MediaKind.STICKER, null), "media/AgADb.webm")).isEqualTo("video/webm");
    assertThat(MediaTransfer.contentType(blob(MediaKind.STICKER, null), "media/AgADc.webp")).isEqualTo("image/webp");
    assertThat(MediaTransfer.contentType(blob(MediaKind.STICKER, null), "media/AgADd")).isEqualTo("image/webp");
  }

  @Test
  void theMessagesMimeTypeWinsAndKindsWithoutOneGetTheirFormat() {
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "application/pdf"), "media/x.bin"))
        .isEqualTo("application/pdf");
    assertThat(MediaTransfer.contentType(blob(MediaKind.PHOTO, null), "media/x.jpg")).isEqualTo("image/jpeg");
    assertThat(MediaTransfer.contentType(blob(MediaKind.VOICE, "not a type"), "media/x.oga")).isEqualTo("audio/ogg");
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, null), "media/x.xyz"))
        .isEqualTo("application/octet-stream");
  }

  @Test
  void aMimeTypeWithParametersIsKeptAsItIs() {
    // found by the transfer sweep: "text/plain; charset=utf-8" was stored as application/octet-stream
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "text/plain; charset=utf-8"), "media/x.txt"))
        .isEqualTo("text/plain; charset=utf-8");
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "text/csv;charset=\"UTF-8\";header=present"),
        "media/x.csv")).isEqualTo("text/csv;charset=\"UTF-8\";header=present");
    // what would break the header (line breaks) or is not a parameter still falls back
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "text/plain;\r\nx-amz-acl: public-read"),
        "media/x.txt")).isEqualTo("application/octet-stream");
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "text/plain; charset"), "media/x.txt"))
        .isEqualTo("application/octet-stream");
    assertThat(MediaTransfer.contentType(blob(MediaKind.DOCUMENT, "text/plain; charset=\u00fc"), "media/x.txt"))
        .isEqualTo("application/octet-stream");
  }
}
