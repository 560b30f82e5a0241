package org.channelmirror.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.channelmirror.config.WebConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoint ({@code web.listen}): the dashboard at {@code /} (an installable
 * web app, {@link Dashboard}), {@code GET /health} for container and service managers (200 when
 * healthy, 503 when not, a JSON body saying why either way), {@code GET /api/status}, the JSON of
 * {@code status --json} ({@code ?problems=N} lists only the first N media items not stored),
 * {@code GET /api/posts} (the latest post versions, {@code ?limit=N&chat=ID}), and
 * {@code GET /metrics} for Prometheus. Read-only, no secrets (the bodies pass the redactor), on
 * the JDK's own HTTP server: a handful of read-only endpoints do not need a web framework.
 * Bind it to 127.0.0.1 unless something outside the machine must reach it: it has no login.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

  /** A status code, a content type and a body. */
  public record Response(int code, String contentType, String body) {
    public static Response json(int code, String json) {
      return new Response(code, "application/json; charset=utf-8", json);
    }
  }

  /** Prometheus' text exposition format. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** The dashboard loads only its own files and talks only to this server. */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:;"
      + " object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final int MAX_PROBLEMS_PARAM = 100_000;
  private static final int MAX_POSTS_PARAM = 500;
  private static final int DEFAULT_POSTS = 50;

  private final HttpServer server;
  private final ExecutorService threads;
  private final ExecutorService reads;

  private StatusServer(HttpServer server, ExecutorService threads, ExecutorService reads) {
    this.server = server;
    this.threads = threads;
    this.reads = reads;
  }

  /** What the endpoints answer, read when asked (the service's health, the catalog). */
  public interface Sources {
    /** {@code /health}: 200 or 503, with the reasons. */
    Response health();

    /** {@code /api/status}: the JSON of {@code status --json}, listing at most {@code maxProblems} media not stored. */
    String status(int maxProblems);

    /** {@code /api/posts}: the latest {@code limit} post versions, of one channel or (null) all. */
    String posts(Long chatId, int limit);

    /** {@code /metrics}: Prometheus text. */
    String metrics();
  }

  public static StatusServer start(WebConfig config, Sources sources) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
    } catch (IOException e) {
      throw new IOException("cannot listen on web.listen " + config.listen() + ": " + e.getMessage()
          + " (is the port in use? choose another one in web.listen)", e);
    }
    Dashboard dashboard = Dashboard.load();
    // /health is answered on the server's own threads and everything that reads the catalog on
    // others: a probe must not queue behind dashboard or Prometheus reads that wait 30 s for an
    // unreachable database (Health bounds its own catalog question to 3 s)
    ExecutorService reads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "web-read");
      t.setDaemon(true);
      return t;
    });
    server.createContext("/", ex -> {
      if (ex.getRequestURI().getPath().equals("/health")) {
        answer(ex, sources, dashboard);
      } else {
        reads.execute(() -> answer(ex, sources, dashboard));
      }
    });
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "web");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.start();
    return new StatusServer(server, threads, reads);
  }

  private static void answer(HttpExchange ex, Sources sources, Dashboard dashboard) {
    try {
      respond(ex, sources, dashboard);
    } catch (IOException e) {
      // the client went away while it was answered
    } finally {
      ex.close();
    }
  }

  private static void respond(HttpExchange ex, Sources sources, Dashboard dashboard) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      Optional<Dashboard.Asset> asset = dashboard.find(path);
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, Response.json(405, "{\"error\":\"only GET\"}"));
      } else if (path.equals("/health")) {
        send(ex, sources.health());
      } else if (path.equals("/api/status")) {
        Query q = Query.parse(ex.getRequestURI().getRawQuery());
        send(ex, Response.json(200, sources.status(q.number("problems", 0, MAX_PROBLEMS_PARAM, Integer.MAX_VALUE))));
      } else if (path.equals("/api/posts")) {
        Query q = Query.parse(ex.getRequestURI().getRawQuery());
        int limit = q.number("limit", 1, MAX_POSTS_PARAM, DEFAULT_POSTS);
        send(ex, Response.json(200, sources.posts(q.chatId("chat"), limit)));
      } else if (path.equals("/metrics")) {
        send(ex, new Response(200, PROMETHEUS_TEXT, sources.metrics()));
      } else if (asset.isPresent()) {
        send(ex, asset.get());
      } else {
        send(ex, Response.json(404,
            "{\"error\":\"not found\",\"endpoints\":[\"/\",\"/health\",\"/api/status\",\"/api/posts\",\"/metrics\"]}"));
      }
    } catch (BadRequest e) {
      send(ex, Response.json(400, "{\"error\":\"" + e.getMessage() + "\"}"));
    } catch (RuntimeException e) {
      log.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
      try {
        send(ex, Response.json(500, "{\"error\":\"the service could not answer; its log says why\"}"));
      } catch (IOException ignored) {
        // the answer had begun: closing the exchange ends it
      }
    }
  }

  /** Where it listens (the port chosen, when web.listen asked for 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** A client's mistake in a query parameter: answered 400 with the message. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  /** The parameters of a query string (plain names and numbers: nothing here needs decoding). */
  record Query(Map<String, String> values) {
    static Query parse(String rawQuery) {
      Map<String, String> values = new HashMap<>();
      if (rawQuery != null) {
        for (String pair : rawQuery.split("&")) {
          int eq = pair.indexOf('=');
          values.putIfAbsent(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
      return new Query(values);
    }

    String value(String name) {
      return values.get(name);
    }

    /** The parameter as a chat id, or null when it is not given. */
    Long chatId(String name) {
      String v = values.get(name);
      if (v == null) {
        return null;
      }
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new BadRequest(name + " must be a chat id such as -1001234567890");
      }
    }

    /** The parameter as a number from {@code min} to {@code max}, or {@code absent} when it is not given. */
    int number(String name, int min, int max, int absent) {
      String v = values.get(name);
      if (v == null) {
        return absent;
      }
      if (!v.matches("\\d{1,9}") || Integer.parseInt(v) < min || Integer.parseInt(v) > max) {
        throw new BadRequest(name + " must be a number from " + min + " to " + max);
      }
      return Integer.parseInt(v);
    }
  }

  private static void send(HttpExchange ex, Response r) throws IOException {
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    send(ex, r.code(), r.contentType(), r.body().getBytes(StandardCharsets.UTF_8));
  }

  /** A dashboard file: revalidated by ETag on every load, so a new jar's files show at once. */
  private static void send(HttpExchange ex, Dashboard.Asset a) throws IOException {
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.getResponseHeaders().set("ETag", a.etag());
    ex.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    if (a.etag().equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
      ex.sendResponseHeaders(304, -1);
      return;
    }
    send(ex, 200, a.contentType(), a.body());
  }

  private static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    reads.shutdownNow();
  }
}
