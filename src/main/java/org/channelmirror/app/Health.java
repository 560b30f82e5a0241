package org.channelmirror.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 */
final class Health {
  private final Clock clock;
  private final Duration stale;
  private final Instant started;
  private volatile Instant lastPoll;
  private volatile String lastError;
  private volatile Instant lastErrorAt;
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

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
    boolean intakeOk = Duration.between(since, now).compareTo(stale) <= 0;
    ObjectNode intake = n.putObject("intake");
    intake.put("ok", intakeOk);
    intake.put("last_poll", polled == null ? null : polled.toString());
    intake.put("seconds_since", Duration.between(since, now).toSeconds());
    if (lastError != null) {
      intake.put("last_error", lastError);
      intake.put("last_error_at", lastErrorAt.toString());
    }
    boolean catalogOk;
    try {
      catalog.ping();
      n.put("catalog", "ok");
      catalogOk = true;
      for (JobRun r : catalog.lastRuns()) { // the latest run of each job
        if (r.job().equals(BackupRun.JOB)) {
          ObjectNode b = n.putObject("last_backup");
          b.put("started_at", r.startedAt().toString());
          b.put("status", r.status());
          b.put("stored", r.stored());
          b.put("failed", r.failed());
          b.put("message", r.message() == null ? null : Secrets.redact(r.message()));
        }
      }
    } catch (RuntimeException e) {
      n.put("catalog", Secrets.redact(String.valueOf(e.getMessage())));
      catalogOk = false;
    }
    boolean ok = intakeOk && catalogOk;
    n.put("status", ok ? "ok" : "unhealthy");
    return StatusServer.Response.json(ok ? 200 : 503, n.toString());
  }
}
