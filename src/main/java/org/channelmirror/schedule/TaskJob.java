package org.channelmirror.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * The one Quartz adapter: runs the task {@link Schedules} registered under the job's key. Quartz
 * applies {@link DisallowConcurrentExecution} per job key, so no job ever runs twice at once.
 */
@DisallowConcurrentExecution
final class TaskJob implements Job {
  /** What a scheduled job does (a backup pass, the bucket check, the upload cleanup). */
  interface Task {
    void run() throws InterruptedException;
  }

  private final String name;
  private final Task task;

  TaskJob(String name, Task task) {
    this.name = name;
    this.task = task;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      task.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      throw new JobExecutionException(name + " run failed: " + e.getMessage(), e, false);
    }
  }
}
