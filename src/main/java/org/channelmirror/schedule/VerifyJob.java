package org.channelmirror.schedule;

import org.channelmirror.recovery.Progress;
import org.channelmirror.recovery.VerifyRun;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Quartz adapter for {@link VerifyRun} (sizes only; the result is recorded for {@code status}); never two at once. */
@DisallowConcurrentExecution
final class VerifyJob implements Job {
  private final VerifyRun run;

  VerifyJob(VerifyRun run) {
    this.run = run;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      run.run(false, VerifyRun.DEFAULT_ORPHAN_MIN_AGE, Progress.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      throw new JobExecutionException("verify run failed: " + e.getMessage(), e, false);
    }
  }
}
