package org.channelmirror.schedule;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import org.channelmirror.backup.BackupRun;
import org.channelmirror.recovery.VerifyRun;
import org.quartz.CronExpression;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
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

  private final Scheduler scheduler;

  private Schedules(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Starts the scheduler with the backup job on {@code backupCron}.
   *
   * @param lastBackupStart start of the last finished backup run, if any (for misfire detection)
   */
  public static Schedules start(String backupCron, BackupRun backup, Optional<Instant> lastBackupStart) {
    return start(backupCron, backup, lastBackupStart, null, null);
  }

  /**
   * Starts the scheduler with the backup job, and the verify job on {@code verifyCron} when
   * {@code verify} is not null.
   */
  public static Schedules start(String backupCron, BackupRun backup, Optional<Instant> lastBackupStart,
      String verifyCron, VerifyRun verify) {
    try {
      Properties p = new Properties();
      p.setProperty("org.quartz.scheduler.instanceName", "channel-mirror");
      p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
      p.setProperty("org.quartz.threadPool.threadCount", "2");
      p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
      Scheduler s = new StdSchedulerFactory(p).getScheduler();
      s.setJobFactory((bundle, sch) -> bundle.getJobDetail().getJobClass() == VerifyJob.class
          ? new VerifyJob(verify) : new BackupJob(backup));
      JobDetail job = JobBuilder.newJob(BackupJob.class).withIdentity(BACKUP).build();
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity("backup-cron")
          .withSchedule(CronScheduleBuilder.cronSchedule(backupCron).withMisfireHandlingInstructionFireAndProceed())
          .build();
      s.scheduleJob(job, trigger);
      if (verify != null) {
        s.scheduleJob(JobBuilder.newJob(VerifyJob.class).withIdentity(VERIFY).build(),
            TriggerBuilder.newTrigger().withIdentity("verify-cron").withSchedule(CronScheduleBuilder
                .cronSchedule(verifyCron).withMisfireHandlingInstructionDoNothing()).build());
      }
      s.start();
      if (missedSince(backupCron, lastBackupStart, Instant.now())) {
        log.info("a scheduled backup was missed while channel-mirror was down; running it now");
        s.triggerJob(BACKUP);
      }
      return new Schedules(s);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot start the scheduler: " + e.getMessage(), e);
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
