package org.channelmirror.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import org.channelmirror.config.ConfigException;
import org.channelmirror.config.Secret;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.WebhookConfig;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.telegram.Retries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook intake for the service: binds the local endpoint first, then registers the URL with
 * setWebhook (at every start, with this start's secret token), then asks getWebhookInfo
 * periodically so health can tell when Telegram cannot deliver, and registers the webhook again
 * when it was deleted or re-registered with another secret. Closing stops the endpoint and
 * leaves the webhook registered: Telegram keeps queuing updates until the service is back.
 */
public final class WebhookIntake implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookIntake.class);
  private static final int REGISTER_ATTEMPTS = 6;

  /** Hears what getWebhookInfo answers. */
  public interface Observer {
    void info(ObjectNode webhookInfo);

    void checkFailed(String error);
  }

  private final WebhookServer server;
  private final Thread monitor;

  private WebhookIntake(WebhookServer server, Thread monitor) {
    this.server = server;
    this.monitor = monitor;
  }

  /**
   * Serves the webhook, registers it, and starts checking it every {@code checkEvery}.
   *
   * @throws ConfigException Telegram refused the URL (the message says what to change)
   * @throws IOException the listen address cannot be bound
   */
  public static WebhookIntake start(BotApi api, WebhookConfig config, boolean localBotApi,
                                    WebhookServer.Deliveries deliveries, Observer observer, Duration checkEvery)
      throws IOException, InterruptedException {
    Secret secret = config.secretToken() != null ? config.secretToken() : Secret.of(randomSecret());
    WebhookServer server = WebhookServer.start(config, secret.reveal(), deliveries);
    try {
      register(api, config, secret, localBotApi);
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    log.info("webhook: Telegram delivers to {} (listening on {}:{})", Secrets.redact(config.url().toString()),
        server.address().getHostString(), server.address().getPort());
    Thread monitor = new Thread(() -> monitor(api, config, secret, localBotApi, observer, checkEvery), "webhook-check");
    monitor.setDaemon(true);
    monitor.start();
    return new WebhookIntake(server, monitor);
  }

  public java.net.InetSocketAddress address() {
    return server.address();
  }

  /** 32 random bytes as URL-safe base64: 43 characters of [A-Za-z0-9_-], Telegram's alphabet for secret_token. */
  static String randomSecret() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static void register(BotApi api, WebhookConfig config, Secret secret, boolean localBotApi)
      throws InterruptedException {
    String url = config.url().toString();
    String before = registeredUrl(api);
    try {
      String said = Retries.call("setWebhook", REGISTER_ATTEMPTS,
          () -> api.setWebhook(url, secret.reveal(), config.maxConnections()));
      log.debug("setWebhook: {}", said);
    } catch (BotApiException e) {
      if (e.errorCode() == 400) {
        throw new ConfigException("telegram.webhook.url " + Secrets.redact(url) + ": Telegram refused it ("
            + e.getMessage() + "). " + hint(localBotApi));
      }
      throw e;
    }
    if (!before.isEmpty() && !before.equals(url)) {
      // another program (or an earlier configuration) got this token's updates until now, and gets none from here on
      log.warn("webhook: replaced the webhook {} that was registered for this bot token; whatever served it"
          + " receives no updates from now on", Secrets.redact(before));
    }
  }

  /** The URL registered at Telegram now ("" for none, or when the server cannot say): only for the log. */
  private static String registeredUrl(BotApi api) throws InterruptedException {
    try {
      return api.webhookInfo().path("url").asText("");
    } catch (RuntimeException e) { // BotApiException too: a server without getWebhookInfo
      log.debug("getWebhookInfo before setWebhook: {}", Secrets.redact(e.toString()));
      return "";
    }
  }

  private static String hint(boolean localBotApi) {
    return localBotApi
        ? "Check that the URL is reachable from the Bot API server."
        : "The Bot API delivers only to an https:// URL on port 443, 80, 88 or 8443 with a certificate from a"
            + " public authority (put a reverse proxy such as nginx or Caddy in front of telegram.webhook.listen);"
            + " http:// and other ports work only with a self-hosted Bot API server started with --local"
            + " (telegram.localMode: true). Or remove telegram.webhook.url to use long polling.";
  }

  /**
   * How soon after re-registering a second change counts as a tug of war: then the service stops
   * registering and reports, instead of fighting another program that uses this bot token.
   */
  static final Duration HEAL_WINDOW = Duration.ofMinutes(10);

  /**
   * Checks the webhook every {@code every} and repairs what only loses updates: a webhook that was
   * deleted, or our URL registered with a secret token other than ours (Telegram then gets 401
   * from us). Telegram delivering to another URL is left alone and reported: someone chose that.
   */
  private static void monitor(BotApi api, WebhookConfig config, Secret secret, boolean localBotApi, Observer observer,
                              Duration every) {
    String ourUrl = config.url().toString();
    long registeredAt = System.currentTimeMillis() / 1000;
    Long lastHeal = null;
    String lastProblem = null;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        ObjectNode info = api.webhookInfo();
        String repairable = repairable(info, ourUrl, registeredAt);
        long now = System.currentTimeMillis();
        if (repairable != null && (lastHeal == null || now - lastHeal > HEAL_WINDOW.toMillis())) {
          register(api, config, secret, localBotApi);
          lastHeal = now;
          registeredAt = now / 1000;
          log.warn("webhook: {}; registered {} again", repairable, Secrets.redact(ourUrl));
          info = api.webhookInfo();
          repairable = repairable(info, ourUrl, registeredAt);
        }
        observer.info(info);
        String registered = info.path("url").asText("");
        String problem = repairable != null ? repairable
            : registered.equals(ourUrl) ? null : "Telegram now delivers to " + registered;
        if (problem != null && !Objects.equals(problem, lastProblem)) {
          // still repairable here means repaired less than HEAL_WINDOW ago, and broken again
          log.error("webhook: {}, so updates no longer reach this service{}", Secrets.redact(problem), repairable != null
              ? ", again within " + HEAL_WINDOW.toMinutes() + " minutes of registering it: another program that uses"
                  + " this bot token keeps changing it; stop it, then restart the service"
              : "; restart it to register " + Secrets.redact(ourUrl) + " again");
        } else if (problem == null && lastProblem != null) {
          log.info("webhook: registered to this service again");
        }
        lastProblem = problem;
      } catch (BotApiException | ConfigException e) {
        observer.checkFailed("getWebhookInfo: " + e.getMessage());
        log.warn("webhook: could not check the webhook at Telegram: {}", e.getMessage());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        observer.checkFailed("getWebhookInfo: " + e);
        log.warn("webhook: checking the webhook failed: {}", Secrets.redact(e.toString()));
      }
      try {
        Thread.sleep(every.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * What registering again would repair, or null: the webhook was deleted, or our URL was
   * registered with another secret (Telegram reports a 401 from us, newer than our registration
   * at {@code registeredAt}, epoch seconds, while updates wait).
   */
  private static String repairable(ObjectNode info, String ourUrl, long registeredAt) {
    String registered = info.path("url").asText("");
    if (registered.isEmpty()) {
      return "the webhook was deleted at Telegram";
    }
    boolean refusedByUs = registered.equals(ourUrl) && info.path("pending_update_count").asInt(0) > 0
        && info.path("last_error_date").asLong(0) > registeredAt
        && info.path("last_error_message").asText("").contains("401");
    return refusedByUs
        ? "our URL was registered again with a secret token that is not this service's (deliveries get 401)" : null;
  }

  @Override
  public void close() {
    monitor.interrupt();
    server.close();
  }
}
