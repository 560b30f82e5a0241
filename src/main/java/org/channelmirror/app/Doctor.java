package org.channelmirror.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigException;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.StorageConfig;
import org.channelmirror.config.WebhookConfig;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;

/**
 * {@code doctor}: checks one at a time what channel-mirror needs from its surroundings, the
 * catalog, the Bot API (token, webhook, the bot's rights in each channel) and the bucket (write,
 * read, delete), and says for each failure what to change. It reads and writes nothing of the
 * backup: the bucket check writes one probe object under the prefix and deletes it again, and
 * neither getUpdates nor setWebhook is called, so it is safe while the service runs.
 */
public final class Doctor {
  public enum Verdict { OK, WARN, FAIL }

  /** One check's outcome: what was checked, and what was found or what to do. */
  public record Check(Verdict verdict, String what, String detail) {}

  private final Config config;
  private final Consumer<Check> report;
  private final List<Check> checks = new ArrayList<>();

  private Doctor(Config config, Consumer<Check> report) {
    this.config = config;
    this.report = report;
  }

  /** Runs every check, handing each to {@code report} as it completes (some take seconds). */
  public static List<Check> examine(Config config, Consumer<Check> report) throws InterruptedException {
    Doctor d = new Doctor(config, report);
    d.catalog();
    d.telegram();
    d.storage();
    return List.copyOf(d.checks);
  }

  private void catalog() {
    String url = config.catalog().url();
    try (Catalog catalog = Application.openCatalog(config)) {
      catalog.ping(); // a query, not just a connection
      add(Verdict.OK, "catalog", url + " opens, schema current");
    } catch (RuntimeException e) {
      // a refused login or a missing database already names its key
      add(Verdict.FAIL, "catalog", e.getMessage()
          + (e instanceof ConfigException ? "" : " (check catalog.url, catalog.user and catalog.password)"));
    }
  }

  private void telegram() throws InterruptedException {
    String at = config.telegram().apiUrl().toString();
    try (BotApi api = new BotApi(config.telegram(), Clock.systemUTC())) {
      ObjectNode me;
      try {
        me = api.me();
      } catch (BotApiException e) {
        if (e.errorCode() == 401 || e.errorCode() == 404) {
          add(Verdict.FAIL, "Telegram", "the Bot API at " + at + " refused the token (" + e.getMessage()
              + "): copy it again from @BotFather (/token) into telegram.token or TELEGRAM_BOT_TOKEN");
        } else {
          add(Verdict.FAIL, "Telegram", "cannot reach the Bot API at " + at + ": " + e.getMessage()
              + " (check telegram.apiUrl and this machine's network)");
        }
        return;
      }
      long botId = me.path("id").asLong();
      add(Verdict.OK, "Telegram", "bot @" + me.path("username").asText("?") + " (id " + botId + ") at " + at
          + (config.telegram().localMode() ? ", local mode" : ""));
      webhook(api);
      if (config.telegram().channels().isEmpty()) {
        add(Verdict.WARN, "channels", "telegram.channels is empty: no channel is mirrored; add the ids of your"
            + " channels (they start with -100)");
      }
      for (long chat : config.telegram().channels()) {
        channel(api, chat, botId);
      }
    }
  }

  private void webhook(BotApi api) throws InterruptedException {
    WebhookConfig wh = config.telegram().webhook();
    ObjectNode info;
    try {
      info = api.webhookInfo();
    } catch (BotApiException e) {
      add(Verdict.WARN, "webhook", "could not ask (" + e.getMessage() + ")");
      return;
    }
    String url = info.path("url").asText("");
    if (!wh.enabled()) {
      if (url.isEmpty()) {
        add(Verdict.OK, "webhook", "none set: updates are fetched with getUpdates");
      } else {
        add(Verdict.WARN, "webhook", "a webhook is set (" + url + "), and Telegram refuses"
            + " getUpdates while it is: run will remove it at start (its " + info.path("pending_update_count").asInt()
            + " pending update(s) are kept and fetched with getUpdates). If another program set it, stop that one"
            + " first");
      }
      return;
    }
    String ours = wh.url().toString();
    String refusal = refusedByCloud(wh);
    if (refusal != null) {
      boolean cloud = config.telegram().apiUrl().getHost().equalsIgnoreCase("api.telegram.org");
      add(cloud ? Verdict.FAIL : Verdict.WARN, "webhook", "telegram.webhook.url " + ours + ": " + refusal
          + (cloud ? "; put a reverse proxy with a certificate in front of telegram.webhook.listen, or use a"
              + " self-hosted Bot API server started with --local (telegram.localMode: true)"
              : ", unless the Bot API server at " + config.telegram().apiUrl() + " runs with --local"));
    }
    int pending = info.path("pending_update_count").asInt();
    String lastError = info.hasNonNull("last_error_message")
        ? " Last delivery error at " + java.time.Instant.ofEpochSecond(info.path("last_error_date").asLong())
            + ": " + info.get("last_error_message").asText() + "."
        : "";
    if (url.isEmpty()) {
      add(Verdict.WARN, "webhook", "telegram.webhook.url is " + ours + ", not registered at Telegram yet: run"
          + " registers it at start (" + pending + " update(s) are waiting for getUpdates meanwhile)");
    } else if (!url.equals(ours)) {
      add(Verdict.WARN, "webhook", "Telegram delivers to " + url + ", not to telegram.webhook.url "
          + ours + ": run registers its own at start; if another program uses this bot token, stop it first."
          + lastError);
    } else if (!lastError.isEmpty() && pending > 0) {
      add(Verdict.WARN, "webhook", "registered (" + ours + "), " + pending + " update(s) waiting." + lastError
          + " Check that run is up and the reverse proxy forwards the URL to telegram.webhook.listen "
          + wh.listen());
    } else {
      add(Verdict.OK, "webhook", "registered (" + ours + "), " + pending + " update(s) waiting." + lastError);
    }
  }

