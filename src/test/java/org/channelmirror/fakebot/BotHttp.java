package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain-HTTP access to a FakeBotApi for tests (no Telegram library in between). */
final class BotHttp {
  static final ObjectMapper MAPPER = new ObjectMapper();
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final FakeBotApi api;

  record Resp(int status, HttpHeaders headers, String raw) {
    JsonNode json() {
      try {
        return MAPPER.readTree(raw);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw, e);
      }
    }

    JsonNode result() {
      return json().get("result");
    }
  }

  BotHttp(FakeBotApi api) {
    this.api = api;
  }

  String botUrl(String method) {
    return api.baseUrl() + "/bot" + api.token() + "/" + method;
  }

  Resp json(String method, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(botUrl(method)))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Resp form(String method, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(botUrl(method)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Resp get(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery)).GET().build());
  }

  Resp control(String verb, String path, String body) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body);
    return send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/control/" + path))
        .header("Content-Type", "application/json").method(verb, p).build());
  }

  HttpResponse<byte[]> file(String filePath, String range) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/file/bot" + api.token() + "/"
        + filePath)).timeout(Duration.ofSeconds(60));
    if (range != null) {
      b.header("Range", range);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** getUpdates with JSON params. */
  JsonNode updates(String params) throws IOException, InterruptedException {
    Resp r = json("getUpdates", params);
    if (r.status() != 200) {
      throw new AssertionError("getUpdates failed: " + r.raw());
    }
    return r.result();
  }

  String filePath(String fileId) throws IOException, InterruptedException {
    Resp r = json("getFile", "{\"file_id\":\"" + fileId + "\"}");
    if (r.status() != 200) {
      throw new AssertionError("getFile failed: " + r.raw());
    }
    return r.result().get("file_path").asText();
  }

  private Resp send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Resp(r.statusCode(), r.headers(), r.body());
  }
}
