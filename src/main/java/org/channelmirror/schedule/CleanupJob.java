package org.channelmirror.schedule;

import org.channelmirror.transfer.UploadJanitor;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Quartz adapter for {@link UploadJanitor} (the result is recorded for {@code status}); never two at once. */
@DisallowConcurrentExecution
final class CleanupJob implements Job {
  private final UploadJanitor janitor;

  CleanupJob(UploadJanitor janitor) {
    this.janitor = janitor;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      janitor.run(UploadJanitor.DEFAULT_UNKNOWN_AGE);
    } catch (RuntimeException e) {
      throw new JobExecutionException("cleanup run failed: " + e.getMessage(), e, false);
    }
  }
}
