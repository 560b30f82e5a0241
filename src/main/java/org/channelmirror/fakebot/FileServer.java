package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /file/bot<token>/<file_path>} in cloud mode: streams the content with Content-Length and single-range
 * support (206/416). The real open-source server does not serve files; in local mode this answers 404 like it
 * unless {@link FakeBotApi#serveLocalFiles(boolean)} emulates a static file server in front of its directory.
 */
final class FileServer {
  private static final int CHUNK = 1 << 20;
  private static final Map<String, String> TYPES = Map.of("jpg", "image/jpeg", "mp4", "video/mp4", "pdf",
      "application/pdf", "mp3", "audio/mpeg", "oga", "audio/ogg", "webp", "image/webp", "webm", "video/webm");

  private final FakeBotApi api;
  private final Router router;

  FileServer(FakeBotApi api, Router router) {
    this.api = api;
    this.router = router;
  }

  /** A byte range to send; {@code partial} false means 200 with the whole body. */
  record Span(long start, long length, boolean partial) {}

  void handle(HttpExchange ex) throws IOException {
    String rest = ex.getRequestURI().getPath().substring("/file/bot".length());
    int slash = rest.indexOf('/');
    String token = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String range = ex.getRequestHeaders().getFirst("Range");
    ObjectNode params = Json.object();
    params.put("path", path);
    if (range != null) {
      params.put("range", range);
    } else {
      params.putNull("range");
    }
    Recorder.Call call = api.recorder.begin("file", params);
    FileRef f = token.equals(api.token()) ? api.files.byPath(path) : null;
    if (f == null) {
      call.status(404);
      HttpIo.json(ex, 404, Json.error(404, "Not Found", null));
      return;
    }
    if (router.injectFault(ex, call, "file")) {
      return;
    }
    long size = f.size();
    Span span = api.faults().ignoringRange(range != null) ? new Span(0, size, false) : parseRange(range, size);
    if (span == null) {
      call.status(416);
      ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
      ex.sendResponseHeaders(416, -1);
      return;
    }
    if (span.partial()) {
      sleep(api.faults().rangeDelay(span.start()));
      if (!api.faults().omittingContentRange()) {
        ex.getResponseHeaders().set("Content-Range",
            "bytes " + span.start() + "-" + (span.start() + span.length() - 1) + "/" + size);
      }
    }
    int dot = path.lastIndexOf('.');
    String ext = dot < 0 ? "" : path.substring(dot + 1);
    ex.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
    ex.getResponseHeaders().set("Accept-Ranges", "bytes");
    int status = span.partial() ? 206 : 200;
    call.status(status);
    boolean truncate = api.faults().takeTruncation();
    ex.sendResponseHeaders(status, span.length() == 0 ? -1 : span.length());
    if (span.length() == 0) {
      return;
    }
    OutputStream out = ex.getResponseBody();
    long toSend = truncate ? span.length() / 2 : span.length();
    try (InputStream in = f.content().open(span.start())) {
      copy(in, out, toSend, api.faults().throttle());
    }
    if (truncate) {
      out.flush();
      HttpIo.drop(ex); // fewer bytes than Content-Length: the JDK server closes the connection
    } else {
      out.close();
    }
  }

  /** Single ranges per RFC 9110; multi-range and malformed headers are ignored (full 200). Null = 416. */
  static Span parseRange(String header, long size) {
    Span full = new Span(0, size, false);
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return full;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return full;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long n = Long.parseLong(b);
        if (n <= 0 || size == 0) {
          return null;
        }
        long start = Math.max(0, size - n);
        return new Span(start, size - start, true);
      }
      long start = Long.parseLong(a);
      long end = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
      if (end < start) {
        return full;
      }
      if (start >= size) {
        return null;
      }
      end = Math.min(end, size - 1);
      return new Span(start, end - start + 1, true);
    } catch (NumberFormatException e) {
      return full;
    }
  }

  private static void copy(InputStream in, OutputStream out, long count, long bytesPerSecond) throws IOException {
    int chunk = bytesPerSecond > 0 ? (int) Math.max(1024, Math.min(CHUNK, bytesPerSecond / 20)) : CHUNK;
    byte[] buf = new byte[chunk];
    long sent = 0;
    long t0 = System.nanoTime();
    while (sent < count) {
      int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, count - sent));
      if (n <= 0) {
        throw new IOException("content ended early");
      }
      out.write(buf, 0, n);
      sent += n;
      if (bytesPerSecond > 0) {
        long due = t0 + sent * 1_000_000_000L / bytesPerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          out.flush();
          sleep(Duration.ofNanos(wait));
        }
      }
    }
  }

  private static void sleep(Duration d) throws IOException {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
