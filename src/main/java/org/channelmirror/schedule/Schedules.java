package org.channelmirror.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.recovery.Progress;
import org.channelmirror.recovery.VerifyRun;
import org.channelmirror.transfer.UploadJanitor;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz scheduler of a running instance. Every job is a {@link TaskJob} running the task
 * registered under its key. A run missed while the process was down fires once at start.
 */
public final class Schedules implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Schedules.class);
  private static final JobKey BACKUP = JobKey.jobKey("backup");
  private static final JobKey VERIFY = JobKey.jobKey("verify");
  private static final JobKey CLEANUP = JobKey.jobKey("cleanup");

  private final Scheduler scheduler;

  private Schedules(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** The jobs to run: each one given is scheduled on its cron expression. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the jobs, then {@link #start()}s them. */
  public static final class Builder {
    /** One job to schedule: its cron expression, what it does, and whether a missed fire time is made up. */
    private record Entry(String cron, TaskJob.Task task, boolean catchUp) {}

    private final Map<JobKey, Entry> jobs = new LinkedHashMap<>();
    private Optional<Instant> lastBackupStart = Optional.empty();

    private Builder() {}

    /**
     * The backup job. A fire time missed since {@code lastBackupStart} (the start of the last
     * finished run) while the process was down fires once at start.
     */
    public Builder backup(String cron, BackupRun run, Optional<Instant> lastBackupStart) {
      jobs.put(BACKUP, new Entry(cron, run::runScheduled, true));
      this.lastBackupStart = lastBackupStart;
      return this;
    }

    /** The bucket check (sizes only; the result is recorded for {@code status}). */
    public Builder verify(String cron, VerifyRun run) {
      jobs.put(VERIFY, new Entry(cron, () -> run.run(false, VerifyRun.DEFAULT_ORPHAN_MIN_AGE, Progress.NONE), false));
      return this;
    }

    /** The cleanup of stale multipart uploads (recorded for {@code status}). */
    public Builder cleanup(String cron, UploadJanitor janitor) {
      jobs.put(CLEANUP, new Entry(cron, () -> janitor.run(UploadJanitor.DEFAULT_UNKNOWN_AGE), false));
      return this;
    }

    public Schedules start() {
      try {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "channel-mirror");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "3");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        Scheduler s = new StdSchedulerFactory(p).getScheduler();
        s.setJobFactory((bundle, sch) -> {
          JobKey key = bundle.getJobDetail().getKey();
          return new TaskJob(key.getName(), jobs.get(key).task());
        });
        for (Map.Entry<JobKey, Entry> job : jobs.entrySet()) {
          schedule(s, job.getKey(), job.getValue());
        }
        s.start();
        Entry backup = jobs.get(BACKUP);
        if (backup != null && missedSince(backup.cron(), lastBackupStart, Instant.now())) {
          log.info("a scheduled backup was missed while channel-mirror was down; running it now");
          s.triggerJob(BACKUP);
        }
        return new Schedules(s);
      } catch (SchedulerException e) {
        throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
      }
    }

    /**
     * Schedules a job on its cron expression. A fire time missed while the process was busy or
     * down is made up once ({@code catchUp}, backups) or skipped (the checks, which run again soon).
     */
    private static void schedule(Scheduler s, JobKey key, Entry job) throws SchedulerException {
      CronScheduleBuilder when = CronScheduleBuilder.cronSchedule(job.cron());
      s.scheduleJob(JobBuilder.newJob(TaskJob.class).withIdentity(key).build(),
          TriggerBuilder.newTrigger().withIdentity(key.getName() + "-cron").withSchedule(job.catchUp()
              ? when.withMisfireHandlingInstructionFireAndProceed() : when.withMisfireHandlingInstructionDoNothing())
              .build());
    }
  }

  /** True when a fire time of {@code cron} fell between the last run and now. */
  static boolean missedSince(String cron, Optional<Instant> last, Instant now) {
    if (last.isEmpty()) {
      return false; // first start: nothing was missed, the first fire time comes soon enough
    }
    try {
      Date next = new CronExpression(cron).getNextValidTimeAfter(Date.from(last.get()));
      return next != null && !next.toInstant().isAfter(now);
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Fires the backup job now (unless one is running). */
  public void triggerBackup() {
    try {
      scheduler.triggerJob(BACKUP);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      log.warn("scheduler shutdown: {}", e.getMessage());
    }
  }
}
