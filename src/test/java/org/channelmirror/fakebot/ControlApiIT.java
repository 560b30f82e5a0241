package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ControlApiIT extends FakeBotFixture {

  @Test
  void drivesTheServerOverHttp() throws Exception {
    JsonNode chat = http.control("POST", "channels",
        "{\"id\":-1005550001111,\"title\":\"Ctl\",\"username\":\"ctl_channel\"}").json();
    assertThat(chat.get("type").asText()).isEqualTo("channel");

    JsonNode post = http.control("POST", "channels/-1005550001111/posts",
        "{\"caption\":\"Hello doc\",\"entities\":[{\"type\":\"bold\",\"offset\":0,\"length\":5}],"
            + "\"media\":[{\"kind\":\"document\",\"size\":4096,\"seed\":3,\"fileName\":\"x.pdf\"}]}").json();
    assertThat(post.get("messageId").asInt()).isEqualTo(1);
    assertThat(post.get("message").get("document").get("mime_type").asText()).isEqualTo("application/pdf");
    assertThat(post.get("files").get(0).get("size").asLong()).isEqualTo(4096);
    assertThat(post.get("message").get("caption_entities").get(0).get("type").asText()).isEqualTo("bold");

    JsonNode photo = http.control("POST", "channels/-1005550001111/posts",
        "{\"media\":[{\"kind\":\"photo\",\"seed\":5,\"width\":640,\"height\":480}],\"mediaGroupId\":\"77\"}").json();
    assertThat(photo.get("message").get("photo")).hasSize(3);
    JsonNode edit = http.control("POST", "channels/-1005550001111/posts/1/edit", "{\"caption\":\"edited\"}").json();
    assertThat(edit.get("message").get("edit_date").asLong()).isPositive();
    assertThat(edit.get("message").get("document").get("file_name").asText()).isEqualTo("x.pdf");

    JsonNode ups = http.updates("{}");
    assertThat(ups).hasSize(3);
    assertThat(ups.get(2).get("edited_channel_post").get("caption").asText()).isEqualTo("edited");

    JsonNode sample = http.control("POST", "sample/-1009990001111", null).json();
    assertThat(sample).hasSize(14);
    assertThat(api.pendingUpdates()).isEqualTo(17);

    assertThat(http.control("POST", "faults", "{\"type\":\"floodWait\",\"method\":\"getMe\",\"retryAfter\":9}")
        .status()).isEqualTo(200);
    assertThat(http.json("getMe", "{}").json().get("parameters").get("retry_after").asInt()).isEqualTo(9);
    http.json("sendMessage", "{\"chat_id\":-1005550001111,\"text\":\"from bot\"}");

    JsonNode sent = http.control("GET", "sent/-1005550001111", null).json();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).get("text").asText()).isEqualTo("from bot");
    JsonNode reqs = http.control("GET", "requests", null).json();
    assertThat(reqs.findValuesAsText("method")).containsSubsequence("getupdates", "getme", "sendmessage");
    assertThat(reqs.get(1).get("httpStatus").asInt()).isEqualTo(429);
    assertThat(http.control("GET", "status", null).json().get("pendingUpdates").asInt()).isEqualTo(17);
    assertThat(http.control("POST", "channels/-1/posts", "{}").status()).isEqualTo(400);
    assertThat(http.control("GET", "nope", null).status()).isEqualTo(404);
  }
}
