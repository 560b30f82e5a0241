-- In-progress multipart uploads of media, so a transfer interrupted by a crash or kill -9
-- continues the same upload instead of starting over (see transfer/package-info.java).

-- One row per media file with a multipart upload that was created and not yet recorded as stored.
-- state: ACTIVE (parts being uploaded) or COMPLETED (CompleteMultipartUpload succeeded; sha256
-- holds the whole-file hash until the blob is marked STORED and the row is pruned).
create table multipart_uploads (
  file_unique_id  varchar(256) primary key,
  object_key      varchar(1024) not null,
  upload_id       varchar(1024) not null,
  part_size       bigint not null,
  total_size      bigint not null,
  state           varchar(16) not null,
  sha256          varchar(64),
  created_at      timestamp with time zone not null,
  updated_at      timestamp with time zone not null
);

-- Parts the server accepted, with the ETag it returned (needed to complete the upload).
create table multipart_parts (
  file_unique_id  varchar(256) not null references multipart_uploads (file_unique_id) on delete cascade,
  part_number     int not null,
  etag            varchar(256) not null,
  size            bigint not null,
  primary key (file_unique_id, part_number)
);
