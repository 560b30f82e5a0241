package org.channelmirror.telegram;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.TelegramConfig;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.GetFile;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.groupadministration.LeaveChat;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.objects.File;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

/**
 * Bot API access for channel-mirror: method calls through the TelegramBots client (pointed at
 * {@code telegram.apiUrl}), flood control, and file downloads done here because the library's
 * download is hard-wired to api.telegram.org and buffers whole files.
 */
public final class BotApi implements AutoCloseable {
  /** What channel-mirror asks Telegram to deliver. */
  public static final List<String> ALLOWED_UPDATES =
      List.of("channel_post", "edited_channel_post", "my_chat_member", "message");

  private final TelegramConfig config;
  private final OkHttpClient http;
  private final OkHttpTelegramClient client;
  /** getFile's client: in local mode with a read timeout for a server that fetches a 2000 MB file first. */
  private final OkHttpTelegramClient fileLookups;
  private final Duration getFileTimeout;
  private final FloodGate gate;
  /** Flood control of the file server: one for every download of this bot, so a 429 holds them all. */
  private final FloodGate fileServer;

  /**
   * How long a local Bot API server may take to answer getFile: it downloads the whole file from
   * Telegram before it answers, minutes for a file of up to 2000 MB on a slow link. (A cloud
   * getFile answers at once: files there are at most 20 MB and stay on Telegram's servers.)
   */
  static final Duration LOCAL_GET_FILE_TIMEOUT = Duration.ofMinutes(30);

