package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class EntitiesTest {
  @Test
  void offsetsCountUtf16UnitsSoEmojiBeforeAnEntityDoNotShiftIt() {
    String text = "🌅🌅 Sunset at the pier";
    // each 🌅 is two UTF-16 units: "Sunset" starts at 5
    assertThat(Entities.html(text, entities("[{\"offset\":5,\"length\":6,\"type\":\"bold\"}]")))
        .isEqualTo("🌅🌅 <strong>Sunset</strong> at the pier");
  }

  @Test
  void nestedAndPartlyOverlappingEntitiesMakeWellFormedHtml() {
    String text = "bold italic plain";
    JsonNode e = entities("[{\"offset\":0,\"length\":11,\"type\":\"bold\"},{\"offset\":5,\"length\":12,\"type\":\"italic\"}]");
    assertThat(Entities.html(text, e)).isEqualTo("<strong>bold <em>italic</em></strong><em> plain</em>");
  }

  @Test
  void textIsEscapedAndOnlyHarmlessLinksAreLinked() {
    String text = "<b>&go</b> here now";
    JsonNode e = entities("[{\"offset\":11,\"length\":4,\"type\":\"text_link\",\"url\":\"javascript:alert(1)\"},"
        + "{\"offset\":16,\"length\":3,\"type\":\"text_link\",\"url\":\"https://x.org/?a=1&b=\\\"2\\\"\"}]");
    assertThat(Entities.html(text, e)).isEqualTo("&lt;b&gt;&amp;go&lt;/b&gt; <a>here</a> "
        + "<a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">now</a>");
  }

  @Test
  void lineBreaksStayAsTheyAreInsideAndOutsidePre() {
    String text = "a\nb\ncode\nmore";
    JsonNode e = entities("[{\"offset\":4,\"length\":9,\"type\":\"pre\",\"language\":\"java\"}]");
    assertThat(Entities.html(text, e)).isEqualTo("a\nb\n<pre data-language=\"java\">code\nmore</pre>");
  }

  @Test
  void anEntityEdgeInsideASurrogatePairDoesNotTearTheCharacterApart() {
    // found by the recovery sweep: an entity ending between the two halves of 𝕏 wrote each half on
    // its own, and the export showed "?" for the character (result.json held lone surrogates)
    String text = "a 𝕏 b";
    JsonNode e = entities("[{\"offset\":3,\"length\":2,\"type\":\"italic\"}]");
    assertThat(Entities.html(text, e)).isEqualTo("a <em>𝕏 </em>b");
    assertThat(Entities.desktopEntities(text, e)).extracting(n -> n.get("text").asText())
        .containsExactly("a ", "𝕏 ", "b");
  }

  @Test
  void desktopEntitiesCoverTheTextInPieces() {
    String text = "Hi bold https://x.org";
    JsonNode e = entities("[{\"offset\":3,\"length\":4,\"type\":\"bold\"},{\"offset\":8,\"length\":13,\"type\":\"url\"}]");
    JsonNode pieces = Entities.desktopEntities(text, e);
    assertThat(pieces.toString()).isEqualTo("[{\"type\":\"plain\",\"text\":\"Hi \"},{\"type\":\"bold\",\"text\":\"bold\"},"
        + "{\"type\":\"plain\",\"text\":\" \"},{\"type\":\"link\",\"text\":\"https://x.org\"}]");
    assertThat(Entities.desktopText(Entities.desktopEntities("plain", null)).asText()).isEqualTo("plain");
  }

  private static JsonNode entities(String json) {
    return Drill.json(json);
  }
}
