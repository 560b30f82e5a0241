package org.channelmirror.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.channelmirror.app.Application;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.cli.Cli;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigLoader;
import org.channelmirror.fakebot.Channel;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.fakebot.FileContent;
import org.channelmirror.fakebot.FileRef;
import org.channelmirror.fakebot.MessageEntityJson;
import org.channelmirror.fakebot.PublishedPost;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;
import org.channelmirror.transfer.TransferListener;

/**
 * A disaster-recovery fixture on real servers: an S3-compatible server that outlives the
 * "server" (its own directory, not under the data dir), the fake Bot API with a source channel
 * full of every media kind, albums, formatted captions and edits, and a channel-mirror config.
 */
final class Drill implements AutoCloseable {
  static final long SOURCE = -1001111111111L;
  static final String BUCKET = "drill-bucket";
  static final String PREFIX = "backups/";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path root;
  final EmbeddedS3 s3;
  final FakeBotApi api;
  final Channel source;
  final Path dataDir;
  final Path configFile;
  final List<PublishedPost> published = new ArrayList<>();

  private Drill(Path root, EmbeddedS3 s3, FakeBotApi api) throws IOException {
    this.root = root;
    this.s3 = s3;
    this.api = api;
    this.source = api.channel(SOURCE, "Harbour Diaries", "harbour_diaries");
    this.dataDir = root.resolve("data");
    this.configFile = root.resolve("channel-mirror.yaml");
    Files.writeString(configFile, yaml(api));
  }

  static Drill start(Path root) throws IOException {
    return start(root, store -> store);
  }

  /** With the S3 server's store decorated (to count or refuse requests). */
  static Drill start(Path root, java.util.function.UnaryOperator<org.gaul.s3proxy.blobstore.BlobStore> decorate)
      throws IOException {
    EmbeddedS3 s3 = EmbeddedS3.start(root.resolve("s3-server"), 0, decorate);
    return new Drill(root, s3, FakeBotApi.start(FakeBotApi.Options.defaults()));
  }

  /** A target channel where the bot is an administrator. */
  long target(long chatId) {
    api.channel(chatId, "Restored " + chatId, null);
    return chatId;
  }

  /** A configuration for the same bucket and data directory that talks to {@code bot} instead. */
  Path configFor(FakeBotApi bot, String name) throws IOException {
    Path file = root.resolve(name);
    Files.writeString(file, yaml(bot));
    return file;
  }

