package org.channelmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StatusServerTest {
  @Test
  void theProblemsParameterIsANumberInRangeOrAbsent() {
    assertThat(StatusServer.problemsParam(null)).isEqualTo(OptionalInt.empty());
    assertThat(StatusServer.problemsParam("other=1")).isEqualTo(OptionalInt.empty());
    assertThat(StatusServer.problemsParam("problems=0")).isEqualTo(OptionalInt.of(0));
    assertThat(StatusServer.problemsParam("x=y&problems=100")).isEqualTo(OptionalInt.of(100));
    assertThat(StatusServer.problemsParam("problems=100000")).isEqualTo(OptionalInt.of(100_000));
    for (String bad : new String[] {"problems=", "problems=-1", "problems=100001", "problems=1e3", "problems=99999999999"}) {
      assertThatThrownBy(() -> StatusServer.problemsParam(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from 0 to 100000");
    }
  }

  @Test
  void dashboardFilesAreFoundByNameOnly() {
    Dashboard d = Dashboard.load();
    assertThat(d.find("/")).hasValueSatisfying(a -> assertThat(a.contentType()).startsWith("text/html"));
    assertThat(d.find("/app.js")).isPresent();
    assertThat(d.find("/sw.js")).hasValueSatisfying(a -> assertThat(new String(a.body())).doesNotContain("@VERSION@"));
    assertThat(d.find("/../app.js")).isEmpty();
    assertThat(d.find("/dashboard/app.js")).isEmpty();
    assertThat(d.find("/index.html/")).isEmpty();
  }
}
