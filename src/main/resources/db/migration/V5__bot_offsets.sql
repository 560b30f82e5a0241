-- The getUpdates offset of each bot. poll_state held one for the whole catalog, so two bots
-- sharing a PostgreSQL catalog overwrote each other's, and neither's updates were confirmed.
-- A bot without a row here starts from poll_state's (whoever's it was): an offset that does not
-- fit a bot's queue only makes Telegram answer from the queue's head, which intake follows.
create table bot_offsets (
  bot_id      bigint primary key,
  next_offset bigint not null
);
