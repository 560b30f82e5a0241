package org.channelmirror.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import org.channelmirror.backup.BackupReport;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.CatalogException;
import org.channelmirror.catalog.H2Files;
import org.channelmirror.catalog.Problem;
import org.channelmirror.config.CatalogConfig;
import org.channelmirror.config.Config;
import org.channelmirror.config.ConfigException;
import org.channelmirror.config.Secrets;
import org.channelmirror.config.StorageConfig;
import org.channelmirror.config.WebhookConfig;
import org.channelmirror.intake.Intake;
import org.channelmirror.recovery.BucketReader;
import org.channelmirror.recovery.VerifyRun;
import org.channelmirror.retry.Backoff;
import org.channelmirror.schedule.Schedules;
import org.channelmirror.storage.BandwidthLimit;
import org.channelmirror.storage.ObjectStore;
import org.channelmirror.storage.StorageException;
import org.channelmirror.telegram.BotApi;
import org.channelmirror.telegram.BotApiException;
import org.channelmirror.transfer.MediaTransfer;
import org.channelmirror.transfer.TransferListener;
import org.channelmirror.transfer.UploadJanitor;
import org.channelmirror.web.StatusServer;
import org.channelmirror.webhook.WebhookIntake;
import org.channelmirror.webhook.WebhookServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composition root: builds every component from the configuration, and starts and stops them in
 * a fixed order (catalog, storage, Bot API; stop in reverse).
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  /** How often `sync` tries again while another process holds the backup lease, and says so. */
  private static final Duration SYNC_RETRY = Duration.ofSeconds(2);
  private static final Duration SYNC_WAIT_NOTICE = Duration.ofSeconds(30);
  /** Intake silent for the long-poll timeout plus this is unhealthy (the poller's retries fit in it). */
  private static final Duration HEALTH_GRACE = Duration.ofMinutes(2);
  /** How often the service asks getWebhookInfo, and how long a webhook problem may last before it is unhealthy. */
  private static final Duration WEBHOOK_CHECK = durationProperty("channel-mirror.webhook.check", Duration.ofMinutes(1));
  /** The least time from the start of a poll that got nothing to the next poll. */
  private static final Duration EMPTY_POLL_INTERVAL = Duration.ofSeconds(1);
  /** How often `sync` asks again after a 409 that no webhook explains, before it gives up. */
  private static final int SYNC_CONFLICT_RETRIES = 3;
  private static final Duration WEBHOOK_GRACE = durationProperty("channel-mirror.webhook.grace", Duration.ofMinutes(2));

  private final Config config;
  private final Catalog catalog;
  private final BackupBucket bucket;
  private final ObjectStore store;
  private final BotApi api;
  private final Intake intake;
  private final BackupRun backup;
  private final MediaTransfer transfer;
  private final UploadJanitor janitor;
  private final Health health;
  /** Set by {@link #stop}: a one-shot pass ends after its current step. */
  private volatile boolean stopping;

  private Application(Config config, Catalog catalog, BackupBucket bucket, BotApi api) {
    this.config = config;
    this.catalog = catalog;
    this.bucket = bucket;
    this.store = bucket.store();
    this.api = api;
    this.intake = new Intake(api, catalog, new HashSet<>(config.telegram().channels()), new OwnerCommands(
        api, config.telegram().owners(), () -> status(catalog, config)));
    store.limitUploads(BandwidthLimit.of(config.transfer().uploadLimit()));
    this.transfer = new MediaTransfer(api, store, catalog.uploadJournal(), config.telegram(), config.transfer(),
        config.storage().partSize());
    this.janitor = new UploadJanitor(store, catalog, Clock.systemUTC());
    this.health = new Health(Clock.systemUTC(),
        Duration.ofSeconds(config.telegram().pollTimeoutSeconds()).plus(HEALTH_GRACE));
    this.backup = new BackupRun(catalog, store, transfer, config.telegram(), config.transfer().concurrency(),
        Clock.systemUTC(), janitor);
  }

  public static Application start(Config config) {
    return start(config, true);
  }

  /**
   * For the commands that read an existing backup with the catalog (verify, reindex): a bucket that
   * does not exist is an error, never created, so that a mistyped name is not reported as an
   * empty but healthy backup. (restore and export need no catalog: {@link BackupBucket#openExisting}.)
   */
  public static Application startOnExistingBackup(Config config) {
    return start(config, false);
  }

  private static Application start(Config config, boolean mayCreateBucket) {
    log.debug("effective configuration:\n{}", config.describe());
    MediaTransfer.checkHeapFor(config.storage().partSize()); // before anything is opened
    // the catalog (H2 or a PostgreSQL pool, schema check) opens on a second thread while this one
    // builds the S3 client: both take a few hundred milliseconds of mostly class loading, and
    // every command waits for them
    FutureTask<Catalog> opening = new FutureTask<>(() -> openCatalog(config));
    Thread opener = new Thread(opening, "catalog-open");
    opener.setDaemon(true);
    opener.start();
    Catalog catalog = null;
    BackupBucket bucket = null;
    try {
      StorageConfig sc = config.storage();
      bucket = BackupBucket.connect(config);
      catalog = opened(opening); // before any storage request: a broken catalog is reported first
      try {
        if (mayCreateBucket) {
          bucket.store().ensureBucket(sc.createBucket() || sc.embedded());
        } else {
          bucket.requireExisting(config);
        }
      } catch (StorageException e) {
        if (!e.retryable() || !mayCreateBucket) {
          // wrong bucket or credentials: the owner has to act, say so at once; and the recovery
          // commands (verify, reindex) have nothing to do without storage
          throw e;
        }
        // an outage must not stop intake: posts keep being journaled, backups retry on schedule
        log.error("storage is unreachable ({}); posts are still journaled and backed up once it is back",
            e.getMessage());
      }
      return new Application(config, catalog, bucket, new BotApi(config.telegram(), Clock.systemUTC()));
    } catch (RuntimeException e) {
      closeQuietly(bucket);
      if (catalog == null) {
        catalog = openedQuietly(opening);
      }
      if (catalog != null) {
        catalog.close();
      }
      throw e;
    }
  }

  /** The opened catalog, or what opening it threw. */
  private static Catalog opened(FutureTask<Catalog> opening) {
    try {
      return opening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(openedQuietly(opening));
      throw new IllegalStateException("interrupted while opening the catalog", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** After a failure elsewhere: the catalog once it has opened, or null when opening failed too. */
  private static Catalog openedQuietly(FutureTask<Catalog> opening) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return opening.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static Catalog openCatalog(Config config) {
    CatalogConfig cc = config.catalog();
    String url = cc.url();
    prepareCatalogDirectory(url);
    if (H2Files.isEmbeddedFile(url) && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER")) {
      // lets `status` read the catalog while `run` holds it open
      url = url + ";AUTO_SERVER=TRUE";
    }
    try {
      return Catalog.open(url, cc.user(), cc.password().reveal(), cc.poolSize());
    } catch (CatalogException e) {
      throw refusedByTheServer(e);
    }
  }

  /**
   * A database server that answers but refuses the login or has no such database: the
   * configuration's fault, which no retry mends (like a token Telegram refuses), so a config error
   * naming the keys (exit 2; the service's unit does not restart on it), not "could not run".
   */
  static RuntimeException refusedByTheServer(CatalogException e) {
    String state = Catalog.refusal(e);
    if (state == null) {
      return e;
    }
    return new ConfigException(e.getMessage() + (state.equals("3D000")
        ? ": create it, or fix the database name in catalog.url" : ": check catalog.user and catalog.password"));
  }

  /**
   * Creates an H2 file catalog's directory, or says in one line why it cannot be: H2 itself, when
   * the directory is a file or not writable, prints its own stack traces (it cannot open its trace
   * file) and then a message that names only the path.
   */
  static void prepareCatalogDirectory(String url) {
    Path dir = H2Files.directory(url);
    if (dir != null) {
      createDirectory(dir, "the catalog's directory", "dataDir, or catalog.url");
    }
  }

  /**
   * Creates {@code dir} (what: how to call it; keys: the settings that name it) writable for this
   * process, or fails with one line saying why: the JDK's own messages are the bare path.
   */
  static void createDirectory(Path dir, String what, String keys) {
    String named = what + " " + dir + " (set by " + keys + ")";
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new ConfigException(named + " cannot be created: " + existing + " is a file, not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (AccessDeniedException e) {
      throw new ConfigException(named + " cannot be created: permission denied on " + e.getFile()
          + "; let the user that runs channel-mirror write there, or choose another directory");
    } catch (IOException e) {
      throw new ConfigException(named + " cannot be created: " + e.getMessage());
    }
    if (!Files.isWritable(dir)) {
      throw new ConfigException(named + " is not writable: let the user that runs channel-mirror write there,"
          + " or choose another directory");
    }
  }

  /** Reads status from the catalog only: works while Telegram or storage are unreachable. */
  public static StatusReport status(Catalog catalog, Config config) {
    return status(catalog, config, Integer.MAX_VALUE);
  }

  /** The same, listing at most {@code maxProblems} of the media not stored (all are counted). */
  public static StatusReport status(Catalog catalog, Config config, int maxProblems) {
    Instant now = Instant.now();
    List<Problem> problems = catalog.problems(config.telegram().botId(), maxProblems);
    long problemCount = problems.size() < maxProblems ? problems.size() : catalog.problemCount();
    return new StatusReport(catalog.channelStatus(config.telegram().channels()), catalog.lastRuns(),
        catalog.liveProgress().running(now), problems, problemCount, catalog.warnings(20), catalog.rejectedUpdates(),
        now);
  }

  public Catalog catalog() {
    return catalog;
  }

  public ObjectStore store() {
    return store;
  }

  /** The cleanup of stale multipart uploads (the {@code cleanup} command runs it). */
  public UploadJanitor janitor() {
    return janitor;
  }

  /** Intake (backfill commits the posts it fetches through it). */
  public Intake intake() {
    return intake;
  }

  /**
   * Ends a one-shot pass ({@link #sync}, {@link #backupPass}) early, for SIGTERM or Ctrl-C: intake
   * stops after the batch it is committing, the backup run is cancelled (its items stay due, an
   * unfinished multipart upload stays resumable) and records itself as CANCELLED. Returns at once;
   * the pass returns soon after.
   */
  public void stop() {
    stopping = true;
    backup.cancel();
  }

  /** Whether {@link #stop} was called. */
  public boolean stopped() {
    return stopping;
  }

  /** Bot API access (restore sends through it). */
  public BotApi api() {
    return api;
  }

  /**
   * One pass: every pending update, then every due media item. While another process sharing the
   * catalog runs a backup, waits for it to end first (saying so every 30 s).
   */
  public BackupReport sync(TransferListener listener) throws InterruptedException {
    if (config.telegram().webhook().enabled()) {
      // Telegram refuses getUpdates (409) while the service's webhook is registered
      log.info("intake: skipped, telegram.webhook.url is set: the service (run) receives updates by webhook;"
          + " backing up what the catalog has");
    } else {
      drainForSync();
    }
    return backupPass(listener);
  }

  /**
   * The backup part of {@link #sync}: every pending media item and manifest, without fetching
   * updates (backfill runs it, possibly beside a service that is polling). Items that failed
   * earlier are tried again now: the owner asked for this pass, and the backoff across runs is
   * there to pace the service's scheduled ones. While another process runs a backup, waits for it
   * to end first.
   */
  public BackupReport backupPass(TransferListener listener) throws InterruptedException {
    BackupReport report = backup.run(listener, BackupRun.Retry.NOW);
    // another process (the service, say) is backing up: wait for its run, then make this pass
    long told = 0;
    while (report.skipped() != null && !stopping) {
      if (System.nanoTime() - told > SYNC_WAIT_NOTICE.toNanos()) {
        log.info("waiting for it to finish: {}", report.skipped());
        told = System.nanoTime();
      }
      Thread.sleep(SYNC_RETRY.toMillis());
      report = backup.run(listener, BackupRun.Retry.NOW);
    }
    return report;
  }

  private void drainForSync() throws InterruptedException {
    int updates = 0;
    for (int conflicts = 0; ; ) {
      try {
        updates += intake.drain(() -> stopping);
        log.info("intake: {} update(s) received{}", updates, stopping ? " before the stop" : "");
        return;
      } catch (BotApiException e) {
        if (e.errorCode() == 401) {
          throw tokenRefused(e);
        }
        String hook = e.errorCode() == 409 ? registeredWebhook() : "";
        if (e.errorCode() == 409 && hook.isEmpty() && !stopping && ++conflicts <= SYNC_CONFLICT_RETRIES) {
          // Telegram ended this poll for another getUpdates (the service's long poll, say): that
          // passes; only one that keeps coming back (a second instance polling) ends the sync
          long wait = Backoff.delay(Duration.ofSeconds(2), conflicts, Duration.ofSeconds(10)).toMillis();
          log.warn("intake: {}; asking again in {} ms", e.getMessage(), wait);
          Thread.sleep(wait);
          continue;
        }
        skipIntakeForWebhook(e, hook);
        return;
      }
    }
  }

  /** Rethrows {@code e} unless a webhook ({@code hook}, not empty) explains its 409: then intake is skipped. */
  private void skipIntakeForWebhook(BotApiException e, String hook) {
    if (hook.isEmpty()) {
      throw e;
    }
    // not removed here: a service may be receiving by it; `run` without telegram.webhook.url removes it
    log.warn("intake: skipped, a webhook is set at Telegram ({}) and it refuses getUpdates meanwhile; `run`"
        + " removes it at start and switches to long polling. Backing up what the catalog has",
        Secrets.redact(hook));
  }

  /**
   * Telegram answered 401: the token is wrong or was revoked. That is the configuration's fault, not
   * an outage, and no retry mends it: a config error (exit 2) naming the key to fix.
   */
  private ConfigException tokenRefused(BotApiException e) {
    return new ConfigException("telegram.token was refused by the Bot API at " + config.telegram().apiUrl()
        + " (" + e.getMessage() + "): the token is wrong or was revoked; copy it again from @BotFather (/token)"
        + " into telegram.token or TELEGRAM_BOT_TOKEN");
  }

  /** The webhook URL registered at Telegram, or "" when none is (or Telegram cannot be asked). */
  private String registeredWebhook() throws InterruptedException {
    try {
      return api.webhookInfo().path("url").asText("");
    } catch (BotApiException e) {
      if (e.errorCode() == 404) {
        // a Bot API server without webhooks (some test servers): none can be set there either
        log.debug("the Bot API server does not know getWebhookInfo: {}", e.getMessage());
      } else {
        log.warn("could not ask Telegram for its webhook: {}", e.getMessage());
      }
      return "";
    }
  }

  /**
   * The daemon: intake (long polling, or the webhook when telegram.webhook.url is set) plus
   * scheduled backups, until {@code stop} is counted down.
   */
  public void run(CountDownLatch stop) throws InterruptedException {
    WebhookIntake webhook = null;
    Thread poller = null;
    if (config.telegram().webhook().enabled()) {
      webhook = startWebhook();
    } else {
      switchToPolling();
      catchUp(stop);
      if (stop.getCount() == 0) {
        log.info("stopped while starting; what was journaled so far stays journaled");
        return;
      }
      poller = new Thread(() -> pollForever(stop), "intake");
    }
    Schedules schedules;
    VerifyRun verify = new VerifyRun(catalog, new BucketReader(store), Clock.systemUTC());
    try {
      schedules = Schedules.builder()
          .backup(config.schedule().backup(), backup, catalog.lastFinishedStart(BackupRun.JOB))
          .verify(config.schedule().verify(), verify)
          .cleanup(config.schedule().cleanup(), janitor)
          .start();
    } catch (RuntimeException e) {
      closeQuietly(webhook);
      throw e;
    }
    StatusServer web = null;
    try {
      if (poller != null) {
        poller.start();
      }
      if (config.web().enabled()) {
        ServiceMetrics metrics = new ServiceMetrics(catalog, config.telegram().channels(), health);
        web = StatusServer.start(config.web(), new StatusServer.Sources() {
          @Override
          public StatusServer.Response health() {
            return health.check(catalog);
          }

          @Override
          public String status(int maxProblems) {
            return Secrets.redact(Application.status(catalog, config, maxProblems).toJson());
          }

          @Override
          public String posts(Long chatId, int limit) {
            return Secrets.redact(RecentPosts.json(catalog.recentVersions(chatId, limit)));
          }

          @Override
          public String metrics() {
            return metrics.scrape();
          }
        });
        String at = "http://" + hostPort(web);
        log.info("dashboard on {}/, health on {}/health, status on {}/api/status, metrics on {}/metrics", at, at, at, at);
      }
      log.info("channel-mirror is running: mirroring {} channel(s), backups on '{}', updates by {}",
          config.telegram().channels().size(), config.schedule().backup(),
          webhook != null ? "webhook" : "long polling");
      stop.await();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } finally {
      log.info("stopping: interrupting the current backup run (its items stay due), a verify pass and intake");
      if (web != null) {
        web.close();
      }
      // the webhook stays registered: Telegram queues updates until the service is back
      closeQuietly(webhook);
      backup.cancel();
      verify.cancel(); // a pass over a large bucket takes minutes: it ends at its next object
      if (poller != null) {
        poller.interrupt();
        poller.join(Duration.ofSeconds(10).toMillis());
      }
      schedules.close();
    }
  }

  private static String hostPort(StatusServer web) {
    return web.address().getHostString() + ":" + web.address().getPort();
  }

  /** Binds the webhook endpoint, registers it with Telegram, and has health judge it. */
  private WebhookIntake startWebhook() throws InterruptedException {
    WebhookConfig wh = config.telegram().webhook();
    health.useWebhook(wh.url().toString(), WEBHOOK_GRACE);
    WebhookServer.Deliveries deliveries = new WebhookServer.Deliveries() {
      @Override
      public void commit(JsonNode update) throws InterruptedException {
        try {
          intake.commit(List.of(update));
        } catch (RuntimeException e) {
          health.failed("committing a webhook delivery: " + e.getMessage());
          throw e;
        }
        health.delivered(1);
      }

      @Override
      public void unusable(String reason, String body) {
        intake.recordUnusable(reason, body);
        health.delivered(1);
      }
    };
    WebhookIntake.Observer observer = new WebhookIntake.Observer() {
      @Override
      public void info(ObjectNode info) {
        health.webhookInfo(info);
      }

      @Override
      public void checkFailed(String error) {
        health.failed(error);
      }
    };
    try {
      return WebhookIntake.start(api, wh, config.telegram().localMode(), deliveries, observer, WEBHOOK_CHECK);
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /**
   * Long polling is configured but a webhook is set (webhook mode was turned off): remove it,
   * keeping its pending updates, which getUpdates then fetches.
   */
  private void switchToPolling() throws InterruptedException {
    String hook = registeredWebhook();
    if (hook.isEmpty()) {
      return;
    }
    try {
      api.deleteWebhook();
      log.info("intake switched to long polling: removed the webhook {} (telegram.webhook.url is not set);"
          + " updates queued for it are fetched with getUpdates", Secrets.redact(hook));
    } catch (BotApiException e) {
      log.warn("could not remove the webhook {} ({}): Telegram refuses getUpdates until it is removed",
          Secrets.redact(hook), e.getMessage());
    }
  }

  private static Duration durationProperty(String name, Duration def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Duration.parse(v);
  }

  /**
   * Fetches what arrived while we were down, so a backup missed meanwhile covers it. On its own
   * thread, so a stop need not wait for it: with Telegram unreachable its retries take half a minute.
   */
  private void catchUp(CountDownLatch stop) throws InterruptedException {
    AtomicReference<ConfigException> refused = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        catchUp();
      } catch (InterruptedException e) {
        log.info("stopped while catching up on pending updates; what was journaled stays journaled");
      } catch (ConfigException e) {
        refused.set(e);
      } catch (RuntimeException e) {
        log.warn("could not catch up on pending updates now ({}); the poller keeps trying",
            Secrets.redact(e.toString()));
      }
    }, "intake-catch-up");
    t.start();
    while (t.isAlive()) {
      if (stop.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        t.interrupt();
        t.join(Duration.ofSeconds(10).toMillis());
        return;
      }
    }
    if (refused.get() != null) {
      throw refused.get(); // the service would only ask again every 30 s, and be refused every time
    }
  }

  private void catchUp() throws InterruptedException {
    try {
      int n = intake.drain();
      health.polled(n);
      if (n > 0) {
        log.info("caught up on {} update(s) that arrived while channel-mirror was stopped", n);
      }
    } catch (BotApiException e) {
      if (e.errorCode() == 401) {
        throw tokenRefused(e);
      }
      log.warn("could not catch up on pending updates now ({}); the poller keeps trying", e.getMessage());
    }
  }

  private void pollForever(CountDownLatch stop) {
    int conflicts = 0; // 409s in a row
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long began = System.nanoTime();
        int received = intake.pollWithRetry(config.telegram().pollTimeoutSeconds());
        health.polled(received);
        conflicts = 0;
        if (received == 0) {
          // short polling (pollTimeoutSeconds: 0), or a server that answers a long poll at once: the
          // long poll is exempt from the request budget, so without this the service asked in a tight loop
          long left = EMPTY_POLL_INTERVAL.toMillis() - Duration.ofNanos(System.nanoTime() - began).toMillis();
          if (left > 0) {
            Thread.sleep(left);
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (BotApiException e) {
        health.failed("receiving updates: " + e.getMessage());
        String hint = e.errorCode() == 401 ? " (is telegram.token right?)"
            : e.errorCode() == 409 ? " (is another instance polling with this token, or a webhook set?)" : "";
        // a 409 usually passes at once: Telegram ends a waiting long poll when any other getUpdates
        // comes in (a `sync` beside the service, the old poll of a restarted process); only a
        // conflict that keeps coming back (a second instance, a webhook) waits up to 30 s
        long wait = e.errorCode() == 409
            ? Backoff.delay(Duration.ofSeconds(2), ++conflicts, Duration.ofSeconds(30)).toMillis() : 30_000;
        if (e.errorCode() == 409 && conflicts == 1) {
          log.warn("receiving updates: {}{}; polling again in {} ms", e.getMessage(), hint, wait);
        } else {
          log.error("receiving updates failed: {}{}; trying again in {} s", e.getMessage(), hint,
              Math.max(1, wait / 1000));
        }
        sleep(wait);
      } catch (CatalogException e) {
        if (stop.getCount() == 0) {
          return; // the JVM's shutdown closed the H2 catalog first: nothing was confirmed
        }
        // e.g. the H2 file server moving between processes: nothing was confirmed, just retry soon
        health.failed("committing updates: " + e.getMessage());
        log.warn("could not commit updates ({}); trying again in 1 s", e.getMessage());
        sleep(1_000);
      } catch (RuntimeException e) {
        health.failed("receiving updates: " + e);
        log.error("receiving updates failed: {}; trying again in 10 s", Secrets.redact(e.toString()), e);
        sleep(10_000);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closeQuietly(transfer);
    closeQuietly(api);
    closeQuietly(bucket);
    closeQuietly(catalog);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("while closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
    }
  }
}
