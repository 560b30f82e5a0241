package org.channelmirror.config;

/**
 * Quartz cron expressions.
 *
 * @param backup when backup runs fire
 * @param verify when the bucket is checked against its manifests (sizes, not content)
 * @param cleanup when multipart uploads nobody will complete are aborted
 */
public record ScheduleConfig(String backup, String verify, String cleanup) {
  /** Every minute. */
  public static final String DEFAULT_BACKUP = "0 * * * * ?";
  /** Daily at 03:00. */
  public static final String DEFAULT_VERIFY = "0 0 3 * * ?";
  /** Hourly, at half past. */
  public static final String DEFAULT_CLEANUP = "0 30 * * * ?";
}
