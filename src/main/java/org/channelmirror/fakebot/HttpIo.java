package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writing responses. */
final class HttpIo {
  private static final Map<Integer, String> REASONS = Map.of(413, "Request Entity Too Large", 502, "Bad Gateway",
      503, "Service Temporarily Unavailable", 504, "Gateway Time-out", 500, "Internal Server Error");

  private HttpIo() {}

  static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, "application/json", Json.bytes(body));
  }

  static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** The HTML error page nginx in front of api.telegram.org answers with (not JSON: clients must cope). */
  static void nginx(HttpExchange ex, int status) throws IOException {
    String reason = REASONS.getOrDefault(status, "Error");
    String page = "<html>\r\n<head><title>" + status + " " + reason + "</title></head>\r\n<body>\r\n<center><h1>"
        + status + " " + reason + "</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n";
    send(ex, status, "text/html", page.getBytes(StandardCharsets.US_ASCII));
  }

  /** Closes the connection without a response (the JDK server closes the socket when no headers were sent). */
  static void drop(HttpExchange ex) {
    ex.close();
  }
}
