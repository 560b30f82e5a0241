package org.channelmirror.catalog;

import java.time.Instant;

/**
 * One run of a scheduled job. While it runs, the counts are those published so far and
 * {@code updatedAt} is the running process's last heartbeat (null for jobs that publish none).
 */
public record JobRun(long id, String job, Instant startedAt, Instant finishedAt, String status,
    int stored, int failed, long bytes, String message, Instant updatedAt) {}
