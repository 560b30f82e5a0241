package org.channelmirror.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Set;
import org.channelmirror.app.Application;
import org.channelmirror.app.CompilerPolicy;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.ChannelStatus;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigLoader;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.MessageEntityJson;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.intake.Intake;
import org.channelmirror.telegram.BotApi;

/**
 * DESIGN's intake target, at least 5,000 updates/s committed to the embedded catalog, measured
 * through the product's own path: {@link Intake#drain} polls the fake Bot API over HTTP (getUpdates,
 * 100 a call, as against Telegram), normalises each update and commits each batch with its offset
 * to an H2 file opened by {@link Application#openCatalog}, as every command opens it (durable
 * commits, {@code WRITE_DELAY=0}; {@code AUTO_SERVER}).
 * The fake runs in this JVM and shares its two cores, so the figure is a lower bound. The JIT is
 * the service's ({@code run} keeps C2); {@code -Dbench.jitPolicy=true} applies the one-shot
 * commands' policy instead. Each round is a fresh catalog, fake and queue; the first round includes warm-up.
 *
 * <p>The queue is a realistic mix: 70% text posts with entities, 20% photos with captions, 10%
 * edits of earlier posts. Each round drains a queue twice: through intake, and as the baseline
 * through getUpdates alone. Usage: {@code IntakeThroughput [updates=20000] [rounds=3]}.
 */
public final class IntakeThroughput {
  private static final long CHAT = -1001234567890L;

  public static void main(String[] args) throws Exception {
    int updates = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (Boolean.getBoolean("bench.jitPolicy")) {
      CompilerPolicy.applyInBackground(); // as for the one-shot commands (`sync`); `run` keeps the full JIT
    }
    for (int round = 1; round <= rounds; round++) {
      for (boolean commit : new boolean[] {true, false}) {
        drainOnce(round, commit, updates);
      }
    }
  }

  /**
   * One drain on a fresh fake and catalog. The baseline ({@code commit} false) fetches the same
   * updates through the same client and offsets but neither normalises nor commits them: what the
   * fake and the HTTP round trips cost by themselves.
   */
  private static void drainOnce(int round, boolean commit, int updates) throws Exception {
    Path dir = Files.createTempDirectory("cm-intake-bench");
    try (FakeBotApi fake = FakeBotApi.start(FakeBotApi.Options.defaults())) {
      Channel channel = fake.channel(CHAT, "bench", "bench");
      publish(channel, updates);
      Config config = new ConfigLoader(name -> null).parse(String.join("\n",
          "telegram:",
          "  token: \"" + fake.token() + "\"",
          "  apiUrl: " + fake.baseUrl(),
          "  channels: [" + CHAT + "]",
          "storage:",
          "  bucket: bench",
          "catalog:",
          "  url: jdbc:h2:file:" + dir.resolve("catalog"),
          "dataDir: " + dir,
          ""), "intake-bench");
      BotApi api = new BotApi(config.telegram(), Clock.systemUTC());
      try (Catalog catalog = Application.openCatalog(config)) {
        long t0 = System.nanoTime();
        int received = commit ? new Intake(api, catalog, Set.of(CHAT), (chat, from, text) -> { }).drain()
            : pollOnly(api);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long posts = catalog.channelStatus(java.util.List.of(CHAT)).stream().mapToLong(ChannelStatus::versions).sum();
        if (received != updates) {
          throw new IllegalStateException("received " + received + " of " + updates + " updates");
        }
        System.out.printf(Locale.ROOT, "round %d, %-22s %d updates (%d post versions committed) in %.2f s: %.0f"
            + " updates/s%n", round, commit ? "intake:" : "getUpdates alone:", received, posts, seconds,
            received / seconds);
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static int pollOnly(BotApi api) throws InterruptedException {
    long offset = 0;
    int total = 0;
    while (true) {
      JsonNode result = api.getUpdates(offset, 100, 0).get("result");
      if (result.isEmpty()) {
        return total;
      }
      total += result.size();
      offset = result.get(result.size() - 1).get("update_id").asLong() + 1;
    }
  }

  private static void publish(Channel channel, int updates) {
    PublishedPost last = null;
    for (int i = 0; i < updates; i++) {
      String text = "Post " + i + ": the quick brown fox jumps over the lazy dog, with a #tag and a link.";
      MessageEntityJson bold = MessageEntityJson.of("bold", 0, 4);
      MessageEntityJson tag = MessageEntityJson.of("hashtag", text.indexOf('#'), 4);
      if (i % 10 == 9 && last != null) {
        channel.edit(last.messageId()).text(text + " (edited)", bold, tag).publish();
      } else if (i % 10 >= 7) {
        last = channel.post().photo(FileContent.random(i, 50_000)).caption(text, bold, tag).publish();
      } else {
        last = channel.post().text(text, bold, tag).publish();
      }
    }
  }

  /** Removes a harness's temporary directory and everything in it. */
  static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
