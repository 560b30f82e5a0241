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
import org.quartz.Job;
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

  /** The jobs to run: each one given is scheduled on its cron expression. */
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
          schedule(s, BackupJob.class, BACKUP, backupCron, true);
        }
        if (verify != null) {
          schedule(s, VerifyJob.class, VERIFY, verifyCron, false);
        }
        if (cleanup != null) {
          schedule(s, CleanupJob.class, CLEANUP, cleanupCron, false);
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

  /**
   * Schedules a job on its cron expression. A fire time missed while the process was busy or
   * down is made up once ({@code catchUp}, backups) or skipped (the checks, which run again soon).
   */
  private static void schedule(Scheduler s, Class<? extends Job> type, JobKey key, String cron, boolean catchUp)
      throws SchedulerException {
    CronScheduleBuilder when = CronScheduleBuilder.cronSchedule(cron);
    s.scheduleJob(JobBuilder.newJob(type).withIdentity(key).build(),
        TriggerBuilder.newTrigger().withIdentity(key.getName() + "-cron").withSchedule(catchUp
            ? when.withMisfireHandlingInstructionFireAndProceed() : when.withMisfireHandlingInstructionDoNothing())
            .build());
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
