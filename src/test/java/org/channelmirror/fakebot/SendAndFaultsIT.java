package org.channelmirror.fakebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendAndFaultsIT extends FakeBotFixture {
  static final long CH = -1001112223334L;
  Channel channel;

  @BeforeEach
  void createChannel() {
    channel = api.channel(CH, "Target", "target_channel");
  }

  @Test
  void sendMediaGroupTypeRules() throws Exception {
    FileRef doc = channel.post().document(FileContent.random(1, 100), "a.pdf", "application/pdf").publish()
        .files().get(0);
    FileRef photo = last(channel.post().photo(FileContent.jpeg(2, 400, 300)).publish().files());
    String d = item("document", doc.fileId());
    String p = item("photo", photo.fileId());
    assertThat(album(d + "," + p)).isEqualTo("Bad Request: document can't be mixed with other media types");
    assertThat(album(item("audio", doc.fileId()) + "," + p))
        .isEqualTo("Bad Request: audio can't be mixed with other media types");
    assertThat(album(item("animation", doc.fileId()) + "," + p))
        .isEqualTo("Bad Request: can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup");
    assertThat(album(String.join(",", java.util.Collections.nCopies(11, p))))
        .isEqualTo("Bad Request: too much messages to send as an album");
    assertThat(album(p)).startsWith("Bad Request:");
    assertThat(api.sent(CH)).isEmpty();

    BotHttp.Resp ok = http.json("sendMediaGroup", "{\"chat_id\":\"" + CH + "\",\"media\":[" + d + "," + d + "]}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.result()).hasSize(2);
    List<SentMessage> sent = api.sent(CH);
    assertThat(sent).extracting(SentMessage::fileIdUsed).containsOnly(doc.fileId());
    assertThat(sent).extracting(SentMessage::sha256Hex).containsOnly(doc.content().sha256Hex());
    assertThat(ok.result().get(0).get("message_id").asInt() + 1).isEqualTo(ok.result().get(1).get("message_id").asInt());
  }

  @Test
  void aMultipartAlbumMixesAKnownFileIdWithAnUploadAndUnknownFileIdsGetTelegramsTexts() throws Exception {
    FileRef video = channel.post().video(FileContent.random(5, 300_000), "v.mp4", "video/mp4", 640, 360, 5).publish()
        .files().get(0);
    byte[] photo = FileContent.jpeg(6, 320, 240).open(0).readAllBytes();
    String media = "[" + item("video", video.fileId()) + "," + item("photo", "attach://p0") + "]";
    HttpResponse<String> r = multipart("sendMediaGroup", Map.of("media", media), "p0", photo);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<SentMessage> sent = api.sent(CH);
    assertThat(sent).extracting(SentMessage::fileIdUsed).containsExactly(video.fileId(), null);
    assertThat(sent).extracting(SentMessage::sha256Hex).containsExactly(video.content().sha256Hex(),
        FileContent.bytes(photo).sha256Hex());
    assertThat(sent.get(0).mediaGroupId()).isNotNull().isEqualTo(sent.get(1).mediaGroupId());

    // well-formed but never issued by this server (another bot's), and not a file_id at all
    String foreign = "BQACAgQAAx0C" + "Ab_-".repeat(16);
    BotHttp.Resp unknown = http.form("sendDocument", "chat_id=" + CH + "&document=" + foreign);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("description").asText())
        .isEqualTo("Bad Request: wrong file identifier/HTTP URL specified");
    HttpResponse<String> inAlbum = multipart("sendMediaGroup", Map.of("media", "[" + item("video", foreign)
        + "," + item("photo", "attach://p0") + "]"), "p0", photo);
    assertThat(inAlbum.statusCode()).isEqualTo(400);
    assertThat(inAlbum.body()).contains("Bad Request: wrong file identifier/HTTP URL specified");
    BotHttp.Resp malformed = http.form("sendVideo", "chat_id=" + CH + "&video=not+a+file_id%21");
    assertThat(malformed.json().get("description").asText())
        .isEqualTo("Bad Request: wrong remote file identifier specified: Wrong character in the string");
    assertThat(api.sent(CH)).as("nothing more was posted").hasSize(2);
  }

  @Test
  void formEncodedSendsForwardsCopiesAndDeletes() throws Exception {
    PublishedPost orig = channel.post().document(FileContent.random(1, 100), "a.pdf", "application/pdf")
        .caption("orig").authorSignature("Anna K.").publish();
    String fileId = orig.files().get(0).fileId();
    BotHttp.Resp sent = http.form("sendDocument", "chat_id=" + CH + "&document=" + fileId
        + "&caption=c&caption_entities=%5B%7B%22type%22%3A%22bold%22%2C%22offset%22%3A0%2C%22length%22%3A1%7D%5D");
    assertThat(sent.status()).isEqualTo(200);
    JsonNode msg = sent.result();
    assertThat(msg.get("sender_chat").get("id").asLong()).isEqualTo(CH);
    assertThat(msg.get("caption_entities").get(0).get("type").asText()).isEqualTo("bold");
    assertThat(api.sent(CH).get(0).entities().get(0).get("type").asText()).isEqualTo("bold");
    assertThat(api.sent(CH).get(0).fileIdUsed()).isEqualTo(fileId);

    long owner = 5550001111L;
    JsonNode fwd = http.json("forwardMessage", "{\"chat_id\":" + owner + ",\"from_chat_id\":\"" + CH
        + "\",\"message_id\":" + orig.messageId() + "}").result();
    assertThat(fwd.get("forward_origin").get("type").asText()).isEqualTo("channel");
    assertThat(fwd.get("forward_origin").get("message_id").asInt()).isEqualTo(orig.messageId());
    assertThat(fwd.get("forward_from_chat").get("id").asLong()).isEqualTo(CH);
    assertThat(fwd.get("document").get("file_unique_id").asText()).isEqualTo(orig.files().get(0).fileUniqueId());
    assertThat(fwd.get("from").get("is_bot").asBoolean()).isTrue();
    BotHttp.Resp missing = http.json("forwardMessage", "{\"chat_id\":" + owner + ",\"from_chat_id\":" + CH
        + ",\"message_id\":999}");
    assertThat(missing.json().get("description").asText()).isEqualTo("Bad Request: message to forward not found");
    JsonNode copy = http.json("copyMessage", "{\"chat_id\":" + owner + ",\"from_chat_id\":" + CH
        + ",\"message_id\":" + orig.messageId() + "}").result();
    assertThat(copy.fieldNames()).toIterable().containsExactly("message_id");
    assertThat(http.json("deleteMessage", "{\"chat_id\":" + owner + ",\"message_id\":" + fwd.get("message_id")
        + "}").raw()).isEqualTo("{\"ok\":true,\"result\":true}");
    assertThat(http.json("deleteMessage", "{\"chat_id\":" + owner + ",\"message_id\":" + fwd.get("message_id")
        + "}").status()).isEqualTo(400);
    assertThat(api.sent(owner)).extracting(SentMessage::method).containsExactly("forwardmessage", "copymessage");
    assertThat(api.pendingUpdates()).isEqualTo(1);
  }

  @Test
  void uploadLimits() throws Exception {
    // an 11 MB photo is refused (10 MB cloud photo limit)
    byte[] big = FileContent.random(3, 11L << 20).open(0).readAllBytes();
    HttpResponse<String> r = multipart("sendPhoto", "photo", "p.jpg", big);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Bad Request: file is too big");
    assertThat(api.sent(CH)).isEmpty();

    // an oversize multipart body gets nginx's HTML 413 without being read
    try (Socket s = new Socket("127.0.0.1", api.port())) {
      OutputStream out = s.getOutputStream();
      out.write(("POST /bot" + api.token() + "/sendVideo HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: multipart/form-data; boundary=zz\r\nContent-Length: 60000000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      StringBuilder sb = new StringBuilder();
      byte[] buf = new byte[1024];
      while (!sb.toString().contains("</html>")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
      }
      String head = sb.toString();
      assertThat(head).startsWith("HTTP/1.1 413").contains("text/html").contains("413 Request Entity Too Large");
    }
  }

  @Test
  void floodWaitShapeAndRecordedTimes() throws Exception {
    api.faults().floodWait("SENDMESSAGE", 3, 2);
    String body = "{\"chat_id\":\"" + CH + "\",\"text\":\"x\"}";
    BotHttp.Resp r = http.json("sendmessage", body);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(r.raw()).isEqualTo("{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
        + "\"parameters\":{\"retry_after\":3}}");
    assertThat(http.json("sendMessage", body).status()).isEqualTo(429);
    assertThat(http.json("getMe", "{}").status()).isEqualTo(200);
    assertThat(http.json("sendMessage", body).status()).isEqualTo(200);
    List<RecordedRequest> reqs = api.requests();
    assertThat(reqs).extracting(RecordedRequest::httpStatus).containsExactly(429, 429, 200, 200);
    assertThat(reqs.get(3).at()).isAfterOrEqualTo(reqs.get(0).at());
    assertThat(reqs.get(0).params().get("text").asText()).isEqualTo("x");
  }

  @Test
  void serverErrorsDropsAndDelays() throws Exception {
    api.faults().serverError("getMe", 502, 1);
    api.faults().serverError("*", 500, 1);
    BotHttp.Resp nginx = http.json("getMe", "{}");
    assertThat(nginx.status()).isEqualTo(502);
    assertThat(nginx.headers().firstValue("Content-Type")).hasValue("text/html");
    assertThat(nginx.raw()).contains("<center><h1>502 Bad Gateway</h1></center>");
    BotHttp.Resp json = http.json("getMe", "{}");
    assertThat(json.raw()).isEqualTo("{\"ok\":false,\"error_code\":500,\"description\":\"Internal Server Error\"}");
    assertThat(http.json("getMe", "{}").status()).isEqualTo(200);

    api.faults().dropConnection("sendMessage", 1);
    HttpRequest post = HttpRequest.newBuilder(URI.create(http.botUrl("sendMessage")))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"chat_id\":" + CH + ",\"text\":\"x\"}")).build();
    assertThatThrownBy(() -> http.client.send(post, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
    assertThat(api.sent(CH)).isEmpty();

    api.faults().delay("getme", Duration.ofMillis(300), 1);
    long t0 = System.nanoTime();
    assertThat(http.json("getMe", "{}").status()).isEqualTo(200);
    assertThat(System.nanoTime() - t0).isGreaterThan(280_000_000L);
  }

  private HttpResponse<String> multipart(String method, String field, String name, byte[] data) throws Exception {
    return multipart(method, Map.of(field, "attach://" + name), name, data);
  }

  /** A multipart send with text {@code fields} and one file part {@code name}. */
  private HttpResponse<String> multipart(String method, Map<String, String> fields, String name, byte[] data)
      throws Exception {
    String b = "xXbOuNdArYxX";
    StringBuilder text = new StringBuilder("--" + b + "\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n"
        + CH + "\r\n");
    fields.forEach((k, v) -> text.append("--").append(b).append("\r\nContent-Disposition: form-data; name=\"")
        .append(k).append("\"\r\n\r\n").append(v).append("\r\n"));
    byte[] head = (text + "--" + b
        + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest req = HttpRequest.newBuilder(URI.create(http.botUrl(method)))
        .header("Content-Type", "multipart/form-data; boundary=" + b)
        .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, data, tail))).build();
    return http.client.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private String album(String items) throws Exception {
    BotHttp.Resp r = http.json("sendMediaGroup", "{\"chat_id\":\"" + CH + "\",\"media\":[" + items + "]}");
    assertThat(r.status()).isEqualTo(400);
    return r.json().get("description").asText();
  }

  private static String item(String type, String media) {
    return "{\"type\":\"" + type + "\",\"media\":\"" + media + "\"}";
  }

  private static FileRef last(List<FileRef> files) {
    return files.get(files.size() - 1);
  }
}
