package org.channelmirror.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.Catalog;
import org.channelmirror.catalog.ChannelStatus;
import org.channelmirror.catalog.JobRun;

/**
 * The service's {@code /metrics} (Prometheus text format, through Micrometer): what {@code status}
 * shows, per channel and per job, read from the catalog at each scrape, plus intake's counters and
 * the JVM's memory, threads, CPU and uptime. Intake's figures are {@link Health}'s, read at scrape. Every name starts with {@code channel_mirror_}
 * except the JVM's own; README lists them.
 */
final class ServiceMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Catalog catalog;
  private final List<Long> channels;
  private final MultiGauge posts;
  private final MultiGauge media;
  private final MultiGauge stored;
  private final MultiGauge runStarted;
  private final MultiGauge runOk;
  private final MultiGauge runFailed;

  ServiceMetrics(Catalog catalog, List<Long> channels, Health health) {
    this.catalog = catalog;
    this.channels = List.copyOf(channels);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    FunctionCounter.builder("channel_mirror.intake.updates", health, Health::updatesReceived)
        .description("updates received and committed").register(registry);
    FunctionCounter.builder("channel_mirror.intake.errors", health, Health::intakeFailures)
        .description("rounds of getUpdates or commit that failed (the poller tries again)").register(registry);
    Gauge.builder("channel_mirror.intake.since.poll", health, Health::secondsSincePoll).baseUnit("seconds")
        .description("time since getUpdates last answered and was committed").register(registry);
    posts = MultiGauge.builder("channel_mirror.posts").description("posts journaled, per channel")
        .register(registry);
    media = MultiGauge.builder("channel_mirror.media").description("media files per channel, by state"
        + " (pending, stored, too_big, failed)").register(registry);
    stored = MultiGauge.builder("channel_mirror.stored").baseUnit("bytes")
        .description("bytes of media stored, per channel").register(registry);
    runStarted = MultiGauge.builder("channel_mirror.last.run.start").baseUnit("seconds")
        .description("Unix time the latest run of each job started").register(registry);
    runOk = MultiGauge.builder("channel_mirror.last.run.ok")
        .description("1 when the latest run of the job ended OK, else 0 (running, failed, partial)")
        .register(registry);
    runFailed = MultiGauge.builder("channel_mirror.last.run.failed.items")
        .description("items the latest run of the job could not do").register(registry);
  }

  /** The text a Prometheus server scrapes, with the catalog's figures as of now. */
  synchronized String scrape() {
    List<MultiGauge.Row<?>> postRows = new ArrayList<>();
    List<MultiGauge.Row<?>> mediaRows = new ArrayList<>();
    List<MultiGauge.Row<?>> storedRows = new ArrayList<>();
    for (ChannelStatus c : catalog.channelStatus(channels)) {
      Tags chat = Tags.of("chat_id", Long.toString(c.chatId()));
      postRows.add(MultiGauge.Row.of(chat, c.posts()));
      storedRows.add(MultiGauge.Row.of(chat, c.bytesStored()));
      for (BlobState s : BlobState.values()) {
        mediaRows.add(MultiGauge.Row.of(chat.and("state", s.name().toLowerCase(Locale.ROOT)),
            c.media().getOrDefault(s, 0L)));
      }
    }
    posts.register(postRows, true);
    media.register(mediaRows, true);
    stored.register(storedRows, true);
    List<MultiGauge.Row<?>> started = new ArrayList<>();
    List<MultiGauge.Row<?>> ok = new ArrayList<>();
    List<MultiGauge.Row<?>> failed = new ArrayList<>();
    for (JobRun r : catalog.lastRuns()) {
      Tags job = Tags.of("job", r.job());
      started.add(MultiGauge.Row.of(job, r.startedAt().getEpochSecond()));
      ok.add(MultiGauge.Row.of(job, "OK".equals(r.status()) ? 1 : 0));
      failed.add(MultiGauge.Row.of(job, r.failed()));
    }
    runStarted.register(started, true);
    runOk.register(ok, true);
    runFailed.register(failed, true);
    return registry.scrape();
  }
}
