package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message the bot produced in a chat via a send method, forwardMessage or copyMessage. For uploads, size and
 * sha256Hex describe the uploaded bytes; when a file_id was sent instead, {@code fileIdUsed} holds it and size/sha256Hex
 * describe the referenced file (sha256Hex is null for referenced files above 256 MiB, to keep sends fast).
 * {@code params} are the request params, or for an album item its InputMedia object.
 */
public record SentMessage(String method, int messageId, String mediaGroupId, String kind, String caption, String text,
    JsonNode entities, String fileName, long size, String sha256Hex, String fileIdUsed, JsonNode params) {}
