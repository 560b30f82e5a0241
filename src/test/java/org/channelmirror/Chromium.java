package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium, driven by its command line: {@code --dump-dom} prints the DOM after the
 * page has loaded. Missing Chromium skips the test on a laptop but fails it in CI.
 */
public final class Chromium {
  private static final Pattern MEDIA_SRC = Pattern.compile("<(?:img|video|audio)\\b[^>]*?\\ssrc=\"([^\"]*)\"");
  private static final Pattern FILE_LINK = Pattern.compile("<a class=\"file\" href=\"([^\"]*)\"");

  private Chromium() {}

  public static Path binary() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    assertThat(ci).as("Chromium is missing, but CI must run this test (apt-get install -y chromium)").isFalse();
    assumeTrue(false, "Chromium is not installed (apt-get install -y chromium); skipping");
    return null;
  }

  /** The DOM of a local HTML file after it has loaded. */
  public static String dumpDom(Path html, Path profile) throws IOException, InterruptedException {
    return dumpDom(html.toAbsolutePath().toUri(), profile);
  }

  /**
   * The DOM of a page after it has loaded and its scripts have had a few seconds of (virtual)
   * time, enough for their first fetches to be answered and drawn.
   */
  public static String dumpDom(URI page, Path profile) throws IOException, InterruptedException {
    Files.createDirectories(profile);
    Path out = profile.resolveSibling(profile.getFileName() + ".dom.html");
    Process p = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--virtual-time-budget=3000", "--user-data-dir=" + profile.toAbsolutePath(), "--dump-dom", page.toString())
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 90 s");
    }
    assertThat(p.exitValue()).as("chromium exit status").isZero();
    String dom = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(dom).as("chromium printed the DOM").contains("<body");
    return dom;
  }

  public static List<String> mediaSources(String dom) {
    return all(MEDIA_SRC, dom);
  }

  public static List<String> fileLinks(String dom) {
    return all(FILE_LINK, dom);
  }

  private static List<String> all(Pattern p, String dom) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(dom);
    while (m.find()) {
      out.add(m.group(1).replace("&amp;", "&"));
    }
    return out;
  }

  /** The body's text: tags dropped, character references resolved. */
  public static String visibleText(String dom) {
    String body = dom.substring(dom.indexOf("<body"));
    String text = body.replaceAll("(?s)<style.*?</style>", "").replaceAll("<[^>]+>", "");
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
  }
}
