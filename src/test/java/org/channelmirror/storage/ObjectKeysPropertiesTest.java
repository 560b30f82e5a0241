package org.channelmirror.storage;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

/** Object keys are always valid, safe, unique per media item and stable, whatever the input. */
class ObjectKeysPropertiesTest {
  @Property(tries = 2000)
  void mediaKeysAreSafeAscii(@ForAll @StringLength(min = 1, max = 400) String fileUniqueId,
      @ForAll @StringLength(max = 30) String ext) {
    String key = ObjectKeys.media("", fileUniqueId, ext);
    assertThat(key).startsWith("media/").matches("[A-Za-z0-9_.~/-]+").doesNotContain("..").doesNotContain("//");
    assertThat(key.length()).isLessThan(1024);
    assertThat(key.substring("media/".length())).doesNotContain("/");
    assertThat(ObjectKeys.media("", fileUniqueId, ext)).isEqualTo(key);
  }

  @Property(tries = 2000)
  void distinctIdsGiveDistinctKeys(@ForAll @StringLength(min = 1, max = 300) String a,
      @ForAll @StringLength(min = 1, max = 300) String b) {
    if (!a.equals(b)) {
      assertThat(ObjectKeys.media("p/", a, "jpg")).isNotEqualTo(ObjectKeys.media("p/", b, "jpg"));
    }
  }

  @Property(tries = 500)
  void extensionsNeverCarryPathSyntax(@ForAll String mime, @ForAll String fileName, @ForAll String path) {
    String ext = ObjectKeys.extensionFor(mime, fileName, path, "document");
    assertThat(ext).matches("[a-z0-9]{0,10}");
  }
}
