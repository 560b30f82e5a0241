package org.channelmirror.schedule;

import org.channelmirror.backup.BackupRun;
import org.channelmirror.transfer.TransferListener;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Quartz adapter for {@link BackupRun}; never two at once. */
@DisallowConcurrentExecution
final class BackupJob implements Job {
  private final BackupRun run;

  BackupJob(BackupRun run) {
    this.run = run;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      run.run(TransferListener.NONE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      throw new JobExecutionException("backup run failed: " + e.getMessage(), e, false);
    }
  }
}
