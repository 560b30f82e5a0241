package org.channelmirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  static final String TOKEN = "123456:ABCdef_ghijklmnop-qrs";

  private static ConfigLoader withEnv(Map<String, String> env) {
    return new ConfigLoader(env::get);
  }

  private static Config parse(String yaml) {
    return withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN)).parse(yaml, "test.yaml");
  }

  @Test
  void shippedExampleAndDefaultFilesParse() {
    ConfigLoader loader = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHANNELS", "-1001,-1002"));
    Config example = loader.load(Path.of("config/channel-mirror.example.yaml"));
    assertThat(example.telegram().channels()).containsExactly(-1001234567890L);
    assertThat(example.storage().embedded()).isTrue();
    assertThat(example.storage().checksum()).isEqualTo("WHEN_REQUIRED");
    Config shipped = loader.load(Path.of("config/channel-mirror.yaml"));
    assertThat(shipped.telegram().channels()).containsExactly(-1001L, -1002L);
    assertThat(shipped.telegram().apiUrl().toString()).isEqualTo("https://api.telegram.org");
    assertThat(shipped.storage().region()).isEqualTo("us-east-1");
  }

  /**
   * The README's setup step sets a real bucket through the environment alone (an eu-central-1
   * endpoint): the shipped file must take its region from there too, or AWS refuses the signature.
   */
  @Test
  void theShippedFileTakesTheBucketsRegionPrefixAndLocalModeFromTheEnvironment() {
    Config c = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHANNELS", "-1001",
        "S3_ENDPOINT", "https://s3.eu-central-1.amazonaws.com", "S3_BUCKET", "my-channel-backup",
        "S3_REGION", "eu-central-1", "S3_PREFIX", "backups/", "TELEGRAM_API_URL", "http://127.0.0.1:8081",
        "TELEGRAM_LOCAL_MODE", "true")).load(Path.of("config/channel-mirror.yaml"));
    assertThat(c.telegram().localMode()).isTrue();
    assertThat(c.storage().endpoint()).isEqualTo("https://s3.eu-central-1.amazonaws.com");
    assertThat(c.storage().bucket()).isEqualTo("my-channel-backup");
    assertThat(c.storage().region()).isEqualTo("eu-central-1");
    assertThat(c.storage().prefix()).isEqualTo("backups/");
  }

  /** Every key the loader takes, as "section.key" (sections themselves left out). */
  private static Set<String> loaderKeys() {
    Set<String> keys = new TreeSet<>();
    ConfigLoader.KEYS.forEach((section, names) -> names.forEach(name -> {
      String key = section.isEmpty() ? name : section + "." + name;
      if (!ConfigLoader.KEYS.containsKey(key)) {
        keys.add(key);
      }
    }));
    return keys;
  }

  /**
   * The README's configuration reference and the example file list exactly the keys the loader
   * takes: none it would reject, none it takes that a reader could not find.
   */
  @Test
  void theReadmeAndTheExampleFileDocumentExactlyTheKeysTheLoaderTakes() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("## Configuration reference");
    String table = readme.substring(from, readme.indexOf("\n## ", from + 1));
    Set<String> documented = new TreeSet<>();
    for (String line : table.lines().filter(l -> l.startsWith("| `")).toList()) {
      String firstColumn = line.substring(1, line.indexOf('|', 1));
      Matcher m = Pattern.compile("`([A-Za-z0-9.]+)`").matcher(firstColumn);
      while (m.find()) {
        documented.add(m.group(1));
      }
    }
    assertThat(documented).isEqualTo(loaderKeys());

    Set<String> inExample = new TreeSet<>();
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/channel-mirror.example.yaml").toFile());
    collectLeaves("", root, inExample);
    assertThat(inExample).isEqualTo(loaderKeys());
  }

  private static void collectLeaves(String path, JsonNode node, Set<String> out) {
    node.properties().forEach(e -> {
      String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (e.getValue().isObject()) {
        collectLeaves(key, e.getValue(), out);
      } else {
        out.add(key);
      }
    });
  }

  /** --config FILE, else CHANNEL_MIRROR_CONFIG, else config/channel-mirror.yaml (README, "Configure"). */
  @Test
  void theConfigFileIsTheOptionElseTheEnvironmentElseTheDefault() {
    ConfigLoader env = withEnv(Map.of("CHANNEL_MIRROR_CONFIG", "/etc/cm/from-env.yaml"));
    assertThat(env.resolvePath(Path.of("given.yaml"))).isEqualTo(Path.of("given.yaml"));
    assertThat(env.resolvePath(null)).isEqualTo(Path.of("/etc/cm/from-env.yaml"));
    assertThat(withEnv(Map.of()).resolvePath(null)).isEqualTo(Path.of("config/channel-mirror.yaml"));
    assertThat(withEnv(Map.of("CHANNEL_MIRROR_CONFIG", " ")).resolvePath(null))
        .isEqualTo(Path.of("config/channel-mirror.yaml"));
    // --config "" (an unset variable in a unit file): said as such, not as a directory that cannot be read
    assertThatThrownBy(() -> env.resolvePath(Path.of(""))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--config is empty");
  }

  @Test
  void defaultsApplyAndTokenComesFromTheEnvironment() {
    Config c = parse("telegram:\n  channels: [-100123]\n");
    assertThat(c.telegram().token().reveal()).isEqualTo(TOKEN);
    assertThat(c.telegram().token().toString()).doesNotContain("ABC");
    assertThat(c.storage().bucket()).isEqualTo("channel-mirror");
    assertThat(c.schedule().backup()).isEqualTo("0 * * * * ?");
    assertThat(c.schedule().verify()).isEqualTo("0 0 3 * * ?");
    assertThat(c.schedule().cleanup()).isEqualTo("0 30 * * * ?");
    assertThat(c.catalog().url()).startsWith("jdbc:h2:file:");
    assertThat(c.describe()).doesNotContain(TOKEN);
  }

  @Test
  void theBotIdIsTheTokensDigitsBeforeTheColon() {
    assertThat(parse("telegram:\n  channels: [1]\n").telegram().botId()).isEqualTo(123456L);
    // the longest token the format allows does not crash the id (real ids have about 10 digits)
    Config longest = withEnv(Map.of("TELEGRAM_BOT_TOKEN", "98765432109876543210:ABCdef_ghijklmnop"))
        .parse("telegram:\n  channels: [1]\n", "test.yaml");
    assertThat(longest.telegram().botId())
        .isEqualTo(new java.math.BigInteger("98765432109876543210").longValue());
  }

  @Test
  void theWebEndpointIsOffUnlessAHostAndPortAreGiven() {
    assertThat(parse("telegram:\n  channels: [1]\n").web().enabled()).isFalse();
    WebConfig web = parse("telegram:\n  channels: [1]\nweb:\n  listen: 127.0.0.1:8080\n").web();
    assertThat(web.host()).isEqualTo("127.0.0.1");
    assertThat(web.port()).isEqualTo(8080);
    assertThat(parse("telegram:\n  channels: [1]\nweb:\n  listen: \"0.0.0.0:0\"\n").web().enabled()).isTrue();
    assertThat(parse("telegram:\n  channels: [1]\nweb:\n  listen: \"[::1]:9090\"\n").web().host()).isEqualTo("::1");
    for (String bad : new String[] {"8080", ":8080", "localhost:http", "localhost:70000"}) {
      assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nweb:\n  listen: \"" + bad + "\"\n"))
          .isInstanceOf(ConfigException.class).hasMessageContaining("web.listen").hasMessageContaining(bad);
    }
  }

  /**
   * A key written twice in one mapping (a second storage: section pasted below the first, a bucket
   * given twice) is an error naming the key and its line: YAML parsers keep the last one silently,
   * so the backup went somewhere the owner did not look. The line is named, never quoted.
   */
  @Test
  void aKeyGivenTwiceIsAnErrorNamingItAndItsLine() {
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorage:\n  bucket: real-bucket\n"
        + "  region: eu-west-1\n  bucket: other-bucket\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage.bucket").hasMessageContaining("twice").hasMessageContaining("line 6")
        .hasMessageNotContaining("other-bucket");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorage:\n  bucket: a-bucket\n"
        + "telegram:\n  channels: [2]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'telegram'").hasMessageContaining("twice");
  }

  /**
   * A channel given by its @username (or its t.me link) is refused naming the key, and the message
   * says how to get the numeric id the Bot API delivers posts under; a numeric id written as a
   * string, from YAML or the environment, is fine.
   */
  @Test
  void aChannelGivenByUsernameIsRefusedSayingHowToFindItsId() {
    assertThatThrownBy(() -> parse("telegram:\n  channels: [\"@my_channel\"]\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("telegram.channels").hasMessageContaining("@my_channel")
        .hasMessageContaining("-100").hasMessageContaining("getChat");
    assertThat(parse("telegram:\n  channels: [\"-1001234567890\", -1009876543210]\n").telegram().channels())
        .containsExactly(-1001234567890L, -1009876543210L);
  }

  @Test
  void interpolatesWithDefaults() {
    ConfigLoader loader = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "BUCKET", "my-bucket"));
    Config c = loader.parse("telegram:\n  channels: [1]\nstorage:\n  bucket: ${BUCKET}\n  region: ${REGION:eu-west-1}\n", "t");
    assertThat(c.storage().bucket()).isEqualTo("my-bucket");
    assertThat(c.storage().region()).isEqualTo("eu-west-1");
  }

  /** References inside YAML's flow collections, where '{' and '}' are syntax: [${CHANNEL_ID}]. */
  @Test
  void interpolatesInsideFlowListsAndMappings() {
    ConfigLoader loader = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "CH1", "-1001"));
    Config c = loader.parse("telegram:\n  channels: [${CH1}, ${CH2:-1002}]\n"
        + "storage: {endpoint: ${S3:http://127.0.0.1:9000}, region: ${REGION:eu-west-1}, prefix: \"a/${P:b}\"}\n", "t");
    assertThat(c.telegram().channels()).containsExactly(-1001L, -1002L);
    assertThat(c.storage().endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(c.storage().region()).isEqualTo("eu-west-1");
    assertThat(c.storage().prefix()).isEqualTo("a/b");
  }

  /** A secret may hold "${": written "$${" in the file, or as it is in the environment variable. */
  @Test
  void aDoubledDollarIsALiteralReference() {
    ConfigLoader loader = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "S3_SECRET", "env${keeps}it", "B", "bk-1"));
    Config c = loader.parse("telegram:\n  channels: [1]\nstorage:\n  bucket: ${B}\n"
        + "  secretAccessKey: pa$${ss$$word${NONE:}$${\n  accessKeyId: ${S3_SECRET}\n", "t");
    assertThat(c.storage().secretAccessKey().reveal()).isEqualTo("pa${ss$$word${");
    assertThat(c.storage().accessKeyId()).isEqualTo("env${keeps}it");
    assertThat(c.storage().bucket()).isEqualTo("bk-1");
  }

  @Test
  void aChannelListedTwiceIsNamed() {
    assertThatThrownBy(() -> parse("telegram:\n  channels: [-1001, -1002, -1001]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.channels").hasMessageContaining("-1001 twice");
    assertThatThrownBy(() -> parse("telegram:\n  channels: \"-1001,-1001\"\n")).hasMessageContaining("-1001 twice");
  }

  @Test
  void missingTokenIsOneClearMessage() {
    assertThatThrownBy(() -> withEnv(Map.of()).parse("telegram:\n  channels: [1]\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.token")
        .hasMessageContaining("TELEGRAM_BOT_TOKEN");
    assertThatThrownBy(() -> withEnv(Map.of()).parse("telegram:\n  token: ${TELEGRAM_BOT_TOKEN}\n  channels: [1]\n", "t"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.token")
        .hasMessageContaining("TELEGRAM_BOT_TOKEN");
  }

  @Test
  void aFileThatIsNotUtf8TextSaysSo(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("cm.yaml");
    java.nio.file.Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 't', ':', ' ', '1', '\n'});
    assertThatThrownBy(() -> withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN)).load(file))
        .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString())
        .hasMessageContaining("not UTF-8 text").hasMessageNotContaining("Input length");
  }

  @Test
  void aYamlErrorNeverQuotesTheLineWithTheTokenOrTheSecret() {
    for (String yaml : new String[] {
        "telegram:\n  token: \"123456:SECRETTOKENVALUE123\n  channels: [1]\n",
        "telegram:\n  token: 123456:SECRETTOKENVALUE123 : x\n  channels: [1]\n",
        "telegram:\n\ttoken: 123456:SECRETTOKENVALUE123\n  channels: [1]\n",
        "telegram:\n  channels: [1]\nstorage:\n  secretAccessKey: \"S3SECRETVALUE999\n"}) {
      assertThatThrownBy(() -> parse(yaml)).as(yaml).isInstanceOf(ConfigException.class)
          .hasMessageContaining("is not valid YAML at line").hasMessageContaining("column")
          .hasMessageNotContaining("SECRETTOKENVALUE123").hasMessageNotContaining("S3SECRETVALUE999");
    }
  }

  /** A stray "${" in the token is named by its key; the token is not quoted (nothing is registered for redaction yet). */
  @Test
  void anUnclosedReferenceNeverQuotesTheValue() {
    assertThatThrownBy(() -> parse("telegram:\n  token: \"123456:SECRETTOKEN${VALUE123\"\n  channels: [1]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.token").hasMessageContaining("unclosed")
        .hasMessageNotContaining("SECRETTOKEN").hasMessageNotContaining("VALUE123");
  }

  /** A tab is reported at the line that holds it, not at the line before. */
  @Test
  void aYamlErrorNamesTheLineOfTheProblem() {
    assertThatThrownBy(() -> parse("telegram:\n\ttoken: x\n  channels: [1]\n"))
        .hasMessageContaining("not valid YAML at line 2:").hasMessageNotContaining("at line 1");
  }

  /** A password written into catalog.url is redacted wherever the URL is shown. */
  @Test
  void aPasswordInTheCatalogUrlIsASecret() {
    Config c = parse("telegram:\n  channels: [1]\ncatalog:\n  url: jdbc:postgresql://db/cm?user=cm&password=PgUrlSecret77&ssl=true\n");
    assertThat(Secrets.redact("cannot open the catalog at " + c.catalog().url()))
        .doesNotContain("PgUrlSecret77").contains("ssl=true");
    parse("telegram:\n  channels: [1]\ncatalog:\n  url: jdbc:h2:file:./d/c;PASSWORD=H2UrlSecret88\n");
    assertThat(Secrets.redact("jdbc:h2:file:./d/c;PASSWORD=H2UrlSecret88")).doesNotContain("H2UrlSecret88");
  }

  /** A config file the process may not read, or a directory, says why and what to do. */
  @Test
  void anUnreadableConfigFileSaysWhy(@org.junit.jupiter.api.io.TempDir Path dir) {
    Path file = dir.resolve("cm.yaml");
    assertThat(ConfigLoader.unreadable(file, new java.nio.file.AccessDeniedException(file.toString())))
        .hasMessageContaining("permission denied").hasMessageContaining(file.toString());
    assertThatThrownBy(() -> withEnv(Map.of()).load(dir)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void unknownKeysAreNamed() {
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\n  chanels: [2]\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'telegram.chanels'");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorge: {}\n"))
        .hasMessageContaining("'storge'");
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nschedule:\n  backup: \"every minute\"\n"))
        .hasMessageContaining("schedule.backup").hasMessageContaining("cron");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nschedule:\n  cleanup: \"hourly\"\n"))
        .hasMessageContaining("schedule.cleanup").hasMessageContaining("0 30 * * * ?");
    // valid Quartz syntax, but no such date: Quartz itself only refuses it when run starts its scheduler
    // (exit 3, "trigger 'DEFAULT.backup-cron' will never fire"), so the config check has to catch it
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nschedule:\n  backup: \"0 0 0 30 2 ?\"\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schedule.backup").hasMessageContaining("never fires");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nschedule:\n  verify: \"0 0 3 1 1 ? 2020\"\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schedule.verify").hasMessageContaining("never fires");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\n  localMode: maybe\n"))
        .hasMessageContaining("telegram.localMode");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [abc]\n")).hasMessageContaining("telegram.channels");
    assertThatThrownBy(() -> parse("telegram:\n  channels: []\n")).hasMessageContaining("telegram.channels");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\n  apiUrl: ftp://x\n")).hasMessageContaining("telegram.apiUrl");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorage:\n  bucket: Bad_Bucket\n"))
        .hasMessageContaining("storage.bucket");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorage:\n  prefix: ../x\n"))
        .hasMessageContaining("storage.prefix");
    // these passed validation and then failed as "error: prefix: ..." (exit 3) on the first object key
    for (String prefix : List.of("a//b", ".", "./b", "a/./b", "a/b//")) {
      assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\nstorage:\n  prefix: \"" + prefix + "\"\n"))
          .as(prefix).isInstanceOf(ConfigException.class).hasMessageContaining("storage.prefix");
    }
    for (String prefix : List.of("", "/", "/lead/", "backups/core", "a.b/c_d-e/")) {
      assertThat(parse("telegram:\n  channels: [1]\nstorage:\n  prefix: \"" + prefix + "\"\n").storage().prefix())
          .as(prefix).isEqualTo(prefix);
    }
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\ntransfer:\n  concurrency: 0\n"))
        .hasMessageContaining("transfer.concurrency");
    assertThatThrownBy(() -> parse("telegram: [1, 2]\n")).hasMessageContaining("telegram");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1\n")).hasMessageContaining("not valid YAML");
  }

  @Test
  void channelsAcceptACommaSeparatedString() {
    Config c = parse("telegram:\n  channels: \"-1001, -1002\"\n");
    assertThat(c.telegram().channels()).containsExactly(-1001L, -1002L);
  }

  @Test
  void secretsAreRedactedEverywhere() {
    Config c = parse("telegram:\n  channels: [1]\n");
    assertThat(Secrets.redact("GET http://x/file/bot" + TOKEN + "/a.jpg failed")).doesNotContain(TOKEN)
        .contains("<redacted>");
    assertThat(c.describe()).doesNotContain(TOKEN);
    // a local Bot API server stores files under "<id>~<secret>" (':' is not allowed in some file systems)
    String secret = TOKEN.substring(TOKEN.indexOf(':') + 1);
    assertThat(Secrets.redact("cannot read /var/lib/telegram-bot-api/" + TOKEN.replace(':', '~') + "/videos/a.mp4"))
        .doesNotContain(secret).contains("<redacted>");
  }

  @Test
  void aTokenOfAnyLengthIsTakenWhenItHasTheBotsIdAndNothingThatBreaksAUrl() {
    // Telegram judges the secret (a 401 is a config error then); test servers use short ones
    for (String token : new String[] {"123:abc", "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", "42:x.y~z"}) {
      Config c = withEnv(Map.of("TELEGRAM_BOT_TOKEN", token)).parse("telegram:\n  channels: [1]\n", "t.yaml");
      assertThat(c.telegram().token().reveal()).isEqualTo(token);
    }
    for (String bad : new String[] {"abc", ":abc", "123:", "123:a b", "123:a/b", "123:a?b", "123:a#b", "123:a%2Fb",
        "bot123:abc"}) {
      assertThatThrownBy(() -> withEnv(Map.of("TELEGRAM_BOT_TOKEN", bad)).parse("telegram:\n  channels: [1]\n", "t"))
          .as(bad).isInstanceOf(ConfigException.class).hasMessageContaining("telegram.token")
          .hasMessageContaining("BotFather").hasMessageNotContaining(bad);
    }
  }

  @Test
  void webhookIsOffByDefaultAndTakesItsPathListenSecretAndConnectionsFromTheConfig() {
    WebhookConfig off = parse("telegram:\n  channels: [1]\n").telegram().webhook();
    assertThat(off.enabled()).isFalse();
    assertThat(parse("telegram:\n  channels: [1]\n  webhook:\n    url: \"\"\n").telegram().webhook().enabled()).isFalse();

    String secret = "my_Secret-token-42";
    Config c = parse("telegram:\n  channels: [1]\n  webhook:\n    url: https://backup.example.com/tg/hook\n"
        + "    secretToken: " + secret + "\n    maxConnections: 5\n");
    WebhookConfig wh = c.telegram().webhook();
    assertThat(wh.enabled()).isTrue();
    assertThat(wh.url().toString()).isEqualTo("https://backup.example.com/tg/hook");
    assertThat(wh.path()).isEqualTo("/tg/hook");
    assertThat(wh.host()).isEqualTo("127.0.0.1");
    assertThat(wh.port()).isEqualTo(8443);
    assertThat(wh.secretToken().reveal()).isEqualTo(secret);
    assertThat(wh.maxConnections()).isEqualTo(5);
    assertThat(c.describe()).contains("telegram.webhook.url=https://backup.example.com/tg/hook").doesNotContain(secret);
    assertThat(Secrets.redact("header " + secret)).doesNotContain(secret);

    wh = parse("telegram:\n  channels: [1]\n  webhook:\n    url: https://h.example/\n    listen: \"[::1]:0\"\n")
        .telegram().webhook();
    assertThat(wh.path()).isEqualTo("/");
    assertThat(wh.url().toString()).isEqualTo("https://h.example/"); // as written: Telegram posts to exactly this
    assertThat(wh.host()).isEqualTo("::1");
    assertThat(wh.port()).isZero();
    assertThat(wh.secretToken()).as("generated at each start").isNull();
    assertThat(wh.maxConnections()).as("Telegram's default").isZero();
    assertThat(parse("telegram:\n  channels: [1]\n  webhook:\n    url: https://h.example\n").telegram().webhook()
        .path()).isEqualTo("/");
    // from the environment, like the deploy files do it
    ConfigLoader env = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_WEBHOOK_URL", "https://e.example:8443/x"));
    assertThat(env.parse("telegram:\n  channels: [1]\n  webhook:\n    url: ${TELEGRAM_WEBHOOK_URL:}\n", "t")
        .telegram().webhook().url().getPort()).isEqualTo(8443);
    // the deployment file: off by default, on with the environment variables of deploy/env.example
    Path deploy = Path.of("deploy/channel-mirror.yaml");
    assertThat(withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHANNELS", "-1001")).load(deploy)
        .telegram().webhook().enabled()).isFalse();
    wh = withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_CHANNELS", "-1001",
        "TELEGRAM_WEBHOOK_URL", "https://b.example/tg/hook", "TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0:8443",
        "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", "10")).load(deploy).telegram().webhook();
    assertThat(wh.path()).isEqualTo("/tg/hook");
    assertThat(wh.host()).isEqualTo("0.0.0.0");
    assertThat(wh.maxConnections()).isEqualTo(10);
    assertThat(wh.secretToken()).isNull();
    assertThat(withEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN)).load(Path.of("config/channel-mirror.example.yaml"))
        .telegram().webhook().enabled()).isFalse();
  }

  @Test
  void badWebhookValuesAreNamed() {
    String base = "telegram:\n  channels: [1]\n  webhook:\n";
    assertThatThrownBy(() -> parse(base + "    url: ftp://x/hook\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.webhook.url").hasMessageContaining("ftp://x/hook");
    assertThatThrownBy(() -> parse(base + "    url: not a url\n")).hasMessageContaining("telegram.webhook.url");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook#part\n")).hasMessageContaining("telegram.webhook.url")
        .hasMessageContaining("fragment");
    for (String bad : new String[] {"8443", ":8443", "localhost:https", "localhost:70000"}) {
      assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    listen: \"" + bad + "\"\n"))
          .isInstanceOf(ConfigException.class).hasMessageContaining("telegram.webhook.listen").hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    secretToken: \"has space\"\n"))
        .hasMessageContaining("telegram.webhook.secretToken").hasMessageContaining("16-256")
        .hasMessageNotContaining("has space");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    secretToken: " + "a".repeat(257) + "\n"))
        .hasMessageContaining("telegram.webhook.secretToken");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    secretToken: short_secret_15\n"))
        .hasMessageContaining("telegram.webhook.secretToken").hasMessageContaining("could be guessed")
        .hasMessageNotContaining("short_secret_15");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    maxConnections: 101\n"))
        .hasMessageContaining("telegram.webhook.maxConnections").hasMessageContaining("between 1 and 100");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    maxConnections: 0\n"))
        .hasMessageContaining("telegram.webhook.maxConnections");
    assertThatThrownBy(() -> parse(base + "    url: https://x/hook\n    secret: abc\n"))
        .hasMessageContaining("'telegram.webhook.secret'").hasMessageContaining("secretToken");
    assertThatThrownBy(() -> parse("telegram:\n  channels: [1]\n  webhook: https://x/hook\n"))
        .hasMessageContaining("'telegram.webhook' must be a mapping");
  }

  /** Bad values are refused at start whether or not the webhook is on: the owner turns it on later. */
  @Test
  void badWebhookValuesAreNamedAlsoWithoutAUrl() {
    String base = "telegram:\n  channels: [1]\n  webhook:\n";
    assertThatThrownBy(() -> parse(base + "    secretToken: tooSmol\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("telegram.webhook.secretToken").hasMessageNotContaining("tooSmol");
    assertThatThrownBy(() -> parse(base + "    maxConnections: 0\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("telegram.webhook.maxConnections");
    assertThatThrownBy(() -> parse(base + "    url: \"\"\n    listen: \"8443\"\n")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("telegram.webhook.listen");
    // the shipped files' empty values are fine
    assertThat(parse(base + "    url: \"\"\n    listen: 127.0.0.1:8443\n    secretToken: \"\"\n    maxConnections: \"\"\n")
        .telegram().webhook().enabled()).isFalse();
  }
}
