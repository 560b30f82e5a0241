package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request parameters from the query string and a urlencoded, JSON or multipart body. Form/multipart values are
 * strings (nested values are JSON text, parsed on demand by {@link #json}); JSON bodies keep their real types.
 */
final class Params {
  private static final int MAX_TEXT_PART = 4 << 20;
  final ObjectNode values = Json.object();
  final Map<String, Upload> uploads = new LinkedHashMap<>();

  static Params parse(HttpExchange ex, Path spoolDir, long keepLimit) throws IOException {
    Params p = new Params();
    String query = ex.getRequestURI().getRawQuery();
    if (query != null) {
      p.putUrlEncoded(query);
    }
    String ct = ex.getRequestHeaders().getFirst("Content-Type");
    String type = ct == null ? "" : ct.toLowerCase(Locale.ROOT);
    InputStream body = ex.getRequestBody();
    if (type.startsWith("multipart/form-data")) {
      String boundary = MultipartReader.boundaryOf(ct);
      if (boundary == null) {
        throw ApiException.badRequest("invalid multipart boundary");
      }
      p.putMultipart(new MultipartReader(body, boundary), spoolDir, keepLimit);
    } else if (type.startsWith("application/json")) {
      JsonNode n = Json.parseOrNull(new String(body.readAllBytes(), StandardCharsets.UTF_8));
      if (n != null && n.isObject()) {
        n.properties().forEach(e -> p.values.set(e.getKey(), e.getValue()));
      } else if (n == null) {
        throw ApiException.badRequest("can't parse JSON object");
      }
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      p.putUrlEncoded(new String(body.readAllBytes(), StandardCharsets.UTF_8));
    }
    return p;
  }

  private void putUrlEncoded(String s) {
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      values.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
  }

  private void putMultipart(MultipartReader r, Path spoolDir, long keepLimit) throws IOException {
    for (MultipartReader.PartHeaders h; (h = r.next()) != null; ) {
      if (h.name() == null) {
        r.body(null);
      } else if (h.fileName() != null) {
        UploadSink sink = new UploadSink(spoolDir, keepLimit);
        r.body(sink);
        uploads.put(h.name(), sink.finish(h.name(), h.fileName(), h.contentType()));
      } else {
        ByteArrayOutputStream text = new CappedBuffer();
        r.body(text);
        values.put(h.name(), text.toString(StandardCharsets.UTF_8));
      }
    }
  }

  boolean has(String name) {
    JsonNode n = values.get(name);
    return n != null && !n.isNull();
  }

  String str(String name) {
    JsonNode n = values.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isValueNode() ? n.asText() : n.toString();
  }

  /** Accepts numbers and numeric strings (TelegramBots sends chat_id as a string); null when absent or not a number. */
  Long longOrNull(String name) {
    JsonNode n = values.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.asLong();
    }
    try {
      return Long.parseLong(n.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  int intOr(String name, int def) {
    Long v = longOrNull(name);
    return v == null ? def : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  boolean bool(String name) {
    String s = str(name);
    return s != null && (s.equalsIgnoreCase("true") || s.equals("1"));
  }

  /** A nested value: real JSON from JSON bodies, or a JSON string from form bodies; null if absent or unparsable. */
  JsonNode json(String name) {
    JsonNode n = values.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isTextual() ? Json.parseOrNull(n.asText()) : n;
  }

  /** What {@link RecordedRequest#params()} shows: all values plus a summary of each uploaded part. */
  ObjectNode recorded() {
    ObjectNode r = values.deepCopy();
    uploads.forEach((name, u) -> {
      ObjectNode o = r.putObject(name);
      o.put("fileName", u.fileName());
      o.put("size", u.size());
      o.put("sha256", u.sha256Hex());
    });
    return r;
  }

  /** Keeps text fields bounded; anything beyond the cap is dropped. */
  private static final class CappedBuffer extends ByteArrayOutputStream {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = MAX_TEXT_PART - count;
      if (room > 0) {
        super.write(b, off, Math.min(room, len));
      }
    }
  }

  static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }
}
