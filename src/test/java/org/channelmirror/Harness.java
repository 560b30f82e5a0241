package org.channelmirror;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.channelmirror.cli.Cli;
import org.channelmirror.fakebot.FakeBotApi;
import org.channelmirror.storage.EmbeddedS3;
import org.channelmirror.storage.ObjectInfo;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.S3Settings;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A world for end-to-end tests: a fake Bot API and a real S3-compatible server, both on
 * loopback, and a config file pointing channel-mirror at them. The product reaches both over
 * HTTP exactly as it would reach Telegram and a cloud bucket.
 */
public final class Harness implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String BUCKET = "mirror-test";

  public final Path dir;
  public final FakeBotApi api;
  public final EmbeddedS3 s3;
  public final ObjectStore store;
  public final Path config;
  /** The lines under {@code catalog:}; an H2 file under {@code dir} unless {@link #useCatalog} changes it. */
  private String catalogYaml;
  private List<Long> lastChannels;
  private boolean lastLocalMode;
  private String lastExtraYaml;

  public Harness(Path dir, FakeBotApi.Options options, List<Long> channels, String extraYaml) throws IOException {
    this(dir, options, channels, extraYaml, UnaryOperator.identity());
  }

  /** With the S3 server's store wrapped by {@code s3Store} (e.g. to take operations away). */
  public Harness(Path dir, FakeBotApi.Options options, List<Long> channels, String extraYaml,
                 UnaryOperator<BlobStore> s3Store) throws IOException {
    this.dir = dir;
    this.api = FakeBotApi.start(options);
    this.s3 = EmbeddedS3.start(dir.resolve("s3server"), 0, s3Store);
    this.store = ObjectStore.connect(S3Settings.of(s3.endpoint(), "us-east-1", BUCKET, "", true,
        s3.accessKeyId(), s3.secretAccessKey()));
    store.ensureBucket(true);
    this.config = dir.resolve("channel-mirror.yaml");
    this.catalogYaml = "  url: jdbc:h2:file:" + dir.resolve("data/catalog") + "\n";
    writeConfig(channels, options.localMode(), extraYaml);
  }

  public static Harness cloud(Path dir, long... channels) throws IOException {
    return new Harness(dir, FakeBotApi.Options.defaults(), ids(channels), "");
  }

  static List<Long> ids(long... channels) {
    List<Long> out = new ArrayList<>();
    for (long c : channels) {
      out.add(c);
    }
    return out;
  }

  /** Replaces {@code from} with {@code to} in the written config (a setting a test needs otherwise). */
  public void editConfig(String from, String to) throws IOException {
    String yaml = java.nio.file.Files.readString(config);
    if (!yaml.contains(from)) {
      throw new IllegalStateException("the config has no '" + from + "':\n" + yaml);
    }
    java.nio.file.Files.writeString(config, yaml.replace(from, to));
  }

  public void writeConfig(List<Long> channels, boolean localMode, String extraYaml) throws IOException {
    lastChannels = channels;
    lastLocalMode = localMode;
    lastExtraYaml = extraYaml;
    String yaml = "telegram:\n"
        + "  token: \"" + api.token() + "\"\n"
        + "  apiUrl: " + api.baseUrl() + "\n"
        + "  localMode: " + localMode + "\n"
        + "  channels: " + channels + "\n"
        + "  pollTimeoutSeconds: 1\n"
        + "storage:\n"
        + "  endpoint: " + s3.endpoint() + "\n"
        + "  bucket: " + BUCKET + "\n"
        + "  accessKeyId: " + s3.accessKeyId() + "\n"
        + "  secretAccessKey: " + s3.secretAccessKey() + "\n"
        + "  partSize: 5242880\n"
        + "catalog:\n"
        + catalogYaml
        + "schedule:\n"
        + "  backup: \"0 0 0 1 1 ? 2099\"\n"
        + "dataDir: " + dir.resolve("data") + "\n"
        + extraYaml;
    Files.writeString(config, yaml);
  }

  /** Points the configuration at another catalog database, e.g. PostgreSQL. */
  public void useCatalog(String url, String user, String password) throws IOException {
    catalogYaml = "  url: \"" + url + "\"\n  user: \"" + user + "\"\n  password: \"" + password + "\"\n";
    writeConfig(lastChannels, lastLocalMode, lastExtraYaml);
  }

  /** Runs the CLI in this JVM, capturing what it prints. */
  public Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--config", config.toString()));
    all.addAll(List.of(args));
    return runCli(all.toArray(String[]::new));
  }

  public static synchronized Run runCli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = Cli.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    oldOut.println("$ channel-mirror " + String.join(" ", args) + "\n" + run.out + run.err + "(exit " + code + ")");
    return run;
  }

  /** What a CLI run printed and returned. */
  public record Run(int code, String out, String err) {}

  public List<ObjectInfo> objects(String prefix) {
    List<ObjectInfo> out = new ArrayList<>();
    store.list(prefix).forEach(out::add);
    return out;
  }

  public List<JsonNode> manifests(long chatId) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (ObjectInfo o : objects("channels/" + chatId + "/posts/")) {
      out.add(JSON.readTree(store.getBytes(o.key())));
    }
    return out;
  }

  public String sha256(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return sha256(in);
    }
  }

  public static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** File downloads (GET /file/...) the fake has served. */
  public long downloads() {
    return api.requests().stream().filter(r -> r.method().equals("file")).count();
  }

  public long calls(String method) {
    return api.requests().stream().filter(r -> r.method().equalsIgnoreCase(method)).count();
  }

  public static void assertExit(Run run, int code) {
    assertThat(run.code()).as("exit code; stdout:\n%s\nstderr:\n%s", run.out(), run.err()).isEqualTo(code);
  }

  @Override
  public void close() {
    store.close();
    s3.close();
    api.close();
  }
}
