package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.channelmirror.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export's text as a browser renders it (innerText, which applies the page's CSS), not only as
 * the DOM holds it: Telegram shows a post's spaces and line breaks as they were typed, so the
 * offline copy must too.
 */
class ExportRenderingIT {
  private static final long CHAT = -1001111111111L;

  @TempDir
  Path tmp;

  @Test
  void spacesIndentationAndLineBreaksRenderAsTyped() throws Exception {
    List<String> texts = List.of(
        "two  spaces and   three",
        "list:\n    • indented item\n        • deeper\nend",
        "trailing line break\n\nafter an empty line",
        "tab\tseparated\tcolumns");
    List<PostManifest> posts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      posts.add(textPost(i + 1, texts.get(i), null));
    }
    // a pre block whose code starts with a line break (an HTML parser drops the first one)
    String code = "run:\n\n  make all";
    posts.add(textPost(9, code, "[{\"offset\":4,\"length\":12,\"type\":\"pre\"}]"));
    String page = Html.page(new Exporter.ChannelInfo(CHAT, "Chan", null), posts, Map.of(), Instant.EPOCH);
    // the export has no scripts; this copy adds one that writes what the browser renders into the DOM
    String probe = "<script>const r=[...document.querySelectorAll('article .text')].map(d=>[d.innerText,d.textContent]);"
        + "const p=document.createElement('pre');p.id='rendered';p.textContent=JSON.stringify(r);"
        + "document.body.appendChild(p);</script></body>";
    Path html = tmp.resolve("index.html");
    Files.writeString(html, page.replace("</body>", probe), StandardCharsets.UTF_8);

    String dom = Chromium.dumpDom(html, tmp.resolve("chromium-profile"));
    Matcher m = Pattern.compile("<pre id=\"rendered\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
    assertThat(m.find()).as("the probe ran").isTrue();
    JsonNode rendered = BucketReader.JSON.readTree(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&amp;", "&"));
    List<String> shown = new ArrayList<>();
    List<String> held = new ArrayList<>();
    rendered.forEach(n -> {
      shown.add(n.get(0).asText());
      held.add(n.get(1).asText());
    });
    assertThat(shown.subList(0, texts.size())).containsExactlyElementsOf(texts);
    List<String> all = new ArrayList<>(texts);
    all.add(code);
    assertThat(held).as("the DOM holds each text exactly").containsExactlyElementsOf(all);
  }

  private static PostManifest textPost(long id, String text, String entities) {
    ObjectNode manifest = BucketReader.JSON.createObjectNode();
    manifest.put("format", "channel-mirror/manifest/v1").put("chat_id", CHAT).put("message_id", id)
        .put("date", 1_767_268_800L + id).put("edit_date", 0).put("complete", true).put("text", text);
    manifest.putArray("media");
    if (entities != null) {
      manifest.set("entities", Drill.json(entities));
    }
    return BucketReader.parse("channels/" + CHAT + "/posts/" + id + ".json", manifest);
  }
}
