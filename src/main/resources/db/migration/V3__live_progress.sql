-- Live progress of a running backup, so `status` (another process) can show what is moving now.
-- The running process rewrites it every few seconds; updated_at is its heartbeat, which also
-- tells a run that is still going from one whose process died (kill -9, power loss).
alter table job_runs add column updated_at timestamp with time zone;

-- One row per file being transferred right now.
create table transfers_running (
  file_unique_id    varchar(256) primary key,
  job_run_id        bigint not null,
  chat_id           bigint not null,
  message_id        bigint not null,
  kind              varchar(32) not null,
  bytes_done        bigint not null,
  total_size        bigint not null,
  bytes_per_second  double precision not null,
  started_at        timestamp with time zone not null,
  updated_at        timestamp with time zone not null
);
create index ix_transfers_running_job on transfers_running (job_run_id);
