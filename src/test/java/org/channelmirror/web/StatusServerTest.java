package org.channelmirror.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusServerTest {
  @Test
  void queryNumbersAreInRangeOrAbsent() {
    assertThat(StatusServer.Query.parse(null).number("problems", 0, 100_000, -1)).isEqualTo(-1);
    assertThat(StatusServer.Query.parse("other=1").number("problems", 0, 100_000, -1)).isEqualTo(-1);
    assertThat(StatusServer.Query.parse("problems=0").number("problems", 0, 100_000, -1)).isZero();
    assertThat(StatusServer.Query.parse("x=y&limit=100&chat=-100").number("limit", 1, 500, 50)).isEqualTo(100);
    assertThat(StatusServer.Query.parse("x=y&limit=100&chat=-100").value("chat")).isEqualTo("-100");
    assertThat(StatusServer.Query.parse("problems=100000").number("problems", 0, 100_000, -1)).isEqualTo(100_000);
    assertThat(StatusServer.Query.parse("chat=-1001234567890").chatId("chat")).isEqualTo(-1001234567890L);
    assertThat(StatusServer.Query.parse("limit=5").chatId("chat")).isNull();
    for (String bad : new String[] {"chat=mine", "chat=-99999999999999999999", "chat="}) {
      assertThatThrownBy(() -> StatusServer.Query.parse(bad).chatId("chat")).as(bad)
          .isInstanceOf(StatusServer.BadRequest.class).hasMessageContaining("chat id");
    }
    for (String bad : new String[] {"problems=", "problems=-1", "problems=100001", "problems=1e3", "problems=99999999999"}) {
      assertThatThrownBy(() -> StatusServer.Query.parse(bad).number("problems", 0, 100_000, -1)).as(bad)
          .isInstanceOf(StatusServer.BadRequest.class).hasMessage("problems must be a number from 0 to 100000");
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
