package org.channelmirror.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.JobRun;
import org.channelmirror.config.Secrets;
import org.channelmirror.web.StatusServer;

/**
 * The service's health, as {@code /health} reports it. Healthy means the service can do its
 * job: intake answered a getUpdates and committed it within {@code stale} (the long-poll timeout
 * plus two minutes, which covers the poller's retries of a passing fault), and the catalog
 * answers a query now. A failing backup is reported (last run) but does not make the service
 * unhealthy: a restart would not bring a bucket back, and intake keeps journaling meanwhile.
 *
 * <p>With webhook intake Telegram may rightly send nothing for hours, so silence is no fault.
 * There intake is unhealthy when, for longer than the grace, getWebhookInfo shows that the
 * webhook registered at Telegram is no longer ours, or that Telegram failed to deliver after our
 * last successful delivery while updates are waiting.
 */
final class Health {
  /**
   * How long a check waits for the catalog. A probe must get an answer, not a timeout of its own:
   * an unreachable PostgreSQL holds a query for the pool's whole connection timeout (30 s).
   */
  static final Duration CATALOG_WAIT = Duration.ofSeconds(3);

  private final Clock clock;
  private final Duration stale;
  private final Instant started;
  private volatile Instant lastPoll;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  // webhook mode (null url: long polling)
  private volatile String webhookUrl;
  private volatile Duration webhookGrace;
  private volatile ObjectNode webhookView;
  private volatile Instant webhookProblemSince;
  /** Asks the catalog off the caller's thread, one question at a time. */
  private final ExecutorService catalogQuestions = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "health-catalog");
    t.setDaemon(true);
    return t;
  });
  private Future<List<JobRun>> catalogAnswer; // guarded by this

  Health(Clock clock, Duration stale) {
    this.clock = clock;
    this.stale = stale;
    this.started = clock.instant();
  }

  /** getUpdates was answered and its {@code updates} committed (0 after an empty long poll). */
  void polled(int received) {
    lastPoll = clock.instant();
    updates.addAndGet(received);
  }

  /** Intake is the webhook at {@code url}: judged by {@link #webhookInfo}, not by silence. */
  void useWebhook(String url, Duration grace) {
    webhookGrace = grace;
    webhookUrl = url;
  }

  /** A webhook delivery was committed and answered 200 (in webhook mode, the last "poll" is the last delivery). */
  void delivered(int received) {
    polled(received);
  }

  /** What getWebhookInfo said just now. */
  void webhookInfo(JsonNode info) {
    Instant now = clock.instant();
    String registered = info.path("url").asText("");
    int pending = info.path("pending_update_count").asInt(0);
    long errorDate = info.path("last_error_date").asLong(0);
    String errorMessage = info.hasNonNull("last_error_message") ? info.get("last_error_message").asText() : null;
    Instant delivered = lastPoll == null ? started : lastPoll;
    String problem = null;
    if (!registered.equals(webhookUrl)) {
      problem = registered.isEmpty()
          ? "no webhook is registered at Telegram any more: it was deleted again soon after the service registered"
              + " it again, so another program that uses this bot token keeps deleting it; stop it, then restart the"
              + " service. Updates wait at Telegram meanwhile"
          : "Telegram delivers to another URL now (" + registered + "), not to telegram.webhook.url: another"
              + " program uses this bot token; stop it, then restart the service";
    } else if (errorDate > delivered.getEpochSecond() && pending > 0) {
      problem = "Telegram cannot deliver updates here: " + errorMessage + " (check the reverse proxy in front"
          + " of telegram.webhook.listen, and that the service answers)";
    }
    ObjectNode view = JsonNodeFactory.instance.objectNode();
    view.put("url", Secrets.redact(registered));
    view.put("ours", registered.equals(webhookUrl));
    view.put("pending_update_count", pending);
    if (errorDate > 0) {
      view.put("last_error_date", Instant.ofEpochSecond(errorDate).toString());
      view.put("last_error_message", errorMessage == null ? null : Secrets.redact(errorMessage));
    }
    view.put("checked_at", now.toString());
    if (problem != null) {
      view.put("problem", Secrets.redact(problem));
    }
    webhookView = view;
    webhookProblemSince = problem == null ? null : webhookProblemSince == null ? now : webhookProblemSince;
  }

  /** Receiving or committing updates failed; the poller tries again. */
  void failed(String error) {
    lastError = Secrets.redact(error);
    lastErrorAt = clock.instant();
    failures.incrementAndGet();
  }

  /** Updates committed since start. */
  long updatesReceived() {
    return updates.get();
  }

  /** Failed rounds of receiving or committing updates since start. */
  long intakeFailures() {
    return failures.get();
  }

  /** Seconds since intake last answered and committed (since start, before the first time). */
  double secondsSincePoll() {
    Instant polled = lastPoll;
    return Duration.between(polled == null ? started : polled, clock.instant()).toMillis() / 1000.0;
  }

  StatusServer.Response check(Catalog catalog) {
    Instant now = clock.instant();
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    Instant polled = lastPoll;
    Instant since = polled == null ? started : polled;
    boolean webhook = webhookUrl != null;
    Instant problemSince = webhookProblemSince;
    boolean intakeOk = webhook
        ? problemSince == null || Duration.between(problemSince, now).compareTo(webhookGrace) <= 0
        : Duration.between(since, now).compareTo(stale) <= 0;
    ObjectNode intake = n.putObject("intake");
    intake.put("ok", intakeOk);
    intake.put("mode", webhook ? "webhook" : "polling");
    if (webhook) {
      intake.put("last_delivery", polled == null ? null : polled.toString());
      intake.put("deliveries", updates.get());
      ObjectNode view = webhookView;
      if (view != null) {
        intake.set("webhook", view);
      }
    } else {
      intake.put("last_poll", polled == null ? null : polled.toString());
    }
    intake.put("seconds_since", Duration.between(since, now).toSeconds());
    if (lastError != null) {
      intake.put("last_error", lastError);
      intake.put("last_error_at", lastErrorAt.toString());
    }
    boolean catalogOk;
    try {
      List<JobRun> runs = askCatalog(catalog).get(CATALOG_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      n.put("catalog", "ok");
      catalogOk = true;
      for (JobRun r : runs) { // the latest run of each job
        if (r.job().equals(BackupRun.JOB)) {
          ObjectNode b = n.putObject("last_backup");
          b.put("started_at", r.startedAt().toString());
          b.put("status", r.status());
          b.put("stored", r.stored());
          b.put("failed", r.failed());
          b.put("message", r.message() == null ? null : Secrets.redact(r.message()));
        }
      }
    } catch (TimeoutException e) {
      n.put("catalog", "the catalog did not answer within " + CATALOG_WAIT.toSeconds() + " s (is the database"
          + " server reachable?)");
      catalogOk = false;
    } catch (ExecutionException e) {
      n.put("catalog", Secrets.redact(String.valueOf(e.getCause().getMessage())));
      catalogOk = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      n.put("catalog", "not checked: the service is stopping");
      catalogOk = false;
    }
    boolean ok = intakeOk && catalogOk;
    n.put("status", ok ? "ok" : "unhealthy");
    return StatusServer.Response.json(ok ? 200 : 503, n.toString());
  }

  /**
   * A fresh question to the catalog, or the one still waiting for its answer: checks that come
   * faster than an unreachable database answers do not pile up threads or pool requests.
   */
  private synchronized Future<List<JobRun>> askCatalog(Catalog catalog) {
    if (catalogAnswer == null || catalogAnswer.isDone()) {
      catalogAnswer = catalogQuestions.submit(() -> {
        catalog.ping();
        return catalog.lastRuns();
      });
    }
    return catalogAnswer;
  }
}
