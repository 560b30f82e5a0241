package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Telegram Bot API server on real HTTP (JDK HttpServer): long-poll getUpdates, getFile (cloud and local
 * mode), file downloads with Range, send methods with multipart uploads, scripted faults, and a control API under
 * {@code /control/} described in {@link ControlApi}. Every instance is independent; start one per test on port 0.
 */
public final class FakeBotApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeBotApi.class);

  static {
    // The JDK server writes a response's headers and body separately; with Nagle's algorithm the
    // body then waits for the client's delayed ACK, 40 ms per call on Linux, which made every
    // answer of the fake 20x slower than Telegram's. Read once per JVM, before the first server.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * Server options; {@link #defaults()} binds 127.0.0.1 on an ephemeral port in cloud mode.
   *
   * @param localWebhooks setWebhook accepts http:// and any port, as a server started with
   *     {@code --local} does (implied by {@code localMode}), without local-mode file handling
   * @param webhookRetryBase the real server's 2 s between failed webhook deliveries (then 4 s, ...)
   */
  public record Options(String host, int port, String token, boolean localMode, Path localRoot, Clock clock,
                        boolean localWebhooks, Duration webhookRetryBase) {
    public static Options defaults() {
      return new Options("127.0.0.1", 0, "123456789:TEST-fake-token_abcdefghijklmnopqrstu", false, null,
          Clock.systemUTC(), false, Duration.ofSeconds(2));
    }

    public Options withPort(int p) {
      return new Options(host, p, token, localMode, localRoot, clock, localWebhooks, webhookRetryBase);
    }

    public Options withToken(String t) {
      return new Options(host, port, t, localMode, localRoot, clock, localWebhooks, webhookRetryBase);
    }

    /** Like {@code telegram-bot-api --local --dir=root}: absolute file paths under {@code root/<token>/}. */
    public Options withLocalMode(Path root) {
      return new Options(host, port, token, true, root, clock, localWebhooks, webhookRetryBase);
    }

    public Options withHost(String h) {
      return new Options(h, port, token, localMode, localRoot, clock, localWebhooks, webhookRetryBase);
    }

    public Options withClock(Clock c) {
      return new Options(host, port, token, localMode, localRoot, c, localWebhooks, webhookRetryBase);
    }

    /** setWebhook with {@code --local}'s rules: http:// URLs and any port (e.g. http://127.0.0.1:PORT in tests). */
    public Options withLocalWebhooks() {
      return new Options(host, port, token, localMode, localRoot, clock, true, webhookRetryBase);
    }

    /** A shorter wait between failed webhook deliveries, so tests need not wait 2 s, 4 s, ... */
    public Options withWebhookRetryBase(Duration base) {
      return new Options(host, port, token, localMode, localRoot, clock, localWebhooks, base);
    }
  }

  final Options options;
  final Clock clock;
  final FileStore files;
  final UpdateQueue updates;
  final FakeWebhook webhook;
  final Recorder recorder;
  final Path spoolDir;
  private final Faults faults;
  private final Map<Long, ChatState> chats = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor;
  private final long botUserId;

  private FakeBotApi(Options options) throws IOException {
    this.options = options;
    this.clock = options.clock();
    String token = options.token();
    int colon = token.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("token must look like <digits>:<secret>");
    }
    this.botUserId = Long.parseLong(token.substring(0, colon));
    if (options.localMode() && options.localRoot() == null) {
      throw new IllegalArgumentException("local mode needs a root directory");
    }
    this.files = new FileStore(options.localMode(), options.localRoot(), token);
    this.updates = new UpdateQueue(clock);
    this.webhook = new FakeWebhook(updates, options);
    this.recorder = new Recorder(clock);
    this.faults = new Faults(files::expireLinks);
    this.spoolDir = Files.createTempDirectory("fakebot-uploads");
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fakebot-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 256);
    server.createContext("/", new Router(this));
    server.setExecutor(executor);
  }

  public static FakeBotApi start(Options options) throws IOException {
    FakeBotApi api = new FakeBotApi(options);
    api.server.start();
    log.info("fake Bot API listening on {} (local mode: {})", api.baseUrl(), options.localMode());
    return api;
  }

  public String baseUrl() {
    return "http://" + options.host() + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String token() {
    return options.token();
  }

  public long botUserId() {
    return botUserId;
  }

  /** Creates a channel with the bot as administrator, or returns the existing one. */
  public Channel channel(long chatId, String title, String username) {
    ChatState c = chats.computeIfAbsent(chatId, id -> new ChatState(id, title, username, "channel",
        "administrator"));
    return new Channel(this, c);
  }

  /** A group chat (supergroup when the id looks like -100...); posts arrive as "message" updates. */
  public Group group(long chatId, String title) {
    String type = chatId <= -1_000_000_000_000L ? "supergroup" : "group";
    ChatState c = chats.computeIfAbsent(chatId, id -> new ChatState(id, title, null, type, "member"));
    return new Group(this, c);
  }

  /** A user's private chat with the bot (chat id = user id); posts there arrive as "message" from that user. */
  public Group privateChat(long userId, String firstName) {
    ChatState c = chats.computeIfAbsent(userId, id -> new ChatState(id, firstName, null, "private", "member"));
    return new Group(this, c);
  }

  /**
   * The bot's state in a user's private chat: "member" (the user pressed Start: the default for any
   * user id), "left" (never started it: sends answer 403) or "kicked" (the user blocked the bot: 403).
   */
  public void privateChatStatus(long userId, String status) {
    if (!Set.of("member", "left", "kicked").contains(status)) {
      throw new IllegalArgumentException("status must be member, left or kicked");
    }
    chats.computeIfAbsent(userId, id -> new ChatState(id, "Owner", null, "private", "member")).setBotStatus(status);
  }

  /** Registers a file that no message refers to yet (e.g. for getFile tests). */
  public FileRef addFile(FileContent content, String kindDir) {
    return files.add(content, kindDir, null);
  }

  /**
   * Extra (not in the real server): raises or lowers the cloud getFile size limit (default 20 MiB), e.g. so a
   * benchmark can download GiB files over {@code /file/} in cloud mode.
   */
  public void cloudDownloadLimit(long bytes) {
    files.cloudDownloadLimit(bytes);
  }

  /**
   * Extra (not in the real server): in local mode, also serve {@code /file/bot<token>/<kindDir>/file_N.ext}
   * (paths relative to {@code <root>/<token>/}), like a static file server in front of the server's directory.
   */
  public void serveLocalFiles(boolean on) {
    files.serveLocal(on);
  }

  public List<RecordedRequest> requests() {
    return recorder.snapshot();
  }

  public Faults faults() {
    return faults;
  }

  public List<SentMessage> sent(long chatId) {
    ChatState c = chats.get(chatId);
    return c == null ? List.of() : c.sent();
  }

  /** How many messages a chat holds now (deleted ones gone), e.g. to see a staging chat was cleaned up. */
  public int messageCount(long chatId) {
    ChatState c = chats.get(chatId);
    return c == null ? 0 : c.messageCount();
  }

  public boolean botLeft(long chatId) {
    ChatState c = chats.get(chatId);
    return c != null && c.botStatus().equals("left");
  }

  public int pendingUpdates() {
    return updates.pending();
  }

  /** The webhook URL set with setWebhook, or "" (long polling). */
  public String webhookUrl() {
    return webhook.url();
  }

  @Override
  public void close() {
    webhook.close();
    updates.close();
    server.stop(0);
    executor.shutdownNow();
    try (Stream<Path> s = Files.walk(spoolDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.debug("could not clean {}", spoolDir, e);
    }
  }

  // ---- package-private plumbing for the routers and builders

  ChatState chat(long id) {
    return chats.get(id);
  }

  /** Resolves a chat_id parameter: numeric id or @username; positive unknown ids become private chats. */
  ChatState resolveChat(String chatId) {
    if (chatId == null || chatId.isEmpty()) {
      throw ApiException.badRequest("chat_id is empty");
    }
    if (chatId.startsWith("@")) {
      String u = chatId.substring(1);
      return chats.values().stream().filter(c -> u.equalsIgnoreCase(c.username)).findFirst()
          .orElseThrow(() -> ApiException.badRequest("chat not found"));
    }
    long id;
    try {
      id = Long.parseLong(chatId.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("chat not found");
    }
    if (id > 0) {
      return chats.computeIfAbsent(id, k -> new ChatState(k, "Owner", null, "private", "member"));
    }
    ChatState c = chats.get(id);
    if (c == null) {
      throw ApiException.badRequest("chat not found");
    }
    return c;
  }

  ObjectNode botUser() {
    ObjectNode u = Json.object();
    u.put("id", botUserId);
    u.put("is_bot", true);
    u.put("first_name", "Mirror Test Bot");
    u.put("username", "channel_mirror_test_bot");
    return u;
  }

  ObjectNode ownerUser() {
    ObjectNode u = Json.object();
    u.put("id", 5550001111L);
    u.put("is_bot", false);
    u.put("first_name", "Anna");
    u.put("username", "anna_k");
    u.put("language_code", "en");
    return u;
  }

  long nowSeconds() {
    return clock.instant().getEpochSecond();
  }

  /** Queues the update for a post or edit unless the bot is not in the chat; returns the update id or 0. */
  int deliver(ChatState chat, MessageModel m, boolean edit) {
    if (!chat.botPresent()) {
      return 0;
    }
    String type = chat.isChannel() ? (edit ? "edited_channel_post" : "channel_post")
        : (edit ? "edited_message" : "message");
    long base = m.editDate != null ? m.editDate : m.date;
    return updates.push(type, m.render(), base + 86_400);
  }
}
