package org.channelmirror.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.WebhookConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint Telegram delivers updates to (through the owner's reverse proxy): accepts
 * {@code POST} on the webhook URL's path with the right secret header, and answers 200 only once
 * the update is committed, so whatever is not on disk is delivered again by Telegram.
 */
public final class WebhookServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  /** Telegram's queue refuses updates over 512 KiB; 4 MiB leaves room and still bounds memory per request. */
  static final int BODY_LIMIT = 4 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where delivered updates go. */
  public interface Deliveries {
    /** Commits one update; returns only when it is durable. Throws when it could not be committed. */
    void commit(JsonNode update) throws InterruptedException;

    /** Records a body that cannot be an update (answered 200 anyway: a resend would be the same). */
    void unusable(String reason, String body);
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final String path;
  private final byte[] secret;
  private final Deliveries deliveries;
  private final AtomicLong lastRefusalLog = new AtomicLong();
  private final AtomicInteger refusals = new AtomicInteger();

  private WebhookServer(HttpServer server, ExecutorService threads, String path, String secret,
                        Deliveries deliveries) {
    this.server = server;
    this.threads = threads;
    this.path = path;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.deliveries = deliveries;
  }

  /** Binds {@code telegram.webhook.listen} and serves the URL's path. */
  public static WebhookServer start(WebhookConfig config, String secret, Deliveries deliveries) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
    } catch (IOException e) {
      throw new IOException("cannot listen on telegram.webhook.listen " + config.listen() + ": " + e.getMessage()
          + " (is the port in use? choose another one in telegram.webhook.listen)", e);
    }
    AtomicInteger n = new AtomicInteger();
    // commits are serialised anyway; a few threads let a slow commit not hold up the 401s and 404s
    ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "webhook-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    WebhookServer ws = new WebhookServer(server, threads, config.path(), secret, deliveries);
    server.createContext("/", ws::handle);
    server.setExecutor(threads);
    server.start();
    return ws;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) {
    try {
      if (!ex.getRequestURI().getRawPath().equals(path)) {
        answer(ex, 404);
      } else if (!ex.getRequestMethod().equals("POST")) {
        ex.getResponseHeaders().set("Allow", "POST");
        answer(ex, 405);
      } else if (!secretMatches(ex.getRequestHeaders().getFirst(SECRET_HEADER))) {
        // the header's value is never logged: it may be a near miss of the real one
        refused(ex.getRemoteAddress().getAddress().getHostAddress());
        answer(ex, 401);
      } else {
        deliver(ex);
      }
    } catch (IOException e) {
      log.debug("webhook: connection failed: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("webhook: request failed: {}", Secrets.redact(e.toString()), e);
      try {
        answer(ex, 500);
      } catch (IOException | RuntimeException ignored) {
        // the response may have started already; closing below ends it
      }
    } finally {
      ex.close();
    }
  }

  /** Says so at most once a minute: whoever sends them must not be able to flood the log. */
  private void refused(String from) {
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    int count = refusals.incrementAndGet();
    if ((last == 0 || now - last > TimeUnit.MINUTES.toNanos(1)) && lastRefusalLog.compareAndSet(last, now)) {
      refusals.set(0);
      log.warn("webhook: refused {} request(s) without the right secret token (401), the latest from {}", count, from);
    }
  }

  private boolean secretMatches(String given) {
    // constant time: how much of a guess matched must not show in the response time
    return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret);
  }

  private void deliver(HttpExchange ex) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null && length.strip().matches("\\d{1,18}") && Long.parseLong(length.strip()) > BODY_LIMIT) {
      answer(ex, 413);
      return;
    }
    byte[] body = readAtMost(ex.getRequestBody(), BODY_LIMIT);
    if (body == null) {
      answer(ex, 413);
      return;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode update;
    try {
      update = JSON.readTree(text);
    } catch (JacksonException e) {
      update = null;
    }
    try {
      if (update == null || !update.isObject()) {
        deliveries.unusable("a webhook request's body is not a JSON update object", text);
      } else {
        deliveries.commit(update);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer(ex, 503); // stopping: Telegram delivers it again
      return;
    } catch (RuntimeException e) {
      // nothing is acknowledged that is not on disk: Telegram retries
      log.warn("webhook: could not commit update {} ({}); answered 500, Telegram will deliver it again",
          update == null ? "?" : update.path("update_id").asText("?"), Secrets.redact(String.valueOf(e.getMessage())));
      answer(ex, 500);
      return;
    }
    answer(ex, 200);
  }

  /** The whole body, or null when it is longer than {@code limit}. */
  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] data = in.readNBytes(limit + 1);
    return data.length > limit ? null : data;
  }

  private static void answer(HttpExchange ex, int status) throws IOException {
    // an empty body: a 2xx body could carry a Bot API method call, which Telegram would execute
    ex.sendResponseHeaders(status, -1);
  }

  @Override
  public void close() {
    server.stop(2); // lets a commit in progress answer; the rest Telegram delivers again
    threads.shutdownNow();
  }
}
