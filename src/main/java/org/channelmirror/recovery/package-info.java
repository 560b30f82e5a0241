/**
 * Disaster recovery from the bucket alone: {@link org.channelmirror.recovery.Verifier verify},
 * {@link org.channelmirror.recovery.Restorer restore}, {@link org.channelmirror.recovery.Exporter export}
 * and {@link org.channelmirror.recovery.Reindexer reindex}. Nothing here reads the catalog: the
 * owner's server may be gone, and a fresh data directory is all these need besides the bucket
 * (reindex writes the catalog; verify records its run there for {@code status}).
 *
 * <h2>What is read</h2>
 * The object layout of {@link org.channelmirror.storage.ObjectKeys}: manifests under
 * {@code channels/<chat>/posts/} (one per post version) and media under {@code media/}. The channel
 * index may be stale and is not used; the {@code posts/} keys are listed instead. The latest
 * version of a post is the one with the highest edit date, and among equal edit dates the one
 * written last.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>verify checks every stored item of every manifest (all versions), each object once:
 *     existence and size, and with {@code --deep} the SHA-256 of the content. Objects younger than
 *     a grace period are not called orphans, since a backup run writes manifests at its end.</li>
 *   <li>restore posts in message order and never posts a send twice on its own: the
 *     {@link org.channelmirror.recovery.RestoreJournal journal} records each send before, when its
 *     request is complete, and after. The one case it cannot decide (the whole request reached
 *     Telegram, the answer did not reach the disk) stops the restore and asks the owner. Uploads
 *     stream from S3 (a 2000 MB file never sits in memory or on disk), within the upload limits of
 *     the configured server; flood control (429) is obeyed per target chat, and the pace stays
 *     under a messages-per-minute budget.</li>
 *   <li>export copies each object once, hashing it on the way, under names made of safe
 *     characters only; the page has no scripts and no external assets.</li>
 *   <li>reindex is idempotent and marks a file STORED only when a HEAD finds its object with the
 *     recorded size.</li>
 * </ul>
 *
 * <h2>Not guaranteed</h2>
 * Restored posts are new messages: new ids and dates, no views, reactions or comments; photos
 * are recompressed by Telegram as on any upload. Only what the backup holds comes back: text,
 * captions, entities and media (not polls, locations or buttons). A file over the upload limit
 * of the configured server cannot be uploaded through it; with {@code --reuse-file-ids} it is
 * sent by its original file_id instead, which works only for the bot that received the file and
 * only while Telegram keeps it (a refusal is reported, and the rerun tries again). Everything
 * within the limit is always uploaded from the bucket.
 */
package org.channelmirror.recovery;
