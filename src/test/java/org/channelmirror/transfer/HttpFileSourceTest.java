package org.channelmirror.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a ranged answer's Content-Range is read: any RFC spelling of the asked range, nothing else. */
class HttpFileSourceTest {
  @Test
  void acceptsTheAskedRangeInAnySpelling() {
    assertThat(HttpFileSource.rangeMatches("bytes 0-8388607/20000000", 0, 8 << 20, 20_000_000)).isTrue();
    assertThat(HttpFileSource.rangeMatches("Bytes 8388608-16777215/20000000", 8 << 20, 8 << 20, 20_000_000)).isTrue();
    assertThat(HttpFileSource.rangeMatches(" bytes 10-19 / 100 ", 10, 10, 100)).isTrue();
    assertThat(HttpFileSource.rangeMatches("bytes 10-19/*", 10, 10, 100)).isTrue();
  }

  @Test
  void refusesAnyOtherRange() {
    assertThat(HttpFileSource.rangeMatches(null, 0, 10, 100)).isFalse();
    assertThat(HttpFileSource.rangeMatches("bytes 0-8/100", 0, 10, 100)).isFalse(); // shorter than asked
    assertThat(HttpFileSource.rangeMatches("bytes 1-10/100", 0, 10, 100)).isFalse(); // shifted
    assertThat(HttpFileSource.rangeMatches("bytes 0-9/101", 0, 10, 100)).isFalse(); // another file's length
    assertThat(HttpFileSource.rangeMatches("bytes */100", 0, 10, 100)).isFalse(); // unsatisfied
    assertThat(HttpFileSource.rangeMatches("items 0-9/100", 0, 10, 100)).isFalse();
    assertThat(HttpFileSource.rangeMatches("bytes 0-99999999999999999999/100", 0, 10, 100)).isFalse();
  }
}
