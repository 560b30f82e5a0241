package org.channelmirror.config;

/**
 * How media moves.
 *
 * @param concurrency media files transferred at once
 * @param maxAttempts attempts within one run before an item is marked failed until the next run
 */
public record TransferConfig(int concurrency, int maxAttempts) {}
