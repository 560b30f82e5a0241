package org.channelmirror.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.channelmirror.config.ConfigException;

/** Parsing of option values shared by the commands; a bad value is a usage error (exit 2) naming the option. */
final class OptionValues {
  private OptionValues() {}

  /**
   * {@code 2024-05-01} (UTC midnight; for an upper bound the end of that day) or an ISO instant
   * such as {@code 2024-05-01T12:00:00Z}; null stays null.
   */
  static Instant date(String option, String value, boolean endOfDay) {
    if (value == null) {
      return null;
    }
    try {
      if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
        LocalDate d = LocalDate.parse(value);
        return (endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      Instant at = Instant.parse(value);
      // an upper bound includes posts dated at that instant: post dates are whole seconds, and the
      // bound is exclusive
      return endOfDay ? at.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1) : at;
    } catch (DateTimeParseException e) {
      throw new ConfigException(option + " '" + value + "' is not a date: use 2024-05-01 or 2024-05-01T12:00:00Z");
    }
  }

  /**
   * Rejects a range no post can fall in: {@code since} (inclusive) not before {@code until} (exclusive,
   * as {@link #date} returns it). Silently choosing nothing would look like an empty channel.
   */
  static void requireRange(String since, Instant sinceAt, String until, Instant untilAt) {
    if (sinceAt != null && untilAt != null && !sinceAt.isBefore(untilAt)) {
      throw new ConfigException("--since " + since + " is after --until " + until + ": no post can be in that range");
    }
  }

  /** An ISO-8601 duration such as {@code PT1H} or {@code P2D}, not negative. */
  static Duration duration(String option, String value) {
    try {
      Duration d = Duration.parse(value);
      if (d.isNegative()) {
        throw new ConfigException(option + " '" + value + "' is negative");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new ConfigException(option + " '" + value + "' is not an ISO-8601 duration such as PT1H, PT30M or P2D");
    }
  }
}
