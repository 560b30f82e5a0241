-- Named leases, so that work meant to run once at a time (a backup run) does so across processes
-- sharing this catalog, not only within one: `sync` started while the service is backing up,
-- or two instances on one PostgreSQL catalog. One row per name, created here, so that claiming
-- is always an update of an existing row under `select ... for update`.
-- owner: a random id of the holding process (null: free); host and pid let a process on the
-- same host tell that the holder died (kill -9) without waiting for its lease to expire;
-- renewed_at is the holder's heartbeat.
create table leases (
  name         varchar(64) primary key,
  owner        varchar(64),
  host         varchar(255),
  pid          bigint,
  acquired_at  timestamp with time zone,
  renewed_at   timestamp with time zone
);
insert into leases (name) values ('backup');
