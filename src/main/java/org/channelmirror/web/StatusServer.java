package org.channelmirror.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.channelmirror.config.WebConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP endpoint ({@code web.listen}): {@code GET /health} for container and
 * service managers (200 when healthy, 503 when not, a JSON body saying why either way),
 * {@code GET /api/status}, the JSON of {@code status --json}, and {@code GET /metrics} for
 * Prometheus. Read-only, no secrets (the bodies pass the redactor), on the JDK's own HTTP server:
 * three read-only endpoints do not need a web framework.
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

  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  public static StatusServer start(WebConfig config, Supplier<Response> health, Supplier<String> status,
                                   Supplier<String> metrics) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 16);
    } catch (IOException e) {
      throw new IOException("cannot listen on web.listen " + config.listen() + ": " + e.getMessage()
          + " (is the port in use? choose another one in web.listen)", e);
    }
    server.createContext("/", ex -> {
      try {
        String path = ex.getRequestURI().getPath();
        if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
          send(ex, Response.json(405, "{\"error\":\"only GET\"}"));
        } else if (path.equals("/health")) {
          send(ex, health.get());
        } else if (path.equals("/api/status")) {
          send(ex, Response.json(200, status.get()));
        } else if (path.equals("/metrics")) {
          send(ex, new Response(200, PROMETHEUS_TEXT, metrics.get()));
        } else {
          send(ex, Response.json(404,
              "{\"error\":\"not found\",\"endpoints\":[\"/health\",\"/api/status\",\"/metrics\"]}"));
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

  private static void send(HttpExchange ex, Response r) throws IOException {
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(r.code(), head ? -1 : body.length);
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
