package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * File names in the export. Found by an independent acceptance sweep: a name with no safe character
 * before its extension ("песня.mp3", usual in non-Latin channels) lost its dot with the leading '_',
 * so its extension became the whole name ("mp3"), and the file was exported as "mp3.mp3", or as
 * plain "mp3" with no extension at all when the object key has none.
 */
class ExportFileNamesTest {
  @Test
  void aNameWithNothingSafeBeforeItsExtensionIsNamedByKindAndMessageKeepingTheExtension() {
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27.mp3", "песня.mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27", "песня.mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27.bin", "песня.mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(8), media("voice", "media/VO8.oga", null))).isEqualTo("voice_8.oga");
    assertThat(Exporter.fileName(post(5), media("document", "media/D5.pdf", "отчёт.PDF"))).isEqualTo("document_5.pdf");
    assertThat(Exporter.fileName(post(6), media("document", "media/D6", "报告"))).isEqualTo("document_6");
  }

  @Test
  void safeCharactersOfANameAreKept() {
    assertThat(Exporter.fileName(post(26), media("document", "media/D26.pdf", "отчёт 📄 «final».pdf")))
        .isEqualTo("final_.pdf");
    assertThat(Exporter.fileName(post(3), media("video", "media/V3.mp4", "clip one.mp4"))).isEqualTo("clip_one.mp4");
    assertThat(Exporter.fileName(post(4), media("document", "media/D4.txt", "../../etc/passwd"))).isEqualTo("passwd.txt");
    assertThat(Exporter.fileName(post(7), media("document", "media/D7", ".bashrc"))).isEqualTo("bashrc");
    assertThat(Exporter.safeName("...")).isNull();
  }

  private static PostManifest post(long id) {
    return new PostManifest("k", -1L, id, 1_790_000_000L, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
  }

  private static MediaEntry media(String kind, String key, String fileName) {
    return new MediaEntry(kind, "stored", "U", "F", key, 10L, null, null, fileName, null, null, null, null);
  }
}
