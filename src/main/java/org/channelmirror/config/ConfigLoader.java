package org.channelmirror.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Loads the YAML configuration: interpolates {@code ${NAME}} and {@code ${NAME:default}} from the
 * environment, rejects unknown keys and bad values with a message that names the key, applies
 * defaults, and returns a frozen {@link Config}.
 */
public final class ConfigLoader {
  public static final String DEFAULT_PATH = "config/channel-mirror.yaml";
  public static final String PATH_ENV = "CHANNEL_MIRROR_CONFIG";

  /** Every section and the keys it takes; README's configuration reference lists each (ConfigLoaderTest). */
  static final Map<String, List<String>> KEYS = Map.of(
      "", List.of("telegram", "storage", "catalog", "schedule", "transfer", "web", "dataDir"),
      "telegram", List.of("token", "apiUrl", "localMode", "localRoot", "channels", "owners",
          "pollTimeoutSeconds", "requestsPerSecond", "webhook"),
      "telegram.webhook", List.of("url", "listen", "secretToken", "maxConnections"),
      "storage", List.of("endpoint", "region", "bucket", "prefix", "pathStyle", "accessKeyId",
          "secretAccessKey", "checksum", "createBucket", "partSize", "embeddedPort"),
      "catalog", List.of("url", "user", "password", "poolSize"),
      "schedule", List.of("backup", "verify", "cleanup"),
      "transfer", List.of("concurrency", "maxAttempts", "window", "sha256Metadata", "uploadLimit",
          "downloadLimit"),
      "web", List.of("listen"));

