package org.channelmirror.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import org.channelmirror.backup.BackupRun;
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
 * The Quartz scheduler of a running instance. Jobs are built by a JobFactory that hands them
 * the services they adapt. A run missed while the process was down fires once at start.
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

  /** The jobs to schedule: each one set is scheduled on its cron expression. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the jobs, then {@link #start()}s them. */
  public static final class Builder {
    private String backupCron;
    private BackupRun backup;
    private Optional<Instant> lastBackupStart = Optional.empty();
    private String verifyCron;
    private VerifyRun verify;
    private String cleanupCron;
    private UploadJanitor cleanup;

    private Builder() {}

    /**
     * The backup job. A fire time missed since {@code lastBackupStart} (the start of the last
     * finished run) while the process was down fires once at start.
     */
    public Builder backup(String cron, BackupRun run, Optional<Instant> lastBackupStart) {
      this.backupCron = cron;
      this.backup = run;
      this.lastBackupStart = lastBackupStart;
      return this;
    }

    /** The bucket check (sizes only). */
    public Builder verify(String cron, VerifyRun run) {
      this.verifyCron = cron;
      this.verify = run;
      return this;
    }

    /** The cleanup of stale multipart uploads. */
    public Builder cleanup(String cron, UploadJanitor janitor) {
      this.cleanupCron = cron;
      this.cleanup = janitor;
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
          Class<?> type = bundle.getJobDetail().getJobClass();
          return type == VerifyJob.class ? new VerifyJob(verify)
              : type == CleanupJob.class ? new CleanupJob(cleanup) : new BackupJob(backup);
        });
        if (backup != null) {
          s.scheduleJob(JobBuilder.newJob(BackupJob.class).withIdentity(BACKUP).build(),
              TriggerBuilder.newTrigger().withIdentity("backup-cron").withSchedule(CronScheduleBuilder
                  .cronSchedule(backupCron).withMisfireHandlingInstructionFireAndProceed()).build());
        }
        if (verify != null) {
          s.scheduleJob(JobBuilder.newJob(VerifyJob.class).withIdentity(VERIFY).build(),
              TriggerBuilder.newTrigger().withIdentity("verify-cron").withSchedule(CronScheduleBuilder
                  .cronSchedule(verifyCron).withMisfireHandlingInstructionDoNothing()).build());
        }
        if (cleanup != null) {
          s.scheduleJob(JobBuilder.newJob(CleanupJob.class).withIdentity(CLEANUP).build(),
              TriggerBuilder.newTrigger().withIdentity("cleanup-cron").withSchedule(CronScheduleBuilder
                  .cronSchedule(cleanupCron).withMisfireHandlingInstructionDoNothing()).build());
        }
        s.start();
        if (backup != null && missedSince(backupCron, lastBackupStart, Instant.now())) {
          log.info("a scheduled backup was missed while channel-mirror was down; running it now");
          s.triggerJob(BACKUP);
        }
        return new Schedules(s);
      } catch (SchedulerException e) {
        throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
      }
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
