package org.channelmirror.telegram;

import java.time.Duration;
import org.channelmirror.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bot API call tried again after passing faults: flood control waits in {@link BotApi}'s gate
 * itself, anything else retryable backs off (1 s, doubling up to 30 s, with jitter). A permanent
 * refusal, or the failure of the last of {@code attempts} tries, is thrown.
 */
public final class Retries {
  private static final Logger log = LoggerFactory.getLogger(Retries.class);

  private Retries() {}

  /** One try of a call. */
  public interface Call<T> {
    T call() throws InterruptedException;
  }

  public static <T> T call(String method, int attempts, Call<T> call) throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (BotApiException e) {
        if (e.kind() == BotApiException.Kind.PERMANENT || attempt >= attempts) {
          throw e;
        }
        long backoff = e.kind() == BotApiException.Kind.FLOOD ? 0
            : Backoff.delay(Duration.ofSeconds(1), attempt, Duration.ofSeconds(30)).toMillis();
        log.warn("{} failed ({}); trying again{}", method, e.getMessage(),
            backoff > 0 ? " in " + backoff + " ms" : " when flood control allows");
        Thread.sleep(backoff);
      }
    }
  }
}
