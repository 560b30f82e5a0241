package org.channelmirror.config;

/**
 * How media moves.
 *
 * @param concurrency media files transferred at once
 * @param maxAttempts attempts within one run before an item is marked failed until the next run
 * @param window parts of one file downloaded and uploaded at once (ranged GETs in flight); also the
 *     most part buffers ({@code storage.partSize} each) one file holds in memory
 * @param sha256MetadataAlways also put the {@code sha256} user metadata on multipart objects: in
 *     local mode by hashing the file first, over HTTP by a server-side copy of the whole object
 *     after completion; single-part objects always carry it, and the catalog and manifests always
 *     record the hash
 * @param uploadLimit bytes per second sent to S3 by this process, all files together; 0: no limit
 * @param downloadLimit bytes per second fetched from the Bot API's file URLs, all files together;
 *     0: no limit (local-mode reads of the disk are not limited)
 */
public record TransferConfig(int concurrency, int maxAttempts, int window, boolean sha256MetadataAlways,
                             long uploadLimit, long downloadLimit) {
  public static final int DEFAULT_WINDOW = 8;

  /** Defaults for the engine's knobs. */
  public TransferConfig(int concurrency, int maxAttempts) {
    this(concurrency, maxAttempts, DEFAULT_WINDOW, false, 0, 0);
  }
}
