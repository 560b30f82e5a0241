package org.channelmirror.fakebot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Every request in arrival order; status is filled in when the answer is written. */
final class Recorder {
  static final class Call {
    private final java.time.Instant at;
    private final String method;
    private volatile JsonNode params;
    private volatile int status;

    private Call(java.time.Instant at, String method, JsonNode params) {
      this.at = at;
      this.method = method;
      this.params = params;
    }

    void params(JsonNode p) {
      this.params = p;
    }

    void status(int s) {
      this.status = s;
    }
  }

  private final Clock clock;
  private final List<Call> calls = new ArrayList<>();

  Recorder(Clock clock) {
    this.clock = clock;
  }

  synchronized Call begin(String method, JsonNode params) {
    Call c = new Call(clock.instant(), method, params);
    calls.add(c);
    return c;
  }

  synchronized List<RecordedRequest> snapshot() {
    List<RecordedRequest> out = new ArrayList<>(calls.size());
    for (Call c : calls) {
      out.add(new RecordedRequest(c.at, c.method, c.params == null ? Json.object() : c.params, c.status));
    }
    return out;
  }
}