  private String yaml(FakeBotApi bot) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("telegram", Map.of("token", bot.token(), "apiUrl", bot.baseUrl(), "channels", List.of(SOURCE)));
    root.put("storage", Map.of("endpoint", s3.endpoint(), "bucket", BUCKET, "prefix", PREFIX,
        "accessKeyId", s3.accessKeyId(), "secretAccessKey", s3.secretAccessKey()));
    root.put("dataDir", dataDir.toString());
    return new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
  }

  Config config() {
    return new ConfigLoader(name -> null).parse(readConfig(), configFile.toString());
  }

  private String readConfig() {
    try {
      return Files.readString(configFile);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every media kind, two albums, formatted text and captions (with emoji, so UTF-16 offsets matter), edits. */
  void publishEverything() {
    String intro = "👋 Welcome! Bold, italic in bold, link, code, spoiler.\nNew line @harbour_diaries #harbour";
    published.add(source.post().text(intro,
        MessageEntityJson.of("bold", intro.indexOf("Bold"), "Bold, italic in bold".length()),
        MessageEntityJson.of("italic", intro.indexOf("italic"), "italic".length()),
        new MessageEntityJson("text_link", intro.indexOf("link"), 4, "https://example.com/a?b=1&c=<2>", null),
        MessageEntityJson.of("code", intro.indexOf("code"), 4),
        MessageEntityJson.of("spoiler", intro.indexOf("spoiler"), 7),
        MessageEntityJson.of("mention", intro.indexOf("@harbour"), "@harbour_diaries".length()),
        MessageEntityJson.of("hashtag", intro.indexOf("#harbour"), "#harbour".length())).publish());
    String sunset = "🌅🌅 Sunset <at> the pier & more";
    PublishedPost photo = source.post().photo(FileContent.jpeg(101, 1280, 853))
        .caption(sunset, MessageEntityJson.of("bold", 5, 6), MessageEntityJson.of("underline", 13, 3)).publish();
    published.add(photo);
    published.add(source.post().video(FileContent.random(102, 300_000), "pier.mp4", "video/mp4", 1920, 1080, 42)
        .caption("Pier timelapse", MessageEntityJson.of("strikethrough", 0, 4)).publish());
    published.add(source.post().animation(FileContent.random(103, 150_000), "waves.mp4", "video/mp4", 480, 270, 3)
        .publish());
    PublishedPost doc = source.post().document(FileContent.random(104, 200_000), "../secret/..\\report 2024 (final).pdf",
        "application/pdf").caption("Q3 report", MessageEntityJson.of("bold", 0, 2)).publish();
    published.add(doc);
    published.add(source.post().audio(FileContent.random(105, 400_000), "harbour.mp3", "audio/mpeg", "Harbour sounds",
        "Anna K.", 95).caption("Listen").publish());
    published.add(source.post().voice(FileContent.random(106, 30_000), "audio/ogg", 4).publish());
    published.add(source.post().videoNote(FileContent.random(107, 120_000), 240, 6).publish());
    published.add(source.post().sticker(FileContent.random(108, 20_000), "😀", false, false).publish());
    published.add(source.post().mediaGroup("album-1").photo(FileContent.jpeg(109, 1024, 768))
        .caption("Weekend album", MessageEntityJson.of("italic", 0, 7)).publish());
    published.add(source.post().mediaGroup("album-1")
        .video(FileContent.random(110, 250_000), "boats.mp4", "video/mp4", 1080, 1920, 9).publish());
    published.add(source.post().mediaGroup("album-1").photo(FileContent.jpeg(111, 768, 1024))
        .caption("third").publish());
    published.add(source.post().mediaGroup("album-2")
        .document(FileContent.random(112, 50_000), "a.txt", "text/plain").caption("doc A").publish());
    published.add(source.post().mediaGroup("album-2")
        .document(FileContent.random(113, 60_000), "b.txt", "text/plain").caption("doc B",
            MessageEntityJson.of("code", 4, 1)).publish());
    // edits: a caption, a text, and a replaced file
    String edited = "🌅 Sunset at the pier (edited)";
    published.add(source.edit(photo.messageId()).caption(edited, MessageEntityJson.of("bold", 3, 6)).publish());
    published.add(source.edit(published.get(0).messageId()).text("Welcome (edited) 🎉",
        MessageEntityJson.of("italic", 9, 6)).publish());
    published.add(source.edit(doc.messageId()).document(FileContent.random(114, 210_000), "report-v2.pdf",
        "application/pdf").caption("Q3 report v2", MessageEntityJson.of("bold", 0, 2)).publish());
  }

  /** One sync through the real Application into the bucket. */
  BackupReport backup() throws InterruptedException {
    try (Application app = Application.start(config())) {
      return app.sync(TransferListener.NONE);
    }
  }

  /** The server is gone: only the bucket is left. */
  void loseServer() throws IOException {
    if (Files.exists(dataDir)) {
      try (Stream<Path> all = Files.walk(dataDir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  ObjectStore store() {
    return ObjectStore.connect(S3Settings.of(s3.endpoint(), "us-east-1", BUCKET, PREFIX, true, s3.accessKeyId(),
        s3.secretAccessKey()));
  }

  /** The file of the object on the S3 server's disk. */
  Path objectFile(String key) {
    return s3.root().resolve(BUCKET).resolve(key);
  }

  /** What the target chat must end up with: each post's latest version, in message order. */
  List<Expected> expected() {
    Map<Integer, PublishedPost> latest = new TreeMap<>();
    published.forEach(p -> latest.put(p.messageId(), p));
    List<Expected> out = new ArrayList<>();
    for (PublishedPost p : latest.values()) {
      JsonNode m = p.message();
      String kind = null;
      for (String k : List.of("photo", "video", "animation", "audio", "voice", "video_note", "sticker", "document")) {
        if (m.has(k)) {
          kind = k;
          break;
        }
      }
      FileRef file = p.files().isEmpty() ? null : p.files().get(p.files().size() - 1);
      out.add(new Expected(p.messageId(), kind, file == null ? null : file.content().sha256Hex(),
          m.path(kind == null ? "text" : "caption").asText(null),
          m.get(kind == null ? "entities" : "caption_entities"), m.path("media_group_id").asText(null)));
    }
    return out;
  }

  /** One post as the target must receive it. */
  record Expected(int messageId, String kind, String sha256, String text, JsonNode entities, String mediaGroupId) {}

  /** Runs the command line in this JVM; returns the exit code and what it printed on stdout. */
  Result cli(String... args) {
    return cliWith(configFile, args);
  }

  /** {@link #cli} with another configuration file. */
  Result cliWith(Path config, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "-c";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    synchronized (Drill.class) {
      PrintStream old = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      try {
        int code = Cli.execute(all);
        return new Result(code, buf.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(old);
      }
    }
  }

  record Result(int exitCode, String out) {}

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new IllegalStateException(s, e);
    }
  }

  @Override
  public void close() {
    api.close();
    s3.close();
  }
}
