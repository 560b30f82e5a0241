/**
 * Object storage: S3 through the AWS SDK for Java v2, an embedded S3-compatible server, and the
 * object layout. Depends on nothing else of channel-mirror.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link org.channelmirror.storage.ObjectStore}: every call the product makes to a bucket.
 *       Keys are full object keys; {@link org.channelmirror.storage.ObjectKeys} builds them
 *       under {@code ObjectStore.prefix()}.</li>
 *   <li>{@link org.channelmirror.storage.EmbeddedS3}: S3Proxy on 127.0.0.1 storing in a local
 *       directory, so "no endpoint configured" runs the same code path as a real bucket.</li>
 *   <li>{@link org.channelmirror.storage.ObjectKeys}: the public, stable key layout.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>What may repeat.</b> Every call may be repeated after a failure. Puts overwrite
 *       (last writer wins), {@code delete} of a missing key and {@code abortMultipartUpload} of
 *       an unknown upload succeed, {@code ensureBucket} tolerates a concurrent creation.
 *       {@code putStream} reads its {@code InputStream} once: to retry it the caller must
 *       supply the stream again. Single requests are retried by the SDK at most
 *       {@value org.channelmirror.storage.S3Clients#SDK_ATTEMPTS} times in all (buffered
 *       bodies are re-read from memory); longer retry policy belongs to the caller.</li>
 *   <li><b>Not found.</b> {@code head} answers empty, {@code get}/{@code getBytes} throw
 *       {@link org.channelmirror.storage.StorageException} with {@code notFound()}; the same
 *       flag marks an unknown multipart upload. A missing <i>bucket</i> is not "not found" but
 *       a permanent error, except for HEAD, whose answer carries no error code:
 *       {@code ensureBucket} at start-up is what detects a missing bucket.</li>
 *   <li><b>Errors.</b> All S3 failures surface as {@code StorageException}, classified once
 *       in {@code S3Errors}: retryable are 408/429/5xx, SlowDown, InternalError, timeouts,
 *       connection refused/reset and unknown hosts; permanent are 403 (AccessDenied,
 *       InvalidAccessKeyId, SignatureDoesNotMatch), NoSuchBucket, other 4xx, a checksum or
 *       byte-count mismatch, and cancellation (interrupt). {@code putStream} rethrows the
 *       stream's own {@code IOException} unchanged and turns an interrupt into
 *       {@code InterruptedIOException} with the interrupt flag restored. Invalid arguments
 *       (metadata that is not lower-case/ASCII, a bad prefix) are
 *       {@code IllegalArgumentException}s, thrown before anything is sent. Messages name the
 *       endpoint, bucket, key and part number, never the secret.</li>
 *   <li><b>Integrity.</b> Every object written through {@code putStream}/{@code putBytes}/{@code putBuffer}
 *       carries user metadata {@code sha256}: the SHA-256 of its content, computed once per
 *       byte while streaming. A caller that passes {@code sha256} itself gets a permanent
 *       checksum error, and nothing stored, when the content differs. A multipart object
 *       gets its {@code sha256} after completion by a CopyObject onto itself (metadata
 *       REPLACE, content type and other metadata kept), then a HEAD checks size and hash;
 *       if that step fails the object is deleted, so no object lacks its hash. The copy is
 *       server-side, but costs the server a rewrite of the object (S3Proxy: about 0.7 s
 *       per 300 MB).</li>
 *   <li><b>No stray uploads.</b> When {@code putStream} fails or is interrupted, it stops
 *       its part uploads, waits (at most 30 s) until none is running, then aborts the
 *       multipart upload before rethrowing. A crash of the process can still leave one:
 *       {@code listMultipartUploads} and {@code abortMultipartUpload} are for the cleanup
 *       job.</li>
 *   <li><b>Bandwidth.</b> {@code limitUploads} caps the bytes per second of every object
 *       body sent from then on (one {@link org.channelmirror.storage.BandwidthLimit} shared by all
 *       threads); bodies are charged as the HTTP client reads them, retries included.</li>
 *   <li><b>Memory.</b> {@code putStream} holds at most {@code partsInFlight} buffers of
 *       {@code partSize} bytes (16 MiB by default), never the whole object, and reuses them
 *       across uploads. The SDK reads bodies from these buffers without copying them. A
 *       stream that ends within the first part is a single PutObject; a longer one is a
 *       multipart upload of up to 10,000 parts (80 GB at 8 MiB parts).</li>
 * </ul>
 *
 * <h2>Signing</h2>
 * Requests are signed with SigV4. On plain-HTTP endpoints (embedded server, LAN MinIO) bodies
 * are sent as {@code UNSIGNED-PAYLOAD} rather than SDK's signed aws-chunked encoding, which
 * hashed every uploaded byte a second time ({@code UnsignedPayloadOverHttp}); HTTPS endpoints
 * are signed as the SDK does by default. The caller's own parts primitives
 * ({@code createMultipartUpload}, {@code uploadPart}, {@code listParts},
 * {@code completeMultipartUpload}) add no {@code sha256}: the transfer engine decides.
 *
 * <h2>Not guaranteed</h2>
 * Atomic replacement of a multipart object: readers may see the object without {@code sha256}
 * for the moment between completion and the metadata copy. No locking between processes that
 * write the same key. No retry beyond the SDK's few attempts.
 */
package org.channelmirror.storage;
