package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for every request: {@code /bot<token>[/test]/<method>} (Bot API), {@code /file/bot<token>/<path>}
 * (downloads), {@code /control/...} (control API); anything else is 404 like the real server.
 */
final class Router implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Router.class);
  /** nginx's client_max_body_size in front of the cloud API: 50 MB of file plus some form overhead. */
  static final long CLOUD_BODY_LIMIT = (50L << 20) + (2L << 20);
  static final long CLOUD_UPLOAD_LIMIT = 50L << 20;
  static final long LOCAL_UPLOAD_LIMIT = 2000L << 20;

  /** One Bot API method: returns the result, or a {@link Reply} to add a description. */
  interface Method {
    Object call(Params p) throws Exception;
  }

  record Reply(JsonNode result, String description) {}

  private final FakeBotApi api;
  private final Map<String, Method> methods = new HashMap<>();
  private final FileServer files;
  private final ControlApi control;
  private final Set<String> uploadMethods;

  Router(FakeBotApi api) {
    this.api = api;
    new BotMethods(api).register(methods);
    SendMethods send = new SendMethods(api);
    send.register(methods);
    this.uploadMethods = SendMethods.UPLOAD_METHODS;
    this.files = new FileServer(api, this);
    this.control = new ControlApi(api);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      if (path.startsWith("/file/bot")) {
        files.handle(ex);
      } else if (path.startsWith("/bot")) {
        bot(ex, path.substring(4));
      } else if (path.startsWith("/control/")) {
        control.handle(ex, path.substring("/control/".length()));
      } else {
        HttpIo.json(ex, 404, Json.error(404, "Not Found", null));
      }
    } catch (IOException e) {
      log.debug("I/O error on {}: {}", ex.getRequestURI(), e.toString());
    } catch (RuntimeException e) {
      log.warn("fake Bot API failed on {}", ex.getRequestURI(), e);
      try {
        HttpIo.json(ex, 500, Json.error(500, "Internal Server Error", null));
      } catch (IOException | RuntimeException ignored) {
        // headers may already be out; the connection is closed below
      }
    } finally {
      ex.close();
    }
  }

  private void bot(HttpExchange ex, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String token = slash < 0 ? rest : rest.substring(0, slash);
    String name = slash < 0 ? "" : rest.substring(slash + 1);
    if (name.startsWith("test/")) {
      name = name.substring(5);
    }
    String method = name.toLowerCase(Locale.ROOT);
    Recorder.Call call = api.recorder.begin(method, null);
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (!api.files.localMode() && uploadMethods.contains(method) && length != null
        && Long.parseLong(length.trim()) > CLOUD_BODY_LIMIT) {
      call.status(413);
      HttpIo.nginx(ex, 413);
      return;
    }
    Params p;
    try {
      p = Params.parse(ex, api.spoolDir, api.files.localMode() ? LOCAL_UPLOAD_LIMIT : CLOUD_UPLOAD_LIMIT);
    } catch (ApiException e) {
      reply(ex, call, e.code, Json.error(e.code, e.getMessage(), null));
      return;
    }
    call.params(p.recorded());
    if (method.isEmpty() && p.has("method")) {
      method = p.str("method").toLowerCase(Locale.ROOT);
    }
    if (!wellFormed(token)) {
      reply(ex, call, 401, Json.error(401, "Unauthorized: invalid token specified", null));
      return;
    }
    if (!token.equals(api.token())) {
      reply(ex, call, 401, Json.error(401, "Unauthorized", null));
      return;
    }
    Method m = methods.get(method);
    if (m == null) {
      reply(ex, call, 404, Json.error(404, "Not Found: method not found", null));
      return;
    }
    if (injectFault(ex, call, method)) {
      return;
    }
    try {
      Object r = m.call(p);
      ObjectNode body = r instanceof Reply rep ? Json.ok(rep.result(), rep.description()) : Json.ok((JsonNode) r, null);
      reply(ex, call, 200, body);
    } catch (ApiException e) {
      reply(ex, call, e.code, Json.error(e.code, e.getMessage(), null));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      log.warn("method {} failed", method, e);
      reply(ex, call, 500, Json.error(500, "Internal Server Error", null));
    }
  }

  /** Applies a scripted delay and failure; true when the request was answered (or dropped). */
  boolean injectFault(HttpExchange ex, Recorder.Call call, String method) throws IOException {
    Duration d = api.faults().takeDelay(method);
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        HttpIo.drop(ex);
        return true;
      }
    }
    Faults.Failure f = api.faults().takeFailure(method);
    if (f == null) {
      return false;
    }
    switch (f.type()) {
      case FLOOD -> {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(f.value()));
        reply(ex, call, 429, Json.floodWait(f.value()));
      }
      case SERVER_ERROR -> {
        call.status(f.value());
        if (f.value() == 502) {
          HttpIo.nginx(ex, 502);
        } else {
          HttpIo.json(ex, f.value(), Json.error(f.value(), describe5xx(f.value()), null));
        }
      }
      case UNAVAILABLE -> {
        ex.getResponseHeaders().set("Retry-After", Integer.toString(f.value()));
        reply(ex, call, 503, Json.error(503, describe5xx(503), null));
      }
      case DROP -> HttpIo.drop(ex);
    }
    return true;
  }

  private static String describe5xx(int status) {
    return switch (status) {
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status >= 500 ? "Internal Server Error" : "Bad Request: error " + status;
    };
  }

  private static void reply(HttpExchange ex, Recorder.Call call, int status, JsonNode body) throws IOException {
    call.status(status);
    HttpIo.json(ex, status, body);
  }

  /** The real server's token syntax check (ClientManager.cpp): digits, ':', no '/', <= 80 chars. */
  static boolean wellFormed(String token) {
    int colon = token.indexOf(':');
    if (colon <= 0 || token.length() > 80 || token.startsWith("0") || token.contains("/")) {
      return false;
    }
    String id = token.substring(0, colon);
    if (!id.chars().allMatch(Character::isDigit) || id.length() > 17) {
      return false;
    }
    return Long.parseLong(id) < (1L << 54);
  }
}
