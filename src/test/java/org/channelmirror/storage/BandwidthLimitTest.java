package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket's arithmetic on a clock the test moves, and what the wrapped streams pass on. */
class BandwidthLimitTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
  private final AtomicLong now = new AtomicLong(1_000_000 * MS);

  private BandwidthLimit limit(long bytesPerSecond) {
    return new BandwidthLimit(bytesPerSecond, now::get);
  }

  @Test
  void aQuarterSecondPassesAtOnceThenEachByteWaitsItsTurn() {
    BandwidthLimit l = limit(1_000_000);
    assertThat(l.charge(250_000)).isZero(); // the burst
    assertThat(l.charge(100_000)).isEqualTo(100 * MS);
    assertThat(l.charge(100_000)).isEqualTo(200 * MS);
    now.addAndGet(200 * MS); // the reader slept as told
    assertThat(l.charge(50_000)).isEqualTo(50 * MS);
  }

  @Test
  void aLongPauseRefillsOnlyTheBurst() {
    BandwidthLimit l = limit(1_000_000);
    l.charge(2_000_000);
    now.addAndGet(60_000 * MS);
    assertThat(l.charge(250_000)).isZero();
    assertThat(l.charge(750_000)).isEqualTo(750 * MS);
  }

  @Test
  void readersShareOneBudget() {
    BandwidthLimit l = limit(4 << 20);
    // eight streams charging in turn wait as one stream of eight times the bytes would
    long last = 0;
    for (int i = 0; i < 8; i++) {
      last = l.charge(1 << 20);
    }
    assertThat(last).isEqualTo(TimeUnit.SECONDS.toNanos(2) - TimeUnit.SECONDS.toNanos(1) / 4);
  }

  @Test
  void readsAreChargedInSlicesOfASixteenthOfASecond() {
    assertThat(limit(16 << 10).slice).isEqualTo(4 << 10);
    assertThat(limit(8 << 20).slice).isEqualTo(64 << 10);
    assertThat(limit(512 << 10).slice).isEqualTo(32 << 10);
  }

  @Test
  void noLimitIsTheStreamItself() {
    InputStream in = new ByteArrayInputStream(new byte[10]);
    assertThat(BandwidthLimit.of(0)).isSameAs(BandwidthLimit.NONE);
    assertThat(BandwidthLimit.NONE.limit(in)).isSameAs(in);
    assertThat(BandwidthLimit.NONE.unlimited()).isTrue();
    assertThatThrownBy(() -> BandwidthLimit.of(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLimitedStreamPassesEveryByteInSlices() throws Exception {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    // a rate far above what is read here, on the real clock: nothing sleeps
    InputStream in = BandwidthLimit.of(1L << 40).limit(new ByteArrayInputStream(data));
    byte[] got = new byte[data.length];
    int n = in.read(got, 0, got.length);
    assertThat(n).isEqualTo(64 << 10);
    int pos = n;
    got[pos++] = (byte) in.read();
    while (pos < got.length) {
      pos += in.read(got, pos, got.length - pos);
    }
    assertThat(in.read()).isEqualTo(-1);
    assertThat(got).isEqualTo(data);
  }

  @Test
  void anInterruptedReaderStopsWithAnInterruptedIoException() {
    // past its burst a 16 KiB/s limit has this reader wait; the interrupt ends the wait at once
    InputStream in = BandwidthLimit.of(16 << 10).limit(new ByteArrayInputStream(new byte[1 << 20]));
    byte[] buf = new byte[1 << 20];
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> {
        for (int i = 0; i < 4; i++) {
          in.read(buf, 0, buf.length);
        }
      }).isInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