  /** Why the cloud Bot API would refuse the URL, or null (a --local server accepts any). */
  private String refusedByCloud(WebhookConfig wh) {
    if (config.telegram().localMode()) {
      return null;
    }
    java.net.URI u = wh.url();
    int port = u.getPort() > 0 ? u.getPort() : u.getScheme().equals("https") ? 443 : 80;
    if (!u.getScheme().equals("https")) {
      return "the Bot API delivers only to https:// URLs";
    }
    if (port != 443 && port != 80 && port != 88 && port != 8443) {
      return "the Bot API delivers only to ports 443, 80, 88 or 8443, not " + port;
    }
    return null;
  }

  private void channel(BotApi api, long chat, long botId) throws InterruptedException {
    String what = "channel " + chat;
    ObjectNode info;
    try {
      info = api.chat(Long.toString(chat));
    } catch (BotApiException e) {
      add(Verdict.FAIL, what, "Telegram does not show this chat to the bot (" + e.getMessage() + "): check the"
          + " id in telegram.channels (channel ids start with -100) and add the bot to the channel as an"
          + " administrator");
      return;
    }
    String title = "'" + info.path("title").asText("?") + "'";
    String type = info.path("type").asText("?");
    if (!type.equals("channel")) {
      add(Verdict.WARN, what, title + " is a " + type + ", not a channel: channel-mirror backs up channel"
          + " posts only");
    }
    try {
      String status = api.chatMember(chat, botId).path("status").asText("?");
      if (status.equals("administrator") || status.equals("creator")) {
        add(Verdict.OK, what, title + ": the bot is an administrator, so new posts and edits reach it");
      } else {
        add(Verdict.FAIL, what, title + ": the bot is '" + status + "', and Telegram sends channel posts to"
            + " administrators only: add it in the channel's settings, Administrators, Add Admin");
      }
    } catch (BotApiException e) {
      add(Verdict.FAIL, what, title + ": could not read the bot's membership (" + e.getMessage() + ")");
    }
  }

  private void storage() {
    StorageConfig sc = config.storage();
    if (sc.embedded()) {
      Path root = config.dataDir().resolve("s3").toAbsolutePath();
      try {
        Files.createDirectories(root);
        Path probe = Files.createTempFile(root, ".doctor-", ".tmp");
        Files.delete(probe);
        add(Verdict.OK, "storage", "embedded S3-compatible server (storage.endpoint is empty), files under "
            + root + " (writable)");
      } catch (IOException | RuntimeException e) {
        add(Verdict.FAIL, "storage", "the embedded server stores under " + root + ", which is not writable ("
            + e.getMessage() + "): fix dataDir or its permissions");
      }
      return;
    }
    try (ObjectStore store = ObjectStore.connect(BackupBucket.settings(sc, sc.endpoint(), sc.accessKeyId(),
        sc.secretAccessKey().reveal()))) {
      store.ensureBucket(sc.createBucket());
      String key = store.prefix() + ".channel-mirror-doctor/" + UUID.randomUUID();
      byte[] data = ("channel-mirror doctor probe " + key).getBytes(StandardCharsets.UTF_8);
      store.putBytes(key, data, "text/plain", Map.of());
      boolean same = Arrays.equals(store.getBytes(key), data);
      store.delete(key);
      if (same) {
        add(Verdict.OK, "storage", "bucket '" + store.bucket() + "' at " + endpoint(sc)
            + ": write, read and delete work");
      } else {
        add(Verdict.FAIL, "storage", "bucket '" + store.bucket() + "' at " + endpoint(sc)
            + " returned other bytes than were written: check the server");
      }
    } catch (RuntimeException e) {
      add(Verdict.FAIL, "storage", String.valueOf(e.getMessage()));
    }
  }

  private static String endpoint(StorageConfig sc) {
    return sc.endpoint().isEmpty() ? "AWS S3 (" + sc.region() + ")" : sc.endpoint();
  }

  /** Every detail passes the redactor here: URLs and server messages may carry the token or a secret. */
  private void add(Verdict verdict, String what, String detail) {
    Check c = new Check(verdict, what, Secrets.redact(detail));
    checks.add(c);
    report.accept(c);
  }
}
