package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One request the fake server received. {@code at} is the arrival time by the server's clock; {@code httpStatus} is 0
 * while the request is still running (long-polls) or when the connection was dropped without a response.
 * File downloads are recorded with method {@code "file"} and params {@code {"path":..,"range":..}}.
 */
public record RecordedRequest(Instant at, String method, JsonNode params, int httpStatus) {}
