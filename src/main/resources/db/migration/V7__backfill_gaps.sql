-- Message ids backfill found empty: Telegram has no post there (deleted, or a service message).
-- Channel message ids are never reused, so a later backfill skips them instead of asking again
-- at one forward a second (`backfill --recheck-gaps` asks again).
create table backfill_gaps (
  chat_id     bigint not null,
  message_id  bigint not null,
  checked_at  timestamp with time zone not null,
  primary key (chat_id, message_id)
);
