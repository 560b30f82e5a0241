package org.channelmirror.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Bot API access.
 *
 * @param apiUrl base URL of the Bot API server (cloud, self-hosted or the fake), no path
 * @param localMode true when that server runs with {@code --local}: files are read from the
 *     absolute path getFile returns, and there is no 20 MB download limit
 * @param localRoot when set, local-mode paths must lie under it (a path outside is refused)
 * @param channels chat ids to mirror; every other chat is ignored and left
 * @param owners user ids allowed to talk to the bot in private chats
 * @param requestsPerSecond global budget for Bot API calls (0: unlimited, e.g. a local server)
 * @param webhook webhook intake instead of long polling, or {@link WebhookConfig#OFF}
 */
public record TelegramConfig(
    Secret token,
    URI apiUrl,
    boolean localMode,
    Path localRoot,
    List<Long> channels,
    List<Long> owners,
    int pollTimeoutSeconds,
    double requestsPerSecond,
    WebhookConfig webhook) {

  /** 20 MiB: the cloud Bot API refuses getFile on anything larger. */
  public static final long CLOUD_DOWNLOAD_LIMIT = 20L * 1024 * 1024;

  /** The bot's user id: the digits before the token's ':' (each bot has its own update queue). */
  public long botId() {
    String t = token.reveal();
    // the config allows up to 20 digits; real ids are far shorter, and a longer one must not crash
    return new java.math.BigInteger(t.substring(0, t.indexOf(':'))).longValue();
  }

  /** Identifies the download capability, so refusals are retried when it changes. */
  public String downloadMode() {
    return (localMode ? "local " : "cloud ") + apiUrl;
  }
}
