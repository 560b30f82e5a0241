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
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> parse("transfer:\n  window: 0\n")).hasMessageContaining("transfer.window");
    assertThatThrownBy(() -> parse("transfer:\n  sha256Metadata: sometimes\n"))
        .hasMessageContaining("transfer.sha256Metadata");
  }
}
