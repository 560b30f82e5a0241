package org.channelmirror.catalog;

import java.time.Instant;

/** One run of a scheduled job. */
public record JobRun(long id, String job, Instant startedAt, Instant finishedAt, String status,
    int stored, int failed, long bytes, String message) {}
