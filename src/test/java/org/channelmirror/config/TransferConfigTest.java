package org.channelmirror.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transfer engine's keys: defaults, the shipped example, and errors that name the key. */
class TransferConfigTest {
  private static Config parse(String yaml) {
    return new ConfigLoader(Map.of("TELEGRAM_BOT_TOKEN", ConfigLoaderTest.TOKEN)::get)
        .parse("telegram:\n  channels: [-100123]\n" + yaml, "test.yaml");
  }

  @Test
  void defaultsAndExample() {
    TransferConfig t = parse("").transfer();
    assertThat(t.window()).isEqualTo(8);
    assertThat(t.sha256MetadataAlways()).isTrue();
    assertThat(t.uploadLimit()).isZero();
    assertThat(t.downloadLimit()).isZero();
    Config example = new ConfigLoader(Map.of("TELEGRAM_BOT_TOKEN", ConfigLoaderTest.TOKEN)::get)
        .load(Path.of("config/channel-mirror.example.yaml"));
    assertThat(example.transfer()).isEqualTo(t);
  }

  @Test
  void windowAndSha256MetadataAreRead() {
    TransferConfig t = parse("transfer:\n  window: 3\n  sha256Metadata: singlePart\n").transfer();
    assertThat(t.window()).isEqualTo(3);
    assertThat(t.sha256MetadataAlways()).isFalse();
  }

  @Test
  void bandwidthLimitsTakeDecimalAndBinaryUnits() {
    assertThat(upload("10MB")).isEqualTo(10_000_000L);
    assertThat(upload("8MiB")).isEqualTo(8L << 20);
    assertThat(upload("8M")).isEqualTo(8L << 20);
    assertThat(upload("512 KiB/s")).isEqualTo(512L << 10);
    assertThat(upload("1.5MB/s")).isEqualTo(1_500_000L);
    assertThat(upload("2GB")).isEqualTo(2_000_000_000L);
    assertThat(upload("100000")).isEqualTo(100_000L);
    assertThat(upload("0")).isZero();
    assertThat(upload("off")).isZero();
    assertThat(upload("\"\"")).isZero();
    TransferConfig t = parse("transfer:\n  downloadLimit: 20MB\n").transfer();
    assertThat(t.downloadLimit()).isEqualTo(20_000_000L);
    assertThat(t.uploadLimit()).isZero();
    assertThat(parse("transfer:\n  uploadLimit: 1MB\n").describe())
        .contains("transfer.uploadLimit=1000000 bytes/s").contains("transfer.downloadLimit=0 (no limit)");
  }

  @Test
  void badBandwidthLimitsNameTheKeyAndSayWhatWorks() {
    // a number without a unit this small is a forgotten "MB", not a wish for 10 bytes a second
    for (String bad : new String[] {"10", "fast", "10 Mbit", "-5MB", "1.5.1MB", "10XB"}) {
      assertThatThrownBy(() -> upload(bad)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageContaining("transfer.uploadLimit").hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> parse("transfer:\n  downloadLimit: 8KiB\n"))
        .hasMessageContaining("transfer.downloadLimit").hasMessageContaining("at least 16KiB");
  }

  private static long upload(String value) {
    return parse("transfer:\n  uploadLimit: " + value + "\n").transfer().uploadLimit();
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> parse("transfer:\n  window: 0\n")).hasMessageContaining("transfer.window");
    assertThatThrownBy(() -> parse("transfer:\n  sha256Metadata: sometimes\n"))
        .hasMessageContaining("transfer.sha256Metadata");
  }
}
