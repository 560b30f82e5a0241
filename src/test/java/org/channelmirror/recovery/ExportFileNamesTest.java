package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * File names in the export: the original names, in any script, as Telegram Desktop's export keeps
 * them, made safe for every file system and browser. (An earlier sweep found a name with nothing
 * left before its extension exported as "mp3.mp3", or "mp3" with no extension.)
 */
class ExportFileNamesTest {
  @Test
  void aNameWithNoLetterOrDigitBeforeItsExtensionIsNamedByKindAndMessageKeepingTheExtension() {
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27.mp3", "🎵.mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27", "«»!.mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27.bin", "....mp3"))).isEqualTo("audio_27.mp3");
    assertThat(Exporter.fileName(post(8), media("voice", "media/VO8.oga", null))).isEqualTo("voice_8.oga");
    assertThat(Exporter.safeName("...")).isNull();
  }

  @Test
  void aNameKeepsItsScriptAsTelegramDesktopsExportDoes() {
    // found by the export sweep: "песня.mp3" was exported as audio_27.mp3 and "Über Straße" as "ber_Stra_e"
    assertThat(Exporter.fileName(post(27), media("audio", "media/AU27.mp3", "песня.mp3"))).isEqualTo("песня.mp3");
    assertThat(Exporter.fileName(post(5), media("document", "media/D5.pdf", "отчёт.PDF"))).isEqualTo("отчёт.PDF");
    assertThat(Exporter.fileName(post(6), media("document", "media/D6", "报告"))).isEqualTo("报告");
    assertThat(Exporter.fileName(post(26), media("document", "media/D26.pdf", "отчёт 📄 «final».pdf")))
        .isEqualTo("отчёт 📄 «final».pdf");
    assertThat(Exporter.fileName(post(3), media("video", "media/V3.mp4", "clip one.mp4"))).isEqualTo("clip one.mp4");
    assertThat(Exporter.safeName("Über Straße #1 50%?.pdf")).isEqualTo("Über Straße #1 50%_.pdf");
    // decomposed (as macOS writes it) and composed are one name
    assertThat(Exporter.safeName("Cafe\u0301.txt")).isEqualTo("Caf\u00e9.txt");
  }

  @Test
  void whatNoFileSystemOrBrowserTakesInANameIsReplaced() {
    assertThat(Exporter.fileName(post(4), media("document", "media/D4.txt", "../../etc/passwd"))).isEqualTo("etc_passwd.txt");
    assertThat(Exporter.fileName(post(7), media("document", "media/D7", ".bashrc"))).isEqualTo("bashrc");
    assertThat(Exporter.safeName("C:\\Users\\me\\report.pdf")).isEqualTo("C_Users_me_report.pdf");
    assertThat(Exporter.safeName("a<b>c:d\"e|f?g*h.txt")).isEqualTo("a_b_c_d_e_f_g_h.txt");
    // a right-to-left override would show "invoice\u202Efdp.exe" as "invoiceexe.pdf"
    assertThat(Exporter.safeName("invoice\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
    assertThat(Exporter.safeName("tab\there\nnewline.txt")).isEqualTo("tab_here_newline.txt");
    assertThat(Exporter.safeName("trailing dots. . .")).isEqualTo("trailing dots");
    assertThat(Exporter.safeName("con.txt")).isEqualTo("_con.txt");
    assertThat(Exporter.safeName("я".repeat(300) + ".txt")).isEqualTo("я".repeat(80) + ".txt");
    String emoji = Exporter.safeName("📄".repeat(100) + "x.pdf"); // cut between code points, never inside one
    assertThat(emoji).isEqualTo("📄".repeat(80) + ".pdf");
  }

  @Test
  void aLinkToANameInAnyScriptIsPercentEncodedUtf8() {
    assertThat(Html.href("files/файл #1 50%.txt")).isEqualTo("files/%D1%84%D0%B0%D0%B9%D0%BB%20%231%2050%25.txt");
    assertThat(Html.href("files/a (1).pdf")).isEqualTo("files/a%20%281%29.pdf");
    assertThat(Html.href("photos/photo_2@26-11-2026_20-13-53.jpg")).isEqualTo("photos/photo_2%4026-11-2026_20-13-53.jpg");
  }

  private static PostManifest post(long id) {
    return new PostManifest("k", -1L, id, 1_790_000_000L, 0, "h", null, null, null, null, null, false, false, null,
        List.of(), true, Instant.EPOCH, JsonNodeFactory.instance.objectNode());
  }

  private static MediaEntry media(String kind, String key, String fileName) {
    return new MediaEntry(kind, "stored", "U", "F", key, 10L, null, null, fileName, null, null, null, null);
  }
}
