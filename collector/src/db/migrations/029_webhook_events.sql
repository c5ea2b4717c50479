-- The outbox proper (issue 11's throughput bar): a change's events in one append-only row, written in the change's
-- transaction (webhooks/outbox.ts), instead of one webhook_deliveries row per event and endpoint there. A conversion
-- with an endpoint on every event writes one row into one b-tree, not three rows into four; the sender turns the row
-- into its deliveries afterwards in a job of its own that does not wait for the disk (db/webhooks.ts `expand`), and
-- deletes it in that job: a crash before it loses nothing (the row is still here at the restart), one after it
-- neither. The row is what was committed: each event's id, type, subject and receiving endpoints are decided and its
-- body serialized in the change's transaction, as before; only the per-endpoint rows come later.
CREATE TABLE webhook_events (
  id          INTEGER PRIMARY KEY,
  brand_id    TEXT NOT NULL,
  -- the change's events, in order: [{"id","type","subject","endpoints":[…],"length"}]
  events      TEXT NOT NULL,
  -- their bodies ({"type","timestamp","data"}, byte for byte what is signed and sent) one after another: each event's
  -- `length` characters (JavaScript's string length) in turn
  bodies      TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
