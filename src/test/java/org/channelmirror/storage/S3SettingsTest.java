package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class S3SettingsTest {
  @Test
  void defaults() {
    S3Settings s = S3Settings.of(null, null, "my-bucket", null, true, "id", "secret");
    assertThat(s.endpoint()).isEmpty();
    assertThat(s.region()).isEqualTo("us-east-1");
    assertThat(s.checksumWhenRequired()).isTrue();
    assertThat(s.partSize()).isEqualTo(8 * 1024 * 1024);
    assertThat(s.partsInFlight()).isEqualTo(2);
    assertThat(s.maxConnections()).isEqualTo(32);
    assertThat(s.withPartSize(5 << 20).partSize()).isEqualTo(5 << 20);
    assertThat(s.withPartsInFlight(4).withMaxConnections(8)).extracting(S3Settings::partsInFlight, S3Settings::maxConnections)
        .containsExactly(4, 8);
  }

  @Test
  void toStringMasksTheSecret() {
    S3Settings s = S3Settings.of("http://h:9000", "eu", "bucket", "p", true, "AKIAEXAMPLE", "s3cr3t-value");
    assertThat(s.toString()).doesNotContain("s3cr3t-value").contains("****", "AKIAEXAMPLE", "http://h:9000");
  }

  @Test
  void rejectsBadValuesNamingTheField() {
    S3Settings s = S3Settings.of("", "", "bucket", "", false, "", "");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withPartSize(1 << 20)).getMessage()).startsWith("partSize");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withPartsInFlight(0)).getMessage()).startsWith("partsInFlight");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withMaxConnections(0)).getMessage()).startsWith("maxConnections");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withBucket(" ")).getMessage()).startsWith("bucket");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withBucket("My_Bucket")).getMessage()).startsWith("bucket");
    assertThat(assertThrows(IllegalArgumentException.class, () -> s.withCredentials("id", "")).getMessage()).contains("accessKeyId");
  }
}
