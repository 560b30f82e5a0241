package org.channelmirror.config;

import java.net.URI;

/**
 * Webhook intake ({@code telegram.webhook.*}): Telegram POSTs each update to {@link #url}, and a
 * reverse proxy forwards it to {@link #host}:{@link #port}. Off (long polling) when url is null.
 *
 * @param url the public URL registered with setWebhook; its path is the path served locally
 * @param host address the webhook server binds
 * @param port port it binds; 0 picks a free one (logged)
 * @param secretToken Telegram's {@code secret_token}, or null to generate a fresh one at each start
 * @param maxConnections setWebhook's {@code max_connections} (1-100), or 0 to leave Telegram's default
 */
public record WebhookConfig(URI url, String host, int port, Secret secretToken, int maxConnections) {
  public static final String DEFAULT_LISTEN = "127.0.0.1:8443";
  public static final WebhookConfig OFF = new WebhookConfig(null, "127.0.0.1", 8443, null, 0);

  public boolean enabled() {
    return url != null;
  }

  /** The path Telegram POSTs to, as served locally ("/" when the URL has none). */
  public String path() {
    String p = url == null ? null : url.getRawPath();
    return p == null || p.isEmpty() ? "/" : p;
  }

  /** {@code telegram.webhook.listen} as written. */
  public String listen() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
