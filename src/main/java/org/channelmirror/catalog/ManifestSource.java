package org.channelmirror.catalog;

import java.util.List;

/** What a post-version manifest is written from: the version and each media item's blob state. */
public record ManifestSource(
    long versionId,
    PostVersion version,
    List<Item> items) {

  /** A media item of the version joined with its blob. */
  public record Item(MediaRef ref, BlobState state, String objectKey, Long size, String sha256, String reason) {}
}