  public BotApi(TelegramConfig config, Clock clock) {
    this.config = config;
    // long polls last up to 50 s: the read timeout must exceed them
    Duration read = Duration.ofSeconds(config.pollTimeoutSeconds() + 60L);
    this.http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(15))
        .readTimeout(read)
        .writeTimeout(Duration.ofSeconds(120))
        .retryOnConnectionFailure(true)
        .build();
    URI api = config.apiUrl();
    int port = api.getPort() > 0 ? api.getPort() : ("https".equals(api.getScheme()) ? 443 : 80);
    TelegramUrl url = new TelegramUrl(api.getScheme(), api.getHost(), port, false);
    this.client = new OkHttpTelegramClient(http, config.token().reveal(), url);
    this.getFileTimeout = config.localMode() && LOCAL_GET_FILE_TIMEOUT.compareTo(read) > 0 ? LOCAL_GET_FILE_TIMEOUT : read;
    this.fileLookups = getFileTimeout.equals(read) ? client
        : new OkHttpTelegramClient(http.newBuilder().readTimeout(getFileTimeout).build(), config.token().reveal(), url);
    this.gate = new FloodGate(clock, config.requestsPerSecond());
    // downloads are not Bot API calls: no budget, but a 429 blocks every one of them
    this.fileServer = new FloodGate(clock, 0);
  }

  /** The gate every download from the file server passes (key {@code "file"}). */
  public FloodGate fileServerGate() {
    return fileServer;
  }

  /** How long getFile waits for its answer. */
  Duration getFileTimeout() {
    return getFileTimeout;
  }

  /** The bot's user id, which keys its update offset. */
  public long botId() {
    return config.botId();
  }

  /** The raw getUpdates envelope ({@code {"ok":true,"result":[...]}}). */
  public ObjectNode getUpdates(long offset, int limit, int timeoutSeconds) throws InterruptedException {
    return call("getUpdates", RawMethod.getUpdates(offset, limit, timeoutSeconds, ALLOWED_UPDATES));
  }

  public FileLocation getFile(String fileId) throws InterruptedException {
    File f = call(fileLookups, "getFile", GetFile.builder().fileId(fileId).build());
    return new FileLocation(f.getFileId(), f.getFileUniqueId(), f.getFileSize(), f.getFilePath());
  }

  /**
   * The numeric id of {@code chat}, a channel's {@code @username} or a numeric id, as getChat
   * answers it: restores are journaled by id, which stays the same when a username changes.
   */
  public long chatId(String chat) throws InterruptedException {
    ObjectNode c = chat(chat);
    if (!c.path("id").canConvertToLong()) {
      throw new BotApiException(BotApiException.Kind.PERMANENT, 0, 0,
          "getChat " + chat + " answered a chat without a numeric id: " + c, null);
    }
    return c.path("id").asLong();
  }

  /** getChat's Chat object for a numeric id or a channel's {@code @username}. */
  public ObjectNode chat(String chat) throws InterruptedException {
    return (ObjectNode) call("getChat", RawMethod.getChat(chat)).get("result");
  }

  /** getMe: the bot's own User object. */
  public ObjectNode me() throws InterruptedException {
    return (ObjectNode) call("getMe", RawMethod.object("getMe", Map.of())).get("result");
  }

  /** getChatMember: {@code userId}'s ChatMember object in {@code chatId} (its {@code status}). */
  public ObjectNode chatMember(long chatId, long userId) throws InterruptedException {
    return (ObjectNode) call("getChatMember", RawMethod.object("getChatMember",
        Map.of("chat_id", chatId, "user_id", userId))).get("result");
  }

  /** getWebhookInfo: a non-empty {@code url} means Telegram refuses getUpdates. */
  public ObjectNode webhookInfo() throws InterruptedException {
    return (ObjectNode) call("getWebhookInfo", RawMethod.object("getWebhookInfo", Map.of()))
        .get("result");
  }

  /**
   * setWebhook: Telegram POSTs every update to {@code url} with {@code secretToken} in the header
   * X-Telegram-Bot-Api-Secret-Token, and refuses getUpdates from now on. Pending updates are kept.
   *
   * @param maxConnections 1-100, or 0 for Telegram's default (40)
   * @return the server's description ("Webhook was set", "Webhook is already set")
   */
  public String setWebhook(String url, String secretToken, int maxConnections) throws InterruptedException {
    Map<String, Object> params = new java.util.LinkedHashMap<>();
    params.put("url", url);
    params.put("secret_token", secretToken);
    params.put("allowed_updates", ALLOWED_UPDATES);
    params.put("drop_pending_updates", false);
    if (maxConnections > 0) {
      params.put("max_connections", maxConnections);
    }
    return call("setWebhook", RawMethod.bool("setWebhook", params)).path("description").asText("");
  }

  /** deleteWebhook without dropping pending updates: getUpdates fetches them afterwards. */
  public String deleteWebhook() throws InterruptedException {
    return call("deleteWebhook", RawMethod.bool("deleteWebhook", Map.of("drop_pending_updates", false)))
        .path("description").asText("");
  }

  /**
   * forwardMessage without notification: the full Message as posted in {@code chatId}, with media
   * file_ids this bot can download (backfill; forwardMessages and copyMessage answer ids only).
   */
  public ObjectNode forwardMessage(long chatId, long fromChatId, long messageId) throws InterruptedException {
    return (ObjectNode) call("forwardMessage", RawMethod.object("forwardMessage", Map.of("chat_id", chatId,
        "from_chat_id", fromChatId, "message_id", messageId, "disable_notification", true))).get("result");
  }

  public void deleteMessage(long chatId, long messageId) throws InterruptedException {
    call("deleteMessage", RawMethod.bool("deleteMessage", Map.of("chat_id", chatId, "message_id", messageId)));
  }

  public void leaveChat(long chatId) throws InterruptedException {
    call("leaveChat", LeaveChat.builder().chatId(chatId).build());
  }

  public void sendMessage(long chatId, String text) throws InterruptedException {
    call("sendMessage", SendMessage.builder().chatId(chatId).text(text).build());
  }

  /**
   * Opens the file's bytes. Local mode with an absolute path reads the Bot API server's disk;
   * anything else is fetched from {@code <apiUrl>/file/bot<token>/<path>}.
   */
  public Download open(FileLocation loc) throws IOException {
    String path = loc.filePath();
    if (path == null || path.isEmpty()) {
      throw new BotApiException(BotApiException.Kind.RETRYABLE, 0, 0,
          "getFile returned no file_path for file " + loc.fileUniqueId(), null);
    }
    if (config.localMode() && path.startsWith("/")) {
      return openLocal(Path.of(path));
    }
    HttpUrl url = HttpUrl.get(config.apiUrl().toString()).newBuilder()
        .addPathSegment("file").addPathSegment("bot" + config.token().reveal())
        .addPathSegments(path).build();
    Response response = http.newCall(new Request.Builder().url(url).get().build()).execute();
    if (!response.isSuccessful()) {
      int code = response.code();
      response.close();
      // an expired link is asked for again with getFile, on the file's next attempt
      BotApiException.Kind kind = linkMayHaveExpired(code) || code >= 500 || code == 429
          ? BotApiException.Kind.RETRYABLE : BotApiException.Kind.PERMANENT;
      throw new BotApiException(kind, code, 0, "download of " + redactedFileUrl(path) + " answered HTTP " + code, null);
    }
    long length = response.body().contentLength();
    return new Download(response.body().byteStream(), length);
  }

  private Download openLocal(Path file) throws IOException {
    Path normal = LocalFiles.checked(file, config.localRoot());
    try {
      InputStream in = Files.newInputStream(normal);
      return new Download(in, Files.size(normal));
    } catch (NoSuchFileException e) {
      throw LocalFiles.missing(normal, e);
    }
  }

  private String redactedFileUrl(String path) {
    return config.apiUrl() + "/file/bot<redacted>/" + path;
  }

  private <T extends java.io.Serializable> T call(String method, BotApiMethod<T> m) throws InterruptedException {
    return call(client, method, m);
  }

  private <T extends java.io.Serializable> T call(OkHttpTelegramClient via, String method, BotApiMethod<T> m)
      throws InterruptedException {
    FloodGate.Pass pass = gate.enter(method);
    boolean ok = false;
    try {
      T result = via.execute(m);
      ok = true;
      return result;
    } catch (TelegramApiRequestException e) {
      ok = e.getErrorCode() == null || e.getErrorCode() != 429;
      int code = e.getErrorCode() == null ? 0 : e.getErrorCode();
      int retryAfter = e.getParameters() != null && e.getParameters().getRetryAfter() != null
          ? e.getParameters().getRetryAfter() : retryAfterFromText(e.getApiResponse());
      if (code == 429 || (code == 400 && retryAfter > 0)) {
        gate.block(method, retryAfter);
        throw new BotApiException(BotApiException.Kind.FLOOD, 429, retryAfter,
            method + ": flood control, retry after " + retryAfter + " s", e);
      }
      String desc = e.getApiResponse() == null ? Secrets.redact(e.getMessage()) : e.getApiResponse();
      if (code == 0 && desc.contains("Unable to deserialize")) {
        // TelegramBots' words for an HTML error page (a proxy's 502, say) or some other server
        desc += " (the answer was not Bot API JSON: an error page of a proxy in front of the Bot API,"
            + " or telegram.apiUrl pointing at something else)";
      }
      throw new BotApiException(BotApiException.classify(code, desc), code, 0,
          method + " failed: " + (code == 0 ? "" : "[" + code + "] ") + desc, null);
    } catch (TelegramApiException e) {
      Throwable cause = e.getCause();
      // stopping: OkHttp reports the interrupt as either, and may have cleared the thread's flag
      if (cause instanceof InterruptedException
          || (cause instanceof InterruptedIOException && Thread.currentThread().isInterrupted())) {
        throw new InterruptedException(method + " interrupted");
      }
      throw new BotApiException(BotApiException.Kind.RETRYABLE, 0, 0, method + " failed: "
          + Secrets.redact(cause == null ? e.getMessage() : cause.toString()), null);
    } finally {
      gate.done(pass, ok);
    }
  }

  /**
   * Whether a file link's answer may mean the link expired (getFile gives a new one): 404, and
   * 401, 403 or 410, which proxies and other servers give for a stale link. The one rule for the
   * whole-file download here and the ranged downloads of the transfer engine.
   */
  public static boolean linkMayHaveExpired(int code) {
    return code == 404 || code == 401 || code == 403 || code == 410;
  }

  /**
   * The flood wait an error envelope asks for, in seconds: {@code parameters.retry_after}, else the
   * "retry after N" of its description; 0 when it asks for none.
   */
  public static int retryAfter(com.fasterxml.jackson.databind.JsonNode envelope) {
    int seconds = envelope.path("parameters").path("retry_after").asInt(0);
    return seconds > 0 ? seconds : retryAfterFromText(envelope.path("description").asText(null));
  }

  /** Older servers report flood control inside a 400 text: "... retry after 8". */
  static int retryAfterFromText(String text) {
    if (text == null) {
      return 0;
    }
    var m = java.util.regex.Pattern.compile("retry after (\\d+)").matcher(text.toLowerCase());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    try {
      http.dispatcher().executorService().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------- restore: sending posts back (recovery)
  // Uploads go through OkHttp directly: TelegramBots' InputFile(InputStream) reads a whole file into
  // memory and InputFile(File) needs it on disk; here each part streams from its source (S3).

  /** One file part of a multipart send; {@link #source} is opened anew for each HTTP attempt. */
  public record UploadFile(String partName, String fileName, String contentType, long size, UploadSource source) {}

  /** Opens an upload's bytes; each call returns a fresh stream from the start. */
  public interface UploadSource {
    InputStream open() throws IOException;
  }

  /** Hears how a multipart send progresses; called on the sending thread. */
  public interface SendListener {
    /** {@code n} more file bytes were written to the connection. */
    default void bytes(long n) {}

    /**
     * From now on the server may hold a complete request: the last file's last byte was written
     * (only the closing boundary is still to go), or, for a send without files, the request is
     * about to go out. Until this returns the server cannot have acted on the request.
     */
    default void lastFileWritten() {}
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper SEND_JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private OkHttpClient sendHttp;

  /**
   * Calls a send method ({@code sendPhoto}, {@code sendMediaGroup}, {@code sendMessage}, ...) as
   * multipart/form-data and returns its {@code result}. Nested values in {@code fields}
   * ({@code caption_entities}, {@code media}) must already be JSON text. Flood control is kept
   * per target chat: after a 429 nothing more is sent to {@code chatId} before retry_after expires.
   * Never retried here (a retried send could post twice): OkHttp's silent retry is off too.
   *
   * @param listener told of file bytes written, and of the moment the request is nearly complete
   * @throws BotApiException FLOOD (not sent; call again, the gate waits), PERMANENT/TOO_BIG (not
   *     sent), RETRYABLE with an HTTP status (5xx: the server may or may not have posted it)
   * @throws java.net.ConnectException nothing was sent
   * @throws IOException the connection failed after the request may have reached the server
   */
  public com.fasterxml.jackson.databind.JsonNode sendMultipart(String method, long chatId,
      Map<String, String> fields, List<UploadFile> files, SendListener listener)
      throws InterruptedException, IOException {
    String gateKey = "send:" + chatId;
    FloodGate.Pass pass = gate.enter(gateKey);
    boolean flooded = false;
    try {
      if (files.isEmpty()) {
        listener.lastFileWritten();
      }
      okhttp3.MultipartBody.Builder body = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
          .addFormDataPart("chat_id", Long.toString(chatId));
      fields.forEach(body::addFormDataPart);
      for (int i = 0; i < files.size(); i++) {
        UploadFile f = files.get(i);
        body.addFormDataPart(f.partName(), f.fileName(), new StreamingBody(f, listener, i == files.size() - 1));
      }
      HttpUrl url = HttpUrl.get(config.apiUrl().toString()).newBuilder()
          .addPathSegment("bot" + config.token().reveal()).addPathSegment(method).build();
      String text;
      int status;
      try (Response response = sendClient().newCall(new Request.Builder().url(url).post(body.build()).build())
          .execute()) {
        status = response.code();
        text = response.body() == null ? "" : response.body().string();
      }
      com.fasterxml.jackson.databind.JsonNode root;
      try {
        root = SEND_JSON.readTree(text);
      } catch (IOException e) {
        root = null;
      }
      if (root == null || !root.isObject()) {
        // e.g. nginx's HTML "413 Request Entity Too Large" in front of the cloud Bot API
        BotApiException.Kind kind = status == 413 ? BotApiException.Kind.TOO_BIG
            : status >= 500 || status == 0 ? BotApiException.Kind.RETRYABLE : BotApiException.Kind.PERMANENT;
        throw new BotApiException(kind, status, 0, method + " to chat " + chatId + " answered HTTP " + status
            + (status == 413 ? " (request too large for this Bot API server)" : " without a Bot API response"), null);
      }
      if (root.path("ok").asBoolean(false)) {
        return root.path("result");
      }
      int code = root.path("error_code").asInt(status);
      String desc = root.path("description").asText("");
      int retryAfter = retryAfter(root);
      if (code == 429 || (code == 400 && retryAfter > 0)) {
        gate.block(gateKey, retryAfter);
        flooded = true;
        throw new BotApiException(BotApiException.Kind.FLOOD, 429, retryAfter,
            method + " to chat " + chatId + ": flood control, retry after " + retryAfter + " s", null);
      }
      throw new BotApiException(BotApiException.classify(code, desc), code, 0,
          method + " to chat " + chatId + " failed: [" + code + "] " + desc, null, desc);
    } finally {
      gate.done(pass, !flooded);
    }
  }

  /** No silent retries, and idle connections dropped after 5 s so a send never meets a stale one. */
  private synchronized OkHttpClient sendClient() {
    if (sendHttp == null) {
      sendHttp = http.newBuilder().retryOnConnectionFailure(false)
          .connectionPool(new okhttp3.ConnectionPool(2, 5, TimeUnit.SECONDS))
          .readTimeout(Duration.ofMinutes(10)).writeTimeout(Duration.ofMinutes(2)).build();
    }
    return sendHttp;
  }

  /** A part whose bytes stream from its source on every write; checks the length it promised. */
  private static final class StreamingBody extends okhttp3.RequestBody {
    private final UploadFile file;
    private final SendListener listener;
    private final boolean last;

    StreamingBody(UploadFile file, SendListener listener, boolean last) {
      this.file = file;
      this.listener = listener;
      this.last = last;
    }

    @Override
    public okhttp3.MediaType contentType() {
      okhttp3.MediaType t = file.contentType() == null ? null : okhttp3.MediaType.parse(file.contentType());
      return t != null ? t : okhttp3.MediaType.get("application/octet-stream");
    }

    @Override
    public long contentLength() {
      return file.size();
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      long written = 0;
      try (InputStream in = file.source().open()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (written + n > file.size()) {
            throw new IOException(file.fileName() + ": source has more than the expected " + file.size() + " bytes");
          }
          sink.write(buf, 0, n);
          written += n;
          listener.bytes(n);
        }
      }
      if (written != file.size()) {
        throw new IOException(file.fileName() + ": source ended after " + written + " of " + file.size() + " bytes");
      }
      if (last) {
        listener.lastFileWritten();
      }
    }
  }
}