  private static final Pattern RATE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]{1,3})?\\s*(?:/s)?");
  /** Below this a limit is a typo (a missing unit) rather than a wish. */
  private static final long MIN_RATE = 16 << 10;

  private final UnaryOperator<String> env;

  public ConfigLoader(UnaryOperator<String> env) {
    this.env = env;
  }

  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System::getenv);
  }

  /** The config file to read: the explicit option, else {@code CHANNEL_MIRROR_CONFIG}, else the default. */
  public Path resolvePath(Path explicit) {
    if (explicit != null) {
      if (explicit.toString().isBlank()) {
        // Path.of("") is the working directory: "config file  cannot be read: Is a directory"
        throw new ConfigException("--config is empty: give the path of the YAML file, or leave the option out");
      }
      return explicit;
    }
    String fromEnv = env.apply(PATH_ENV);
    return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_PATH : fromEnv);
  }

  public Config load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist: copy "
          + "config/channel-mirror.example.yaml there, or point --config or " + PATH_ENV + " at yours");
    } catch (java.nio.charset.CharacterCodingException e) {
      // Files.readString's own words for this are "Input length = 1"
      throw new ConfigException("config file " + file + " cannot be read: it is not UTF-8 text (a binary or"
          + " damaged file, or one saved in another encoding)");
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    return parse(text, file.toString());
  }

  /** What to tell the owner about a config file that exists but cannot be read. */
  static ConfigException unreadable(Path file, IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      // its message is the bare path, which says nothing of why
      return new ConfigException("config file " + file + " cannot be read: permission denied; let the user that"
          + " runs channel-mirror read it (e.g. chmod 640 and the right group)");
    }
    return new ConfigException("config file " + file + " cannot be read: " + e.getMessage()
        + (Files.isDirectory(file) ? " (give the YAML file, not a directory)" : ""));
  }

  /** The YAML parser's "in 'reader', line L, column C:" followed by the source line and a caret. */
  private static final java.util.regex.Pattern SNIPPET = java.util.regex.Pattern.compile(
      "\\s*in '[^'\n]*', line (\\d+), column (\\d+):\\n[^\\n]*\\n[ \\t]*\\^[^\\n]*");

  /**
   * The parser's message without the lines of the file it quotes: the line in error may be the one
   * with the bot token or the S3 secret, and no secret is registered for redaction before the file
   * parses. Line and column stay.
   */
  static String withoutSnippets(String message) {
    if (message == null) {
      return "";
    }
    String m = SNIPPET.matcher(message).replaceAll(" (line $1, column $2)");
    return m.strip().replaceAll("\\s*\\n\\s*", "; ");
  }

  /**
   * The line the YAML parser's own message names last (its problem mark), else Jackson's: for a
   * scanner error such as a tab, Jackson's location is where the token began, a line earlier.
   */
  static int problemLine(String message, int fallback) {
    Matcher m = SNIPPET.matcher(message == null ? "" : message);
    int line = fallback;
    while (m.find()) {
      line = Integer.parseInt(m.group(1));
    }
    return line;
  }

  /** The dotted key a "Duplicate field" error is about, or null when it is another error. */
  static String duplicateKey(JsonParseException e) {
    Matcher m = Pattern.compile("^Duplicate field '(.*)'").matcher(String.valueOf(e.getOriginalMessage()));
    if (!m.find()) {
      return null;
    }
    List<String> path = new ArrayList<>();
    JsonParser p = e.getProcessor();
    if (p != null && p.getParsingContext() != null) {
      for (JsonStreamContext c = p.getParsingContext().getParent();
           c != null; c = c.getParent()) {
        if (c.getCurrentName() != null) {
          path.add(0, c.getCurrentName());
        }
      }
    }
    path.add(m.group(1));
    return String.join(".", path);
  }

  public Config parse(String yaml, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .readTree(shieldReferences(yaml));
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + problemLine(e.getOriginalMessage(), e.getLocation().getLineNr());
      String duplicate = e instanceof JsonParseException p ? duplicateKey(p) : null;
      if (duplicate != null) {
        // YAML parsers keep the last of the two silently: the owner would back up where they did not look
        throw new ConfigException(source + ": config key '" + duplicate + "' is given twice (the second" + where
            + "): keep one");
      }
      throw new ConfigException(source + " is not valid YAML" + where + ": " + withoutSnippets(e.getOriginalMessage()));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(source + ": the top level must be a mapping of sections (telegram:, storage:, ...)");
    }
    checkKeys("", root);
    return build(new Section("", (ObjectNode) root));
  }

  private void checkKeys(String section, JsonNode node) {
    List<String> allowed = KEYS.get(section);
    node.fieldNames().forEachRemaining(name -> {
      String key = section.isEmpty() ? name : section + "." + name;
      if (!allowed.contains(name)) {
        throw new ConfigException("unknown config key '" + key + "' (allowed"
            + (section.isEmpty() ? "" : " in " + section) + ": " + String.join(", ", allowed) + ")");
      }
      if (KEYS.containsKey(key)) {
        JsonNode child = node.get(name);
        if (!child.isObject() && !child.isNull()) {
          throw new ConfigException("config key '" + key + "' must be a mapping");
        }
        if (child.isObject()) {
          checkKeys(key, child);
        }
      }
    });
  }

  private Config build(Section root) {
    Section tg = root.section("telegram");
    String token = tg.string("token", env.apply("TELEGRAM_BOT_TOKEN"));
    if (token == null || token.isBlank()) {
      throw new ConfigException("telegram.token is missing: set it in the config file or the "
          + "TELEGRAM_BOT_TOKEN environment variable (BotFather gives you the token)");
    }
    token = token.trim();
    // only the shape every part of the product relies on: the bot's id before the ':' keys its
    // offsets, and the token goes verbatim into URL paths. Whether Telegram takes the rest is for
    // Telegram to say (a 401 is a config error naming this key); test servers use short tokens
    if (!token.matches("[0-9]{1,20}:[^\\s\\p{Cntrl}/?#%\\\\]+")) {
      throw new ConfigException("telegram.token does not look like a bot token (the bot's id in digits, ':',"
          + " then the secret, without spaces or '/'): copy it again from BotFather");
    }
    Secret secretToken = Secret.of(token);
    // the part after the ':' is the secret; paths may carry it in another form (a local Bot API
    // server writes files under "<id>~<secret>" where ':' is not allowed)
    Secrets.register(token.substring(token.indexOf(':') + 1));
    URI apiUrl = url(tg, "apiUrl", "https://api.telegram.org");
    List<Long> channels = tg.longList("channels");
    if (channels.isEmpty()) {
      throw new ConfigException("telegram.channels is empty: list the chat id of each channel to "
          + "mirror, e.g. [-1001234567890] (the shipped config files read them from TELEGRAM_CHANNELS, "
          + "comma-separated)");
    }
    channels.stream().filter(id -> channels.indexOf(id) != channels.lastIndexOf(id)).findFirst().ifPresent(id -> {
      // status would show it twice, and count its posts twice in any total
      throw new ConfigException("telegram.channels lists " + id + " twice: keep one");
    });
    String localRoot = tg.string("localRoot", "");
    TelegramConfig telegram = new TelegramConfig(secretToken, apiUrl, tg.bool("localMode", false),
        localRoot.isBlank() ? null : Path.of(localRoot), channels, tg.longList("owners"),
        tg.intIn("pollTimeoutSeconds", 50, 0, 50), tg.intIn("requestsPerSecond", 25, 0, 10_000),
        webhook(tg.section("webhook")));

    Section st = root.section("storage");
    String endpoint = st.string("endpoint", "").trim();
    if (!endpoint.isEmpty()) {
      url(endpoint, "storage.endpoint");
    }
    String bucket = st.string("bucket", "channel-mirror");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new ConfigException("storage.bucket '" + bucket + "' is not a valid bucket name "
          + "(3-63 characters: lower-case letters, digits, '.', '-')");
    }
    String prefix = st.string("prefix", "");
    if (prefix.contains("..") || prefix.contains("\\") || !prefix.matches("[A-Za-z0-9._/-]*")) {
      throw new ConfigException("storage.prefix '" + prefix + "' may only contain letters, digits, "
          + "'.', '_', '-' and '/', and no '..'");
    }
    String inner = prefix.replaceAll("^/+", "").replaceAll("/$", "");
    if (!inner.isEmpty() && java.util.Arrays.stream(inner.split("/", -1)).anyMatch(seg -> seg.isEmpty() || seg.equals("."))) {
      // the object key layout refuses these when it builds the first key: say so now, naming the key
      throw new ConfigException("storage.prefix '" + prefix + "' has an empty or '.' segment (as in 'a//b' or"
          + " './b'): write it as folder names separated by single '/', e.g. backups/channel-mirror");
    }
    String checksum = st.string("checksum", "WHEN_REQUIRED").toUpperCase();
    if (!checksum.equals("WHEN_REQUIRED") && !checksum.equals("WHEN_SUPPORTED")) {
      throw new ConfigException("storage.checksum must be WHEN_REQUIRED or WHEN_SUPPORTED, not '" + checksum + "'");
    }
    StorageConfig storage = new StorageConfig(endpoint, st.string("region", "us-east-1"), bucket,
        prefix, st.bool("pathStyle", true), st.string("accessKeyId", ""),
        Secret.of(st.string("secretAccessKey", "")), checksum, st.bool("createBucket", true),
        st.longIn("partSize", 8L << 20, 5L << 20, 512L << 20), st.intIn("embeddedPort", 0, 0, 65535));

    Path dataDir = Path.of(root.string("dataDir", "./data"));
    Section cat = root.section("catalog");
    String jdbc = cat.string("url", "jdbc:h2:file:" + dataDir.resolve("catalog"));
    registerUrlPassword(jdbc);
    if (!jdbc.startsWith("jdbc:h2:") && !jdbc.startsWith("jdbc:postgresql:")) {
      throw new ConfigException("catalog.url must be a jdbc:h2: or jdbc:postgresql: URL, not '" + jdbc + "'");
    }
    CatalogConfig catalog = new CatalogConfig(jdbc, cat.string("user", ""),
        Secret.of(cat.string("password", "")), cat.intIn("poolSize", 4, 2, 64));

    Section sch = root.section("schedule");
    ScheduleConfig schedule = new ScheduleConfig(
        cron(sch, "backup", ScheduleConfig.DEFAULT_BACKUP, "runs every minute"),
        cron(sch, "verify", ScheduleConfig.DEFAULT_VERIFY, "runs daily at 03:00"),
        cron(sch, "cleanup", ScheduleConfig.DEFAULT_CLEANUP, "runs hourly at half past"));
    Section tr = root.section("transfer");
    String shaMeta = tr.string("sha256Metadata", "always").trim();
    if (!shaMeta.equalsIgnoreCase("singlePart") && !shaMeta.equalsIgnoreCase("always")) {
      throw new ConfigException("transfer.sha256Metadata must be singlePart or always, not '" + shaMeta + "'");
    }
    TransferConfig transfer = new TransferConfig(tr.intIn("concurrency", 8, 1, 64),
        tr.intIn("maxAttempts", 3, 1, 100), tr.intIn("window", TransferConfig.DEFAULT_WINDOW, 1, 64),
        shaMeta.equalsIgnoreCase("always"), tr.rate("uploadLimit"), tr.rate("downloadLimit"));
    return new Config(telegram, storage, catalog, schedule, transfer, web(root.section("web")), dataDir);
  }

  /**
   * A password written into {@code catalog.url} ({@code ?password=...}, H2's {@code ;PASSWORD=...})
   * is as secret as {@code catalog.password}: the URL is quoted in catalog errors and by doctor.
   */
  static void registerUrlPassword(String jdbcUrl) {
    Matcher m = Pattern.compile("(?i)[?&;]password=([^&;]*)").matcher(jdbcUrl);
    while (m.find()) {
      Secrets.register(m.group(1));
    }
  }

  /** {@code web.listen}: "" (off), or {@code host:port} with port 0-65535 (0: any free port). */
  private static WebConfig web(Section web) {
    String listen = web.string("listen", "").strip();
    if (listen.isEmpty()) {
      return WebConfig.OFF;
    }
    String[] hostPort = hostPort(listen, "web.listen", "8080");
    return new WebConfig(hostPort[0], Integer.parseInt(hostPort[1]));
  }

  /** {@code host:port} (IPv6 as {@code [::1]:port}), port 0-65535; the error names the key. */
  private static String[] hostPort(String listen, String key, String examplePort) {
    int colon = listen.lastIndexOf(':');
    String host = colon < 0 ? "" : listen.substring(0, colon);
    String port = colon < 0 ? "" : listen.substring(colon + 1);
    if (host.isEmpty() || !port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new ConfigException(key + " must be host:port, e.g. 127.0.0.1:" + examplePort + " (this machine only) or"
          + " 0.0.0.0:" + examplePort + ", not '" + listen + "'");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // [::1]:8080
    }
    return new String[] {host, port};
  }

  /**
   * {@code telegram.webhook.*}: off without a url. Whether Telegram accepts the URL (HTTPS, ports
   * 80/88/443/8443 on the cloud Bot API) is its own call: setWebhook at start says so.
   */
  private static WebhookConfig webhook(Section wh) {
    // listen, secretToken and maxConnections are checked even while the webhook is off: a bad value
    // is named now, not on the day telegram.webhook.url is set
    String listen = wh.string("listen", WebhookConfig.DEFAULT_LISTEN).strip();
    String[] hostPort = hostPort(listen.isEmpty() ? WebhookConfig.DEFAULT_LISTEN : listen, wh.key("listen"), "8443");
    String secret = wh.string("secretToken", "").strip();
    // Telegram accepts 1-256 characters; fewer than 16 could be guessed, and would be too short
    // for the redactor to recognise in a message
    if (!secret.isEmpty() && !secret.matches("[A-Za-z0-9_-]{16,256}")) {
      throw new ConfigException(wh.key("secretToken") + " must be 16-256 characters, each a letter, a digit,"
          + " '_' or '-' (Telegram's characters for secret_token; a shorter one could be guessed); leave it"
          + " out to get a random one at each start");
    }
    int maxConnections = wh.intIn("maxConnections", 0, 1, 100);
    String url = wh.string("url", "").strip();
    if (url.isEmpty()) {
      return WebhookConfig.OFF;
    }
    URI uri;
    try {
      uri = new URI(url); // as written: Telegram POSTs to exactly this URL, trailing '/' included
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(url, "needs https:// (http:// only with a local Bot API server) and a host");
      }
      if (uri.getRawFragment() != null) {
        throw new URISyntaxException(url, "must not have a #fragment");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(wh.key("url") + " '" + url + "' is not a usable URL: " + e.getReason());
    }
    return new WebhookConfig(uri, hostPort[0], Integer.parseInt(hostPort[1]),
        secret.isEmpty() ? null : Secret.of(secret), maxConnections);
  }

  /** A Quartz cron expression; the error names the key, says what is wrong and gives the default. */
  private static String cron(Section s, String key, String def, String defMeaning) {
    String value = s.string(key, def).trim();
    if (!CronExpression.isValidExpression(value)) {
      String why;
      try {
        new CronExpression(value);
        why = "invalid";
      } catch (ParseException e) {
        why = e.getMessage();
      }
      throw new ConfigException(s.key(key) + " '" + value + "' is not a valid Quartz cron expression (" + why
          + "); e.g. \"" + def + "\" " + defMeaning);
    }
    // valid but never firing (30 February, a year gone by): Quartz refuses it only when the service
    // starts its scheduler, as a "could not run" error that names no key
    try {
      if (new CronExpression(value).getNextValidTimeAfter(new Date()) == null) {
        throw new ConfigException(s.key(key) + " '" + value + "' never fires (no such date, or only in the past);"
            + " e.g. \"" + def + "\" " + defMeaning);
      }
    } catch (java.text.ParseException e) {
      throw new IllegalStateException("valid cron expression did not parse: " + value, e);
    }
    return value;
  }

  private URI url(Section s, String key, String def) {
    return url(s.string(key, def).trim(), s.key(key));
  }

  private static URI url(String value, String key) {
    try {
      URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "needs http:// or https:// and a host");
      }
      if (key.equals("telegram.apiUrl") && uri.getPath() != null && !uri.getPath().isEmpty()) {
        throw new URISyntaxException(value, "must not have a path (give scheme, host and port only)");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key + " '" + value + "' is not a usable URL: " + e.getReason());
    }
  }

  /** One mapping of the YAML tree, read with interpolation and key-naming errors. */
  private final class Section {
    private final String path;
    private final ObjectNode node;

    Section(String path, ObjectNode node) {
      this.path = path;
      this.node = node;
    }

    String key(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    Section section(String name) {
      JsonNode child = node.get(name);
      return new Section(key(name), child instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode());
    }

    String string(String name, String def) {
      JsonNode v = node.get(name);
      if (v == null || v.isNull()) {
        return def;
      }
      if (!v.isValueNode()) {
        throw new ConfigException(key(name) + " must be a single value");
      }
      String s = interpolate(v.asText(), key(name));
      return s == null ? def : s;
    }

    boolean bool(String name, boolean def) {
      String s = string(name, null);
      if (s == null || s.isBlank()) {
        return def;
      }
      return switch (s.trim().toLowerCase()) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new ConfigException(key(name) + " must be true or false, not '" + s + "'");
      };
    }

    /**
     * A rate in bytes per second: {@code 10MB} (10,000,000), {@code 8MiB} or {@code 8M} (8 x 2^20),
     * {@code 512KiB}, {@code 1.5MB/s}, a plain number of bytes; 0, empty or {@code off}: no limit.
     * Units without "i" are decimal, except K, M and G alone, which are binary as in rclone.
     */
    long rate(String name) {
      String s = string(name, null);
      String v = s == null ? "" : s.strip();
      // YAML reads a bare "off" as false
      if (v.isEmpty() || v.equals("0") || v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")) {
        return 0;
      }
      Matcher m = RATE.matcher(v);
      if (!m.matches()) {
        throw new ConfigException(key(name) + " must be a rate such as 10MB, 8MiB or 512KiB (per second),"
            + " or 0 for no limit, not '" + s + "'");
      }
      String unit = m.group(2) == null ? "" : m.group(2).toUpperCase(Locale.ROOT);
      double factor = switch (unit) {
        case "", "B" -> 1;
        case "K", "KIB" -> 1L << 10;
        case "M", "MIB" -> 1L << 20;
        case "G", "GIB" -> 1L << 30;
        case "KB" -> 1e3;
        case "MB" -> 1e6;
        case "GB" -> 1e9;
        default -> throw new ConfigException(key(name) + ": unknown unit '" + m.group(2) + "' in '" + s
            + "' (use B, KB, MB, GB, KiB, MiB or GiB)");
      };
      double bytes = Double.parseDouble(m.group(1)) * factor;
      if (bytes < MIN_RATE || bytes > Long.MAX_VALUE / 2) {
        throw new ConfigException(key(name) + " must be at least 16KiB (per second), or 0 for no limit, not '"
            + s + "'");
      }
      return (long) bytes;
    }

    int intIn(String name, int def, int min, int max) {
      return (int) longIn(name, def, min, max);
    }

    long longIn(String name, long def, long min, long max) {
      String s = string(name, null);
      if (s == null || s.isBlank()) {
        return def;
      }
      long v;
      try {
        v = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name) + " must be a whole number, not '" + s + "'");
      }
      if (v < min || v > max) {
        throw new ConfigException(key(name) + " must be between " + min + " and " + max + ", not " + v);
      }
      return v;
    }

    /** A YAML list of numbers, or one string "a, b" (useful from an environment variable). */
    List<Long> longList(String name) {
      JsonNode v = node.get(name);
      List<String> items = new ArrayList<>();
      if (v == null || v.isNull()) {
        return List.of();
      } else if (v.isArray()) {
        v.forEach(item -> items.add(interpolate(item.asText(), key(name))));
      } else if (v.isValueNode()) {
        String s = interpolate(v.asText(), key(name));
        for (String part : (s == null ? "" : s).split(",")) {
          if (!part.isBlank()) {
            items.add(part);
          }
        }
      } else {
        throw new ConfigException(key(name) + " must be a list of ids, e.g. [-1001234567890]");
      }
      List<Long> out = new ArrayList<>();
      for (String item : items) {
        try {
          out.add(Long.parseLong(item.trim()));
        } catch (NumberFormatException e) {
          String id = item.trim();
          if (id.startsWith("@")) {
            // the Bot API delivers posts under the numeric id only, and a username can change hands
            throw new ConfigException(key(name) + " must contain numeric chat ids, not the username '" + id
                + "': a channel's id looks like -1001234567890 (the Bot API's getChat with chat_id=" + id
                + " answers it, as does getUpdates after a post; see the README, 'Find the channel id')");
          }
          throw new ConfigException(key(name) + " must contain numeric chat ids, not '" + item + "'");
        }
      }
      return List.copyOf(out);
    }
  }

  /** What stands for each {@code ${...}} of the file while YAML parses it: see {@link #shieldReferences}. */
  private final Map<String, String> shielded = new java.util.HashMap<>();
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}\\n]*}");

  /**
   * The file with each {@code ${...}} replaced by a plain word, put back by {@link #interpolate}.
   * In YAML '{' and '}' are flow indicators: {@code channels: [${CHANNEL_ID}]} would not parse as
   * written, and a default with " #" in it would lose its end to a comment.
   */
  private String shieldReferences(String yaml) {
    shielded.clear();
    String nonce = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1L << 60);
    Matcher m = REFERENCE.matcher(yaml);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String word = "cmref" + nonce + "x" + shielded.size() + "x";
      shielded.put(word, m.group());
      m.appendReplacement(out, word);
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * Replaces every {@code ${NAME}} / {@code ${NAME:default}} and turns {@code $${} into a literal
   * {@code ${}; a missing variable without default is an error. Values from the environment are
   * taken as they are, never interpolated again.
   */
  String interpolate(String value, String key) {
    for (Map.Entry<String, String> ref : shielded.entrySet()) {
      value = value.replace(ref.getKey(), ref.getValue());
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      int start = value.indexOf("${", i);
      if (start < 0) {
        out.append(value, i, value.length());
        break;
      }
      if (start > i && value.charAt(start - 1) == '$') {
        // "$${" is a literal "${", for a password or token that holds one
        out.append(value, i, start).append('{');
        i = start + 2;
        continue;
      }
      int end = value.indexOf('}', start);
      if (end < 0) {
        // the value is not quoted: it may be the bot token or a password with a stray "${" in it
        throw new ConfigException(key + ": unclosed '${' (write ${NAME} or ${NAME:default}, or $${ for a literal"
            + " '${')");
      }
      out.append(value, i, start);
      String expr = value.substring(start + 2, end);
      int colon = expr.indexOf(':');
      String name = colon < 0 ? expr : expr.substring(0, colon);
      String fromEnv = env.apply(name);
      if (fromEnv != null && !fromEnv.isEmpty()) {
        out.append(fromEnv);
      } else if (colon >= 0) {
        out.append(expr.substring(colon + 1));
      } else {
        throw new ConfigException(key + " refers to the environment variable " + name
            + ", which is not set or is empty: export it, or write ${" + name + ":default}");
      }
      i = end + 1;
    }
    return out.toString();
  }
}
