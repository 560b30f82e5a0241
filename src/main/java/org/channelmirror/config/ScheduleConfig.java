package org.channelmirror.config;

/**
 * Quartz cron expressions.
 *
 * @param backup when backup runs fire
 * @param verify when the bucket is checked against its manifests (sizes, not content)
 */
public record ScheduleConfig(String backup, String verify) {
  /** Daily at 03:00. */
  public static final String DEFAULT_VERIFY = "0 0 3 * * ?";

  public ScheduleConfig(String backup) {
    this(backup, DEFAULT_VERIFY);
  }
}
