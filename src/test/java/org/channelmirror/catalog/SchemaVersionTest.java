package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Catalog.open skips Flyway when SCHEMA_VERSION is applied: it must name the newest migration. */
class SchemaVersionTest {
  @Test
  void schemaVersionIsTheNewestMigration() throws Exception {
    URL dir = Catalog.class.getResource("/db/migration");
    assertThat(dir).isNotNull();
    Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
    int newest;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      newest = files.map(p -> name.matcher(p.getFileName().toString())).filter(Matcher::matches)
          .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
    }
    assertThat(newest).isPositive();
    assertThat(Catalog.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
  }
}
