package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {
  private static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  @Test
  void escapingKeepsSafeCharactersAndEscapesTheRest() {
    assertThat(ObjectKeys.escapeSegment("AgADBAAD-x_9")).isEqualTo("AgADBAAD-x_9");
    assertThat(ObjectKeys.escapeSegment("../")).isEqualTo("~2E~2E~2F");
    assertThat(ObjectKeys.escapeSegment("a/b")).isEqualTo("a~2Fb");
    assertThat(ObjectKeys.escapeSegment("~")).isEqualTo("~7E");
    assertThat(ObjectKeys.escapeSegment("\u00e9")).isEqualTo("~C3~A9");
    assertThat(ObjectKeys.escapeSegment("a\nb\u0000")).isEqualTo("a~0Ab~00");
    assertThat(ObjectKeys.escapeSegment("\uD83D\uDE00")).isEqualTo("~F0~9F~98~80");
  }

  @Test
  void escapingIsInjectiveOnTrickyInputs() {
    String longA = "a".repeat(500);
    String[] inputs = {"../", "..", ".", "/", "//", "~", "~7E", "~2F", "%2F", "a/b", "a~2Fb", "a b", "a+b",
        "A", "a", "\u00e9", "e\u0301", "\u0000", "\n", "\\", "\t", "\u202e", "\uD83D\uDE00", "\uFFFD",
        longA, longA + "b", "~".repeat(300), "~".repeat(301), "\u00e9".repeat(300), "\u00e9".repeat(300) + "x",
        "a".repeat(199), "a".repeat(200), "a".repeat(201), "x".repeat(166) + "\u00e9".repeat(50),
        "x".repeat(165) + "\u00e9".repeat(50), "x".repeat(164) + "\u00e9".repeat(50)};
    Map<String, String> seen = new HashMap<>();
    for (String in : inputs) {
      String out = ObjectKeys.escapeSegment(in);
      assertThat(out).matches("[A-Za-z0-9_~-]+").hasSizeLessThanOrEqualTo(ObjectKeys.MAX_SEGMENT);
      String before = seen.put(out, in);
      assertThat(before).as("'%s' and '%s' both map to %s", before, in, out).isNull();
      assertThat(ObjectKeys.escapeSegment(in)).as("stable").isEqualTo(out);
    }
    assertThat(ObjectKeys.escapeSegment(longA)).contains("~~").startsWith("a".repeat(100));
    assertThat(ObjectKeys.escapeSegment("a".repeat(200))).isEqualTo("a".repeat(200));
  }

  @Test
  void longEscapesAreNeverCutInHalf() {
    for (int pad = 160; pad < 170; pad++) {
      String out = ObjectKeys.escapeSegment("x".repeat(pad) + "\u00e9".repeat(60));
      String head = out.substring(0, out.indexOf("~~"));
      assertThat(head).matches("x*(~[0-9A-F]{2})*");
    }
  }

  @Test
  void emptySegmentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.escapeSegment(""));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.escapeSegment(null));
  }

  @Test
  void prefixNormalisation() {
    assertThat(ObjectKeys.normalisePrefix(null)).isEmpty();
    assertThat(ObjectKeys.normalisePrefix("")).isEmpty();
    assertThat(ObjectKeys.normalisePrefix("  / ")).isEmpty();
    assertThat(ObjectKeys.normalisePrefix("backup")).isEqualTo("backup/");
    assertThat(ObjectKeys.normalisePrefix(" /backup/tg/ ")).isEqualTo("backup/tg/");
    assertThat(ObjectKeys.normalisePrefix("//a/b")).isEqualTo("a/b/");
    assertThat(ObjectKeys.normalisePrefix("a.b/c-d")).isEqualTo("a.b/c-d/");
    for (String bad : new String[] {"..", "a/../b", "./a", "a/.", "a//b", "a\\b", "a\u0000b", "a\nb", "a\u007fb"}) {
      assertThrows(IllegalArgumentException.class, () -> ObjectKeys.normalisePrefix(bad), bad);
    }
  }

  @Test
  void mediaKeys() {
    assertThat(ObjectKeys.media("p", "AgAD-x_1", "jpg")).isEqualTo("p/media/AgAD-x_1.jpg");
    assertThat(ObjectKeys.media("", "AgAD", "MP4")).isEqualTo("media/AgAD.mp4");
    assertThat(ObjectKeys.media("", "AgAD", ".oga")).isEqualTo("media/AgAD.oga");
    assertThat(ObjectKeys.media("", "AgAD", "")).isEqualTo("media/AgAD");
    assertThat(ObjectKeys.media("", "AgAD", null)).isEqualTo("media/AgAD");
    assertThat(ObjectKeys.media("", "AgAD", "../x")).isEqualTo("media/AgAD");
    assertThat(ObjectKeys.media("", "AgAD", "verylongextension")).isEqualTo("media/AgAD");
    assertThat(ObjectKeys.media("", "../../etc/passwd", "")).isEqualTo("media/~2E~2E~2F~2E~2E~2Fetc~2Fpasswd");
  }

  @Test
  void manifestAndIndexKeys() {
    assertThat(ObjectKeys.manifest("b/", -1001234567890L, 42, 0, HASH))
        .isEqualTo("b/channels/-1001234567890/posts/0000000042/0000000000-0123456789ab.json");
    assertThat(ObjectKeys.manifest("", 5, 7, 1_700_000_000L, HASH.toUpperCase()))
        .isEqualTo("channels/5/posts/0000000007/1700000000-0123456789ab.json");
    assertThat(ObjectKeys.channelIndex("b", -100L)).isEqualTo("b/channels/-100/index.json");
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.manifest("", 1, -1, 0, HASH));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.manifest("", 1, 1, 0, "abc"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.manifest("", 1, 1, 0, "zz".repeat(10)));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.manifest("", 1, 10_000_000_000L, 0, HASH));
  }

  @Test
  void manifestKeysSortByMessageIdThenEditDate() {
    long[][] versions = {{1, 0}, {2, 0}, {2, 1_700_000_100L}, {9, 0}, {10, 0}, {99, 5}, {100, 0},
        {2_147_483_647L, 0}};
    List<String> keys = new ArrayList<>();
    for (long[] v : versions) {
      keys.add(ObjectKeys.manifest("x", -100, v[0], v[1], HASH));
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertThat(sorted).containsExactlyElementsOf(keys);
  }

  @Test
  void extensions() {
    assertThat(ObjectKeys.extensionFor("image/png", "x.png", "photos/file_1.png", "photo")).isEqualTo("jpg");
    assertThat(ObjectKeys.extensionFor("video/mp4", null, "videos/file_12.MOV", "video")).isEqualTo("mov");
    assertThat(ObjectKeys.extensionFor("audio/ogg", null, "voice/file_3.oga", "voice")).isEqualTo("oga");
    assertThat(ObjectKeys.extensionFor("video/mp4", "clip.avi", "/var/lib/tg/videos/file_1", "video")).isEqualTo("mp4");
    assertThat(ObjectKeys.extensionFor("Application/PDF; charset=x", "a.doc", null, "document")).isEqualTo("pdf");
    assertThat(ObjectKeys.extensionFor("application/x-unknown", "Report.DOCX", null, "document")).isEqualTo("docx");
    assertThat(ObjectKeys.extensionFor(null, "archive.tar.gz", null, "document")).isEqualTo("gz");
    assertThat(ObjectKeys.extensionFor(null, "evil.ex/../e", null, "document")).isEmpty();
    assertThat(ObjectKeys.extensionFor(null, ".bashrc", null, "document")).isEmpty();
    assertThat(ObjectKeys.extensionFor(null, "a.b\u00e9", "", "document")).isEmpty();
    assertThat(ObjectKeys.extensionFor(null, "noext", "docs/file", "document")).isEmpty();
    assertThat(ObjectKeys.extensionFor(null, null, null, null)).isEmpty();
    assertThat(ObjectKeys.extensionFor(null, "x.abcdefghijk", null, null)).isEmpty();
  }
}
