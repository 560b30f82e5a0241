package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.channelmirror.catalog.Blob;
import org.channelmirror.catalog.BlobState;
import org.channelmirror.catalog.MediaKind;
import org.channelmirror.transfer.TransferOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final long MIB = 1 << 20;
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ProgressBar bar = new ProgressBar(
      new TerminalLine(new PrintStream(out, true, StandardCharsets.UTF_8), true), now::get);
  private Locale before;

  @BeforeEach
  void englishNumbers() {
    before = Locale.getDefault();
    Locale.setDefault(Locale.ROOT);
  }

  @AfterEach
  void restoreLocale() {
    Locale.setDefault(before);
  }

  private static Blob blob(String id, Long size) {
    return new Blob(id, BlobState.PENDING, MediaKind.VIDEO, "f-" + id, size, "video/mp4", null, -100L, 1L, 0);
  }

  @Test
  void showsFilesAndBytesOfThePlanTheRateAndTheTimeLeft() {
    bar.planned(4, 400 * MIB);
    bar.started(blob("a", 100 * MIB));
    bar.started(blob("b", 100 * MIB));
    now.set(1_000_000_000L);
    bar.bytes(100 * MIB);
    assertThat(bar.text()).isEqualTo("media 0/4  100.0 MiB of 400.0 MiB (25%)  100.0 MiB/s  3 s left");

    // a file already in the bucket moves nothing but counts as done
    bar.finished(blob("b", 100 * MIB), new TransferOutcome.Stored("k", 100 * MIB, "h", true));
    assertThat(bar.text()).isEqualTo("media 1/4  100.0 MiB of 400.0 MiB (50%)  100.0 MiB/s  2 s left");

    bar.finished(blob("a", 100 * MIB), new TransferOutcome.Stored("k", 100 * MIB, "h", false));
    bar.finished(blob("c", 100 * MIB), new TransferOutcome.TooBig("over 20 MB"));
    bar.finished(blob("d", null), new TransferOutcome.Failed("gone", true));
    assertThat(bar.text()).isEqualTo("media 4/4  100.0 MiB of 400.0 MiB (100%)  100.0 MiB/s");
  }

  @Test
  void filesWithoutAnAnnouncedSizeNeverPushItOver99PercentNorMakeUpATimeLeft() {
    bar.planned(2, 10 * MIB); // the second file has no file_size
    now.set(2_000_000_000L);
    bar.bytes(50 * MIB);
    assertThat(bar.text()).isEqualTo("media 0/2  50.0 MiB of 10.0 MiB (99%)  25.0 MiB/s");
  }

  @Test
  void beforeThePlanItShowsWhatMoved() {
    bar.started(blob("a", 1L));
    now.set(1_000_000_000L);
    bar.bytes(3 * MIB);
    assertThat(bar.text()).isEqualTo("media 0/1  3.0 MiB  3.0 MiB/s");
    bar.finish();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("media 0/1  3.0 MiB  3.0 MiB/s").endsWith("\n");
  }
}
