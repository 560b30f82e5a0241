package org.channelmirror.catalog;

import java.time.Instant;

/**
 * A post version as the dashboard lists it: where it is, when it arrived, how many of its media
 * items are stored, and whether its manifest is in the bucket.
 *
 * @param manifestKey null until the manifest is written (and while a change waits to be written)
 */
public record RecentVersion(long chatId, long messageId, long editDate, long postDate, String mediaGroupId,
    String rawJson, Instant receivedAt, int media, int mediaStored, String manifestKey) {}
