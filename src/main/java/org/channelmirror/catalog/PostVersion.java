package org.channelmirror.catalog;

import java.util.List;

/**
 * One version of a channel post as received: the original (editDate 0) or an edit.
 * Identity is (chatId, messageId, editDate, contentHash), so a replayed update is recognised.
 */
public record PostVersion(
    long chatId,
    long messageId,
    long editDate,
    String contentHash,
    long postDate,
    String mediaGroupId,
    long updateId,
    String rawJson,
    List<MediaRef> media) {}
