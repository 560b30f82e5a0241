package org.channelmirror.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.PostBuilder;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;
import org.channelmirror.storage.StorageException;

/**
 * DESIGN's latency target, post-to-durable p99 under 10 s with a 5 s schedule for files under
 * 20 MB, measured on the real service: {@code java -jar channel-mirror.jar run} in a process of
 * its own, with {@code schedule.backup: "*&#47;5 * * * * ?"} and every other setting at its default
 * (long polling, 25 Bot API requests/s), against the fake Bot API and S3Proxy in this JVM.
 *
 * <p>Posts arrive at random (Poisson) times, about {@code rate} a second for {@code seconds}: one
 * file each of 0.1-19 MB (documents, videos and photos), and every tenth an album of three. A post
 * counts as durable when its manifest in the bucket says {@code "complete": true}, which the
 * service writes only after every file of the post is stored; the bucket is listed every 100 ms.
 * Latency is from the moment the fake queued the update to the listing that first showed it.
 *
 * <p>Usage: {@code BackupLatency <jar> [seconds=120] [rate=1.0]}.
 */
public final class BackupLatency {
  private static final long CHAT = -1001234567890L;
  private static final String SCHEDULE = "*/5 * * * * ?";

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    Path dir = Files.createTempDirectory("cm-latency-bench");
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
         FakeBotApi fake = FakeBotApi.start(FakeBotApi.Options.defaults())) {
      Channel channel = fake.channel(CHAT, "bench", "bench");
      Path config = dir.resolve("channel-mirror.yaml");
      Files.writeString(config, String.join("\n",
          "telegram:",
          "  token: \"" + fake.token() + "\"",
          "  apiUrl: " + fake.baseUrl(),
          "  channels: [" + CHAT + "]",
          "storage:",
          "  endpoint: " + s3.endpoint(),
          "  bucket: latency",
          "  accessKeyId: " + s3.accessKeyId(),
          "  secretAccessKey: " + s3.secretAccessKey(),
          "catalog:",
          "  url: jdbc:h2:file:" + dir.resolve("catalog"),
          "schedule:",
          "  backup: \"" + SCHEDULE + "\"",
          "dataDir: " + dir,
          ""));
      Path log = dir.resolve("run.log");
      Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar.toString(), "--config", config.toString(), "run")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try (ObjectStore bucket = ObjectStore.connect(S3Settings.of(s3.endpoint(), "", "latency", "", true,
          s3.accessKeyId(), s3.secretAccessKey()))) {
        awaitStarted(log, service);
        Map<Long, Long> published = new ConcurrentHashMap<>();
        Thread publisher = new Thread(() -> publish(channel, seconds, rate, published), "publisher");
        publisher.start();
        Map<Long, Long> durable = watch(bucket, published, publisher, TimeUnit.SECONDS.toNanos(seconds + 120));
        report(published, durable);
      } finally {
        service.destroy(); // SIGTERM: the service stops cleanly
        service.waitFor(60, TimeUnit.SECONDS);
      }
    } finally {
      IntakeThroughput.deleteTree(dir);
    }
  }

  private static void awaitStarted(Path log, Process service) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains("channel-mirror is running")) {
      if (!service.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("the service did not start:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  private static void publish(Channel channel, int seconds, double rate, Map<Long, Long> published) {
    Random random = new Random(42);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long seed = 1;
    int n = 0;
    try {
      while (System.nanoTime() < end) {
        Thread.sleep((long) (-Math.log(1 - random.nextDouble()) / rate * 1000)); // Poisson arrivals
        n++;
        if (n % 10 == 0) {
          String group = "album-" + n;
          for (int i = 0; i < 3; i++) {
            record(published, media(channel.post().mediaGroup(group), random, seed++, 5_000_000)
                .caption("album " + n + " item " + i).publish());
          }
        } else {
          record(published, media(channel.post(), random, seed++, 19_000_000).caption("post " + n).publish());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static PostBuilder media(PostBuilder post, Random random, long seed, int maxSize) {
    long size = 100_000 + (long) (random.nextDouble() * (maxSize - 100_000));
    FileContent content = FileContent.random(seed, size);
    return switch (random.nextInt(3)) {
      case 0 -> post.document(content, "file-" + seed + ".bin", "application/octet-stream");
      case 1 -> post.video(content, "clip-" + seed + ".mp4", "video/mp4", 1280, 720, 30);
      default -> post.photo(content);
    };
  }

  private static void record(Map<Long, Long> published, PublishedPost post) {
    published.put((long) post.messageId(), System.nanoTime());
  }

  /** Lists the manifests every 100 ms until every published post is complete or time runs out. */
  private static Map<Long, Long> watch(ObjectStore bucket, Map<Long, Long> published, Thread publisher,
                                       long timeoutNanos) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<Long, Long> durable = new HashMap<>();
    Map<String, String> seenEtags = new HashMap<>();
    long deadline = System.nanoTime() + timeoutNanos;
    String prefix = "channels/" + CHAT + "/posts/";
    while (System.nanoTime() < deadline && (publisher.isAlive() || durable.size() < published.size())) {
      long now = System.nanoTime();
      for (ObjectInfo o : bucket.list(prefix)) {
        // listings may lack ETags; a rewrite from incomplete to complete changes the size
        String version = o.etag() + " " + o.size() + " " + o.lastModified();
        if (version.equals(seenEtags.put(o.key(), version))) {
          continue;
        }
        JsonNode manifest;
        try {
          manifest = json.readTree(bucket.getBytes(o.key()));
        } catch (StorageException e) {
          seenEtags.remove(o.key()); // being rewritten: read it on the next round
          continue;
        }
        long message = manifest.path("message_id").asLong();
        if (manifest.path("complete").asBoolean() && published.containsKey(message)) {
          durable.putIfAbsent(message, now);
        }
      }
      Thread.sleep(100);
    }
    return durable;
  }

  private static void report(Map<Long, Long> published, Map<Long, Long> durable) {
    List<Double> latencies = new ArrayList<>();
    durable.forEach((message, at) -> latencies.add((at - published.get(message)) / 1e9));
    latencies.sort(Double::compare);
    int missing = published.size() - durable.size();
    System.out.printf(Locale.ROOT, "posts: %d published, %d durable, %d not durable in time%n",
        published.size(), durable.size(), missing);
    if (!latencies.isEmpty()) {
      System.out.printf(Locale.ROOT, "post-to-durable latency (schedule %s): p50 %.1f s  p90 %.1f s  p99 %.1f s"
          + "  max %.1f s%n", SCHEDULE, pct(latencies, 50), pct(latencies, 90), pct(latencies, 99),
          latencies.get(latencies.size() - 1));
    }
  }

  private static double pct(List<Double> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
