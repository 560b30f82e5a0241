package org.channelmirror.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H2FilesTest {
  @Test
  void embeddedFileUrlsAreRecognisedInEveryForm() {
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:file:./data/catalog")).isTrue();
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:./data/catalog")).isTrue();
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:/var/lib/channel-mirror/catalog;AUTO_SERVER=TRUE")).isTrue();
    assertThat(H2Files.isEmbeddedFile("JDBC:H2:FILE:./data/catalog")).isTrue();
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:mem:test")).isFalse();
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:tcp://db.example:9092/catalog")).isFalse();
    assertThat(H2Files.isEmbeddedFile("jdbc:h2:ssl://db.example/catalog")).isFalse();
    assertThat(H2Files.isEmbeddedFile("jdbc:postgresql://localhost/cm")).isFalse();
  }

  @Test
  void theDirectoryOfAnEmbeddedFileUrlIsFoundBehindItsPrefixes() {
    java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
    assertThat(H2Files.directory("jdbc:h2:file:./data/catalog;AUTO_SERVER=TRUE")).isEqualTo(here.resolve("./data"));
    assertThat(H2Files.directory("jdbc:h2:async:file:/var/lib/cm/catalog")).isEqualTo(java.nio.file.Path.of("/var/lib/cm"));
    assertThat(H2Files.directory("jdbc:h2:nio:./c")).isEqualTo(here.resolve("."));
    assertThat(H2Files.directory("jdbc:h2:~/cm/catalog")).isEqualTo(java.nio.file.Path.of(System.getProperty("user.home"), "cm"));
    assertThat(H2Files.directory("jdbc:h2:mem:test")).isNull();
    assertThat(H2Files.directory("jdbc:h2:zip:~/a.zip!/db")).isNull();
    assertThat(H2Files.directory("jdbc:postgresql://localhost/cm")).isNull();
  }

  @Test
  void durableCommitsAndTheAsyncFileStoreAreAddedUnlessTheOwnerChoseOtherwise() {
    assertThat(H2Files.hardened("jdbc:h2:file:./data/catalog;AUTO_SERVER=TRUE"))
        .isEqualTo("jdbc:h2:async:file:./data/catalog;AUTO_SERVER=TRUE;WRITE_DELAY=0");
    // without "file:" the old check missed the URL, and its commits were written up to 500 ms late
    assertThat(H2Files.hardened("jdbc:h2:./data/catalog")).isEqualTo("jdbc:h2:async:./data/catalog;WRITE_DELAY=0");
    assertThat(H2Files.hardened("jdbc:h2:file:./c;write_delay=100")).isEqualTo("jdbc:h2:async:file:./c;write_delay=100");
    assertThat(H2Files.hardened("jdbc:h2:nio:./c")).isEqualTo("jdbc:h2:nio:./c;WRITE_DELAY=0");
    assertThat(H2Files.hardened("jdbc:h2:async:./c")).isEqualTo("jdbc:h2:async:./c;WRITE_DELAY=0");
  }
}
