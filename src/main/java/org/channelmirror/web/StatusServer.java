package org.channelmirror.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.channelmirror.config.WebConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoint ({@code web.listen}): the dashboard at {@code /} (an installable
 * web app, {@link Dashboard}), {@code GET /health} for container and service managers (200 when
 * healthy, 503 when not, a JSON body saying why either way), {@code GET /api/status}, the JSON of
 * {@code status --json} ({@code ?problems=N} lists only the first N media items not stored), and
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

  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Starts the server.
   *
   * @param status the JSON of {@code status --json}, listing at most the given number of media
   *     items not stored
   */
  public static StatusServer start(WebConfig config, Supplier<Response> health, IntFunction<String> status,
                                   Supplier<String> metrics) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
    } catch (IOException e) {
      throw new IOException("cannot listen on web.listen " + config.listen() + ": " + e.getMessage()
          + " (is the port in use? choose another one in web.listen)", e);
    }
    Dashboard dashboard = Dashboard.load();
    server.createContext("/", ex -> {
      try {
        String path = ex.getRequestURI().getPath();
        Optional<Dashboard.Asset> asset = dashboard.find(path);
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
          send(ex, Response.json(405, "{\"error\":\"only GET\"}"));
        } else if (path.equals("/health")) {
          send(ex, health.get());
        } else if (path.equals("/api/status")) {
          OptionalInt max;
          try {
            max = problemsParam(ex.getRequestURI().getRawQuery());
          } catch (IllegalArgumentException e) {
            send(ex, Response.json(400, "{\"error\":\"" + e.getMessage() + "\"}"));
            return;
          }
          send(ex, Response.json(200, status.apply(max.orElse(Integer.MAX_VALUE))));
        } else if (path.equals("/metrics")) {
          send(ex, new Response(200, PROMETHEUS_TEXT, metrics.get()));
        } else if (asset.isPresent()) {
          send(ex, asset.get());
        } else {
          send(ex, Response.json(404,
              "{\"error\":\"not found\",\"endpoints\":[\"/\",\"/health\",\"/api/status\",\"/metrics\"]}"));
        }
      } catch (RuntimeException e) {
        log.warn("{} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
      } finally {
        ex.close();
      }
    });
    ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "web");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(threads);
    server.start();
    return new StatusServer(server, threads);
  }

  /** Where it listens (the port chosen, when web.listen asked for 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * The {@code problems} parameter of {@code /api/status}, empty when absent.
   *
   * @throws IllegalArgumentException when it is not a number in range
   */
  static OptionalInt problemsParam(String rawQuery) {
    if (rawQuery == null) {
      return OptionalInt.empty();
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("problems=")) {
        String v = pair.substring("problems=".length());
        if (!v.matches("\\d{1,6}") || Integer.parseInt(v) > MAX_PROBLEMS_PARAM) {
          throw new IllegalArgumentException("problems must be a number from 0 to " + MAX_PROBLEMS_PARAM);
        }
        return OptionalInt.of(Integer.parseInt(v));
      }
    }
    return OptionalInt.empty();
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
  }
}
