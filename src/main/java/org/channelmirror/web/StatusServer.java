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
 * service managers (200 when healthy, 503 when not, a JSON body saying why either way) and
 * {@code GET /api/status}, the JSON of {@code status --json}. Read-only, no secrets (the bodies
 * pass the redactor), on the JDK's own HTTP server: two endpoints do not need a web framework.
 * Bind it to 127.0.0.1 unless something outside the machine must reach it: it has no login.
 */
public final class StatusServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatusServer.class);

  /** A status code and a JSON body. */
  public record Response(int code, String json) {}

  private final HttpServer server;
  private final ExecutorService threads;

  private StatusServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  public static StatusServer start(WebConfig config, Supplier<Response> health, Supplier<String> status)
      throws IOException {
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
          send(ex, new Response(405, "{\"error\":\"only GET\"}"));
        } else if (path.equals("/health")) {
          send(ex, health.get());
        } else if (path.equals("/api/status")) {
          send(ex, new Response(200, status.get()));
        } else {
          send(ex, new Response(404, "{\"error\":\"not found\",\"endpoints\":[\"/health\",\"/api/status\"]}"));
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
    byte[] body = r.json().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
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
