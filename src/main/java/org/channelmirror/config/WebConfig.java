package org.channelmirror.config;

/**
 * The service's HTTP endpoint for health checks and status ({@code web.listen}).
 *
 * @param host address to bind, e.g. {@code 127.0.0.1} (this machine only) or {@code 0.0.0.0}
 * @param port port to bind; 0 picks a free one (logged); -1 means no endpoint (the default)
 */
public record WebConfig(String host, int port) {
  public static final WebConfig OFF = new WebConfig("", -1);

  public boolean enabled() {
    return port >= 0;
  }

  /** {@code web.listen} as written: {@code host:port}, or "" when off. */
  public String listen() {
    return enabled() ? host + ":" + port : "";
  }
}
