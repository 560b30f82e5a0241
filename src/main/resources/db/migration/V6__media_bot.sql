-- Which bot received each media reference. A file_id works only for the bot that received it
-- (BOTAPI: file_id is per bot), so with several bots on one catalog each instance fetches the
-- files its own bot saw, with its own file_id. Null: received before schema 6, or rebuilt from
-- the bucket by reindex; any bot may try those.
alter table media_items add column bot_id bigint;
