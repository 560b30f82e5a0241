package org.channelmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.channelmirror.config.ConfigException;
import org.junit.jupiter.api.Test;

/** --since and --until: bounds the restore and export planners compare post dates with (exclusive upper). */
class OptionValuesTest {
  @Test
  void sinceIsTheInstantItself() {
    assertThat(OptionValues.date("--since", "2024-05-01", false)).isEqualTo(Instant.parse("2024-05-01T00:00:00Z"));
    assertThat(OptionValues.date("--since", "2024-05-01T12:00:00Z", false))
        .isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
  }

  @Test
  void untilIncludesTheWholeDayOrThePostsDatedAtThatSecond() {
    assertThat(OptionValues.date("--until", "2024-05-01", true)).isEqualTo(Instant.parse("2024-05-02T00:00:00Z"));
    assertThat(OptionValues.date("--until", "2024-05-01T12:00:00Z", true))
        .isEqualTo(Instant.parse("2024-05-01T12:00:01Z"));
    assertThat(OptionValues.date("--until", "2024-05-01T12:00:00.500Z", true))
        .isEqualTo(Instant.parse("2024-05-01T12:00:01Z"));
  }

  @Test
  void badDatesNameTheOption() {
    assertThat(OptionValues.date("--until", null, true)).isNull();
    assertThatThrownBy(() -> OptionValues.date("--until", "May 1st", true)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("--until").hasMessageContaining("2024-05-01T12:00:00Z");
  }
}
