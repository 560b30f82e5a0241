/**
 * The transfer engine: moves one media file from the Bot API into storage, as fast as the link
 * and the S3 server allow, in memory that does not grow with the file, resumably.
 *
 * <h2>Algorithm</h2>
 * <ol>
 *   <li>{@code getFile}; the size it reports is the size the stored object must have. Whether a
 *       file is too big is the server's answer ("file is too big"), not a size checked before
 *       asking (in cloud mode, an absolute local-mode path for a file over 20 MB counts too).</li>
 *   <li>Already stored? A completed upload recorded in the journal, or an object with the
 *       {@code sha256} metadata and the right size, is reported as present.</li>
 *   <li>A file that fits one part ({@code storage.partSize}, 8 MiB by default): one GET (or one
 *       read of the local file) into a pooled buffer, one PutObject with {@code sha256} metadata.</li>
 *   <li>A larger file: a multipart upload, recorded in the catalog's {@code UploadJournal}
 *       before the first part, driven by {@link org.channelmirror.transfer.PartWindow}: parts
 *       are started in order, at most {@code transfer.window} at a time, each on its own thread:
 *       ranged GET over a pooled keep-alive connection (or positional read of the local file),
 *       then UploadPart, then a journal row with the part's ETag (written by
 *       {@link org.channelmirror.transfer.PartRecorder} a batch at a time: once a second or every
 *       16 parts, and what is left when the transfer fails). Parts finish in any order; the
 *       whole-file SHA-256 is computed in file order by whichever thread finds the head of the
 *       window fetched. A buffer is released when its part is hashed and uploaded, and only then
 *       can the part {@code window} places further start.</li>
 *   <li>The first ranged GET doubles as a probe: a server answering 200 instead of 206 is read
 *       as one sequential stream, cut into the same parts and uploaded in parallel. A server that
 *       honours the probe's Range and then answers a later part with 200 is not asked for that
 *       part again: the transfer starts over at once, within the same attempt, reading one stream
 *       (the parts already uploaded are kept, checked against their ETags).</li>
 *   <li>After the last part: byte counts checked (every part exactly its length, the parts
 *       summing to the announced size), the hash written to the journal row, then
 *       CompleteMultipartUpload, then the row marked completed (kept until the file is recorded
 *       stored). A process killed between the last two leaves an active row with a hash: the
 *       next run finds the object by HEAD (the recorded size) and does not send it again.</li>
 * </ol>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Integrity.</b> A stored object has exactly the size Telegram announced, and the
 *       SHA-256 recorded in the catalog and manifest is of the bytes that were uploaded.
 *       Objects also carry it as {@code sha256} user metadata: single-part ones from the upload;
 *       multipart ones in local mode from CreateMultipartUpload (the file is hashed first, a second
 *       read of the local disk, and the window's own hash must match it), over HTTP through a
 *       server-side copy after completion (hashing first would download the file twice), unless
 *       {@code transfer.sha256Metadata: singlePart} leaves it out (docs/benchmarks.md).</li>
 *   <li><b>Retries.</b> A part whose download breaks (reset, truncation, timeout, 5xx) is
 *       retried alone, up to {@value org.channelmirror.transfer.PartWindow#PART_ATTEMPTS} times
 *       with backoff. A 404 (or 401, 403, 410) means the file link expired: getFile again (once,
 *       however many parts noticed) and retry the part; a file of unknown size, one stream, gets
 *       its new link with the next attempt. Beyond that the attempt fails and
 *       {@code transfer.maxAttempts} applies to the whole file, resuming its upload.</li>
 *   <li><b>Resume.</b> A transient failure, an interrupt or {@code kill -9} leaves the upload
 *       and its journal in place. The next attempt lists the server's parts (ListParts), keeps
 *       those with the right size and recorded ETag, and uploads only the others. The running
 *       SHA-256's state is saved with each batch of part records ({@link
 *       org.channelmirror.transfer.ResumableSha256}): kept parts before that checkpoint are not
 *       read, except the last of them; those after it are read again from the source (in
 *       parallel, not uploaded) to hash them. Every kept part read has its bytes checked against
 *       the part ETag where it is an MD5, so a file whose bytes changed is started over rather
 *       than completed from old and new parts (a change confined to the kept parts before the
 *       checkpoint, but not the last of them, goes unseen). In a JVM that cannot save the state
 *       (the JDK package closed, as in a class-path launch without {@code --add-opens}), every
 *       kept part is read again that way.
 *       An upload that cannot continue (gone from the server, different size or part size,
 *       bytes differing from its parts, a permanent error) is aborted and forgotten.</li>
 *   <li><b>No orphans.</b> {@link org.channelmirror.transfer.UploadJanitor}, the cleanup job
 *       ({@code schedule.cleanup}, the {@code cleanup} command, and the start of a backup run at
 *       most hourly), aborts recorded uploads of files already stored, recorded uploads
 *       untouched for 24 h, and uploads under {@code <prefix>media/} the catalog does not know
 *       that are older than an hour (or {@code cleanup --older-than}).</li>
 *   <li><b>Memory.</b> Part buffers come from one pool per process, at most half the heap (and
 *       24 MB below it; one buffer at the least, so a 32 MB heap still works, a part at a time) and
 *       at most {@code transfer.concurrency x transfer.window} buffers; a file holds at most
 *       {@code transfer.window} of them. The heap therefore bounds memory, not the file size.</li>
 * </ul>
 *
 * <h2>Not guaranteed</h2>
 * Resume after the file's bytes change on the server side is detected only by size and part
 * MD5s (servers whose ETags are not MD5s are trusted on size). A file without a size from
 * getFile is streamed in one piece through {@code ObjectStore.putStream}, without resume.
 * Two processes transferring the same file at the same moment are not coordinated.
 */
package org.channelmirror.transfer;
