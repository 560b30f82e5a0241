package org.channelmirror.catalog;

import java.util.Map;

/** Per-channel counts for {@code status}. */
public record ChannelStatus(
    long chatId,
    String title,
    String botStatus,
    long posts,
    long versions,
    Map<BlobState, Long> media,
    long bytesStored) {}
