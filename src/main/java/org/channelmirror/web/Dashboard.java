package org.channelmirror.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files: one page of vanilla JavaScript that polls {@code api/status} and
 * {@code health}, its stylesheet, and what makes it an installable app (web manifest, service
 * worker, icons). Read from the jar once; served by name only (no file system path is ever built
 * from a request), with an ETag so a browser revalidates instead of downloading them again.
 */
final class Dashboard {
  /** A file as served: its content type, bytes and entity tag. */
  record Asset(String contentType, byte[] body, String etag) {}

  private static final String DIR = "/org/channelmirror/web/dashboard/";
  private static final Map<String, String> FILES = new LinkedHashMap<>();

  static {
    FILES.put("index.html", "text/html; charset=utf-8");
    FILES.put("app.js", "text/javascript; charset=utf-8");
    FILES.put("app.css", "text/css; charset=utf-8");
    FILES.put("sw.js", "text/javascript; charset=utf-8");
    FILES.put("manifest.webmanifest", "application/manifest+json; charset=utf-8");
    FILES.put("icon.svg", "image/svg+xml");
    FILES.put("icon-192.png", "image/png");
    FILES.put("icon-512.png", "image/png");
  }

  /** The service worker's cache is named after this, so a new jar replaces the cached files. */
  private static final String VERSION_MARK = "@VERSION@";

  private final Map<String, Asset> assets;

  private Dashboard(Map<String, Asset> assets) {
    this.assets = assets;
  }

  static Dashboard load() {
    Map<String, byte[]> bodies = new LinkedHashMap<>();
    MessageDigest all = sha256();
    for (String name : FILES.keySet()) {
      byte[] body = read(name);
      bodies.put(name, body);
      all.update(body);
    }
    String version = HexFormat.of().formatHex(all.digest(), 0, 8);
    bodies.put("sw.js", new String(bodies.get("sw.js"), StandardCharsets.UTF_8).replace(VERSION_MARK, version)
        .getBytes(StandardCharsets.UTF_8));
    Map<String, Asset> assets = new LinkedHashMap<>();
    bodies.forEach((name, body) -> assets.put(name, new Asset(FILES.get(name), body,
        "\"" + HexFormat.of().formatHex(sha256().digest(body), 0, 12) + "\"")));
    return new Dashboard(Map.copyOf(assets));
  }

  /** The file for a request path ({@code /} is the page itself), if it is one of the dashboard's. */
  Optional<Asset> find(String path) {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    return Optional.ofNullable(assets.get(name));
  }

  private static byte[] read(String name) {
    try (InputStream in = Dashboard.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks the dashboard file " + DIR + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
