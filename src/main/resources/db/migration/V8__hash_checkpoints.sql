-- The SHA-256 state of a multipart upload after its first hashed_parts parts, saved as it goes
-- (transfer/ResumableSha256), so that a resumed upload does not download its finished parts
-- again only to hash them. Null where the JVM cannot save the state: resume then re-reads them.
-- (if not exists: a run of this script cut short by another process closing the file can run again)
alter table multipart_uploads add column if not exists hashed_parts int;
alter table multipart_uploads add column if not exists hash_state varchar(512);
