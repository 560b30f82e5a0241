package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A post (or edit) created through {@link PostBuilder#publish()}. {@code updateId} is 0 when no update was queued
 * (bot not in the chat, or the update type is filtered out by {@code allowed_updates}).
 */
public record PublishedPost(long chatId, int messageId, int updateId, ObjectNode message, List<FileRef> files) {}
