package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * setWebhook / deleteWebhook / getWebhookInfo and the delivery loop of the real server
 * (BOTAPI §5): while a webhook is set, each pending update is POSTed alone as JSON with the
 * secret header, one in flight per chat (so a chat's order holds), chats in parallel up to
 * max_connections. Any 2xx delivers it; anything else is retried, first at once, then after
 * 2 s, 4 s, ... (the base is {@link FakeBotApi.Options#webhookRetryBase}), and recorded as
 * last_error_date / last_error_message.
 */
final class FakeWebhook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeWebhook.class);
  static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  private static final Set<Integer> CLOUD_PORTS = Set.of(80, 88, 443, 8443);
  private static final int DEFAULT_MAX_CONNECTIONS = 40;
  private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(400, "Bad Request"),
      Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
      Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"), Map.entry(410, "Gone"),
      Map.entry(413, "Payload Too Large"), Map.entry(429, "Too Many Requests"),
      Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"));

  /** Retry state of one chat's head update. */
  private static final class ChatRetry {
    int failures;
    long notBeforeNanos;
  }

  private final UpdateQueue queue;
  private final FakeBotApi.Options options;
  private final java.time.Clock clock;
  private final HttpClient http;
  private final ExecutorService senders;
  private final Thread loop;
  private final Object lock = new Object();
  // guarded by lock
  private String url = "";
  private String secret;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private JsonNode allowedUpdates;
  private long lastErrorDate;
  private String lastErrorMessage;
  private long generation; // a new webhook forgets the old one's retries
  private final Set<Long> inFlight = new HashSet<>();
  private final Map<Long, ChatRetry> retries = new HashMap<>();
  private volatile boolean closed;

  FakeWebhook(UpdateQueue queue, FakeBotApi.Options options) {
    this.queue = queue;
    this.options = options;
    this.clock = options.clock();
    AtomicInteger n = new AtomicInteger();
    this.senders = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fakebot-webhook-send-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).executor(senders).build();
    this.loop = new Thread(this::deliverForever, "fakebot-webhook");
    loop.setDaemon(true);
    loop.start();
  }

  private boolean localRules() {
    return options.localMode() || options.localWebhooks();
  }

  /** setWebhook; an empty url removes the webhook like deleteWebhook. */
  Router.Reply set(Params p) {
    String newUrl = p.str("url") == null ? "" : p.str("url").trim();
    String newSecret = p.str("secret_token");
    if (newSecret != null && !newSecret.isEmpty()) {
      if (newSecret.length() > 256) {
        throw ApiException.badRequest("secret token is too long");
      }
      if (!newSecret.matches("[A-Za-z0-9_-]+")) {
        throw ApiException.badRequest("secret token contains unallowed characters");
      }
    } else {
      newSecret = null;
    }
    if (newUrl.isEmpty()) {
      return delete(p.bool("drop_pending_updates"));
    }
    checkUrl(newUrl);
    int max = Math.max(1, Math.min(localRules() ? 100_000 : 100, p.intOr("max_connections", DEFAULT_MAX_CONNECTIONS)));
    JsonNode allowed = p.json("allowed_updates");
    if (p.bool("drop_pending_updates")) {
      queue.clear();
    }
    boolean same;
    synchronized (lock) {
      same = newUrl.equals(url) && Objects.equals(newSecret, secret) && max == maxConnections
          && (allowed == null || allowed.equals(allowedUpdates));
      if (!same) {
        if (!newUrl.equals(url)) {
          lastErrorDate = 0;
          lastErrorMessage = null;
        }
        url = newUrl;
        secret = newSecret;
        maxConnections = max;
        generation++;
        retries.clear();
      }
      if (allowed != null && allowed.isArray()) {
        allowedUpdates = allowed;
      }
    }
    if (allowed != null) {
      queue.setAllowed(allowed);
    }
    queue.webhookActive(true);
    return new Router.Reply(BooleanNode.TRUE, same ? "Webhook is already set" : "Webhook was set");
  }

  /** The real server's checks; a server started with --local lifts the HTTPS and port rules (BOTAPI §3.4, §5). */
  private void checkUrl(String value) {
    URI u;
    try {
      u = new URI(value);
    } catch (URISyntaxException e) {
      throw ApiException.badRequest("bad webhook: Wrong HTTP URL"); // text not confirmed in BOTAPI.md
    }
    if (u.getScheme() == null || u.getHost() == null
        || !(u.getScheme().equalsIgnoreCase("https") || u.getScheme().equalsIgnoreCase("http"))) {
      throw ApiException.badRequest("bad webhook: Wrong HTTP URL"); // text not confirmed in BOTAPI.md
    }
    if (localRules()) {
      return;
    }
    if (!u.getScheme().equalsIgnoreCase("https")) {
      throw ApiException.badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    int port = u.getPort() < 0 ? 443 : u.getPort();
    if (!CLOUD_PORTS.contains(port)) {
      throw ApiException.badRequest("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
    }
  }

  Router.Reply delete(boolean dropPending) {
    boolean was;
    synchronized (lock) {
      was = !url.isEmpty();
      url = "";
      secret = null;
      lastErrorDate = 0;
      lastErrorMessage = null;
      generation++;
      retries.clear();
    }
    if (dropPending) {
      queue.clear();
    }
    queue.webhookActive(false);
    return new Router.Reply(BooleanNode.TRUE, was ? "Webhook was deleted" : "Webhook is already deleted");
  }

  ObjectNode info() {
    ObjectNode n = Json.object();
    synchronized (lock) {
      n.put("url", url);
      n.put("has_custom_certificate", false);
      n.put("pending_update_count", queue.pending());
      if (lastErrorDate > 0) {
        n.put("last_error_date", lastErrorDate);
        n.put("last_error_message", lastErrorMessage);
      }
      if (!url.isEmpty()) {
        n.put("max_connections", maxConnections);
        if (allowedUpdates != null) {
          n.set("allowed_updates", allowedUpdates);
        }
      }
    }
    return n;
  }

  String url() {
    synchronized (lock) {
      return url;
    }
  }

  private void deliverForever() {
    while (!closed) {
      try {
        long wait = dispatch();
        queue.awaitChange(wait);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("webhook delivery loop failed", e);
      }
    }
  }

  /** Starts what may be sent now; returns how long to wait before looking again. */
  private long dispatch() {
    long maxWait = TimeUnit.SECONDS.toNanos(1);
    synchronized (lock) {
      if (url.isEmpty()) {
        return maxWait;
      }
      long now = System.nanoTime();
      long[] nextRetry = {Long.MAX_VALUE};
      List<UpdateQueue.Entry> heads = queue.heads(chat -> {
        if (inFlight.contains(chat)) {
          return false;
        }
        ChatRetry r = retries.get(chat);
        if (r != null && r.notBeforeNanos > now) {
          nextRetry[0] = Math.min(nextRetry[0], r.notBeforeNanos);
          return false;
        }
        return true;
      }, maxConnections - inFlight.size());
      for (UpdateQueue.Entry e : heads) {
        inFlight.add(e.chatId());
        String to = url;
        String withSecret = secret;
        long gen = generation;
        senders.execute(() -> send(e, to, withSecret, gen));
      }
      return nextRetry[0] == Long.MAX_VALUE ? maxWait : Math.max(1, Math.min(maxWait, nextRetry[0] - now));
    }
  }

  private void send(UpdateQueue.Entry e, String to, String withSecret, long gen) {
    String error = null;
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(to)).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(e.json())));
      if (withSecret != null) {
        req.header(SECRET_HEADER, withSecret);
      }
      HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() / 100 != 2) {
        error = "Wrong response from the webhook: " + r.statusCode() + " " + REASONS.getOrDefault(r.statusCode(), "");
      }
    } catch (HttpConnectTimeoutException ex) {
      error = "Connection timed out";
    } catch (HttpTimeoutException ex) {
      error = "Read timeout expired";
    } catch (ConnectException ex) {
      error = "Connection refused";
    } catch (IOException | RuntimeException ex) {
      error = "Connection reset by peer";
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      error = "Connection closed";
    }
    synchronized (lock) {
      inFlight.remove(e.chatId());
      if (error == null) {
        queue.remove(e.id()); // delivered, whatever happened to the webhook meanwhile
        retries.remove(e.chatId());
      } else if (gen == generation) {
        lastErrorDate = clock.instant().getEpochSecond();
        lastErrorMessage = error.trim();
        ChatRetry r = retries.computeIfAbsent(e.chatId(), c -> new ChatRetry());
        r.failures++;
        r.notBeforeNanos = System.nanoTime() + retryDelay(r.failures).toNanos();
        log.debug("webhook delivery of update {} to {} failed ({}), try {}", e.id(), to, error, r.failures);
      }
    }
    queue.poke();
  }

  /** After the n-th failure: at once, then base, 2 base, 4 base, ... capped at a random 30-60 base (60-120 s). */
  private Duration retryDelay(int failures) {
    if (failures <= 1) {
      return Duration.ZERO;
    }
    Duration base = options.webhookRetryBase();
    long factor = 1L << Math.min(20, failures - 2);
    long capFactor = 30 + ThreadLocalRandom.current().nextInt(31);
    return base.multipliedBy(Math.min(factor, capFactor));
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    senders.shutdownNow();
  }
}
