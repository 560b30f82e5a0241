package org.channelmirror.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A manifest's object_key read under the reader's storage.prefix (see BucketReader.objectKeyUnder). */
class ManifestObjectKeysTest {
  @Test
  void aMediaKeyIsFoundUnderTheReadersPrefix() {
    assertThat(BucketReader.objectKeyUnder("backups/media/AgAD1.jpg", "backups/")).isEqualTo("backups/media/AgAD1.jpg");
    assertThat(BucketReader.objectKeyUnder("old/media/AgAD1.jpg", "new/x/")).isEqualTo("new/x/media/AgAD1.jpg");
    assertThat(BucketReader.objectKeyUnder("media/AgAD1.jpg", "backups/")).isEqualTo("backups/media/AgAD1.jpg");
    assertThat(BucketReader.objectKeyUnder("old/media/AgAD1.jpg", "")).isEqualTo("media/AgAD1.jpg");
    // not the layout's shape: as recorded
    assertThat(BucketReader.objectKeyUnder("old/media/sub/AgAD1.jpg", "new/")).isEqualTo("old/media/sub/AgAD1.jpg");
    assertThat(BucketReader.objectKeyUnder("old/socialmedia/AgAD1.jpg", "new/")).isEqualTo("old/socialmedia/AgAD1.jpg");
    assertThat(BucketReader.objectKeyUnder("old/media/", "new/")).isEqualTo("old/media/");
    assertThat(BucketReader.objectKeyUnder(null, "new/")).isNull();
  }
}
