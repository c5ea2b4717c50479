-- Outgoing webhooks (issue 11, Standard Webhooks): a brand's endpoints, the event types each subscribes to, and the
-- outbox. A change and the deliveries of the events it makes are written in one transaction (webhooks/outbox.ts), so
-- a rolled-back change sends nothing and a committed one is delivered at least once, also after a crash.

CREATE TABLE webhook_endpoints (
  id                          INTEGER PRIMARY KEY,
  brand_id                    TEXT NOT NULL REFERENCES brands (id),
  url                         TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
  description                 TEXT,
  -- 'api' (the API, the CLI, the dashboard) or 'zapier' (a REST Hook subscription)
  source                      TEXT NOT NULL CHECK (source IN ('api', 'zapier')),
  status                      TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
  -- why it is disabled: 'operator', 'gone' (the receiver answered 410), 'failing' (5 days of failed attempts)
  disabled_reason             TEXT CHECK (disabled_reason IN ('operator', 'gone', 'failing')),
  disabled_at                 TEXT,
  -- the signing secret (whsec_…), sealed with the master key (AES-256-GCM) like the secret API keys
  secret_sealed               TEXT NOT NULL,
  -- a rotated secret stays valid beside the new one until previous_secret_expires_at (both signatures are sent)
  previous_secret_sealed      TEXT,
  previous_secret_expires_at  TEXT,
  -- the first failed attempt since the last delivered one (NULL while the endpoint delivers)
  failing_since               TEXT,
  created_at                  TEXT NOT NULL,
  updated_at                  TEXT NOT NULL,
  deleted_at                  TEXT
) STRICT;
CREATE INDEX webhook_endpoints_brand ON webhook_endpoints (brand_id);
-- The deliverer's round: every enabled endpoint of every brand.
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (status) WHERE deleted_at IS NULL;

-- What an endpoint receives: an event type, or '*' (every type but visit.created, which must be named).
CREATE TABLE webhook_subscriptions (
  brand_id     TEXT NOT NULL,
  event_type   TEXT NOT NULL,
  endpoint_id  INTEGER NOT NULL REFERENCES webhook_endpoints (id),
  PRIMARY KEY (brand_id, event_type, endpoint_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX webhook_subscriptions_endpoint ON webhook_subscriptions (endpoint_id);

-- One event for one endpoint: the body as sent and where its delivery stands. event_id is the webhook-id header:
-- the same for every endpoint and every attempt, so receivers dedupe by it.
CREATE TABLE webhook_deliveries (
  id                INTEGER PRIMARY KEY,
  brand_id          TEXT NOT NULL,
  endpoint_id       INTEGER NOT NULL REFERENCES webhook_endpoints (id),
  event_id          TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  -- {"type","timestamp","data"}, byte for byte what is signed and sent
  payload           TEXT NOT NULL,
  -- whom the body names ('advocate:ID', 'claim:ID', 'conversion:ID', 'visitor:ID'), so that an erasure finds the
  -- deliveries that carry the person's data through an index (services/people.ts); NULL when it names nobody
  subject           TEXT,
  status            TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  -- attempts started (an attempt cut by a crash counts)
  attempts          INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- while pending: when it is due; while an attempt is under way, when that attempt's claim lapses
  next_attempt_at   TEXT,
  -- set while an attempt is under way (the claim), cleared when its result is written
  attempting_since  TEXT,
  last_attempt_at   TEXT,
  last_status_code  INTEGER,
  last_duration_ms  INTEGER,
  last_error        TEXT,
  delivered_at      TEXT,
  created_at        TEXT NOT NULL
) STRICT;
-- Due deliveries of one endpoint, oldest due first (the deliverer's claim).
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
-- An endpoint's deliveries, newest first (the API's and the dashboard's list).
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (brand_id, endpoint_id);
-- An erasure's deliveries, by whom they name.
CREATE INDEX webhook_deliveries_subject ON webhook_deliveries (brand_id, subject) WHERE subject IS NOT NULL;
-- Claims under way when a collector stopped (SQLite: given back at start-up).
CREATE INDEX webhook_deliveries_attempting ON webhook_deliveries (attempting_since) WHERE attempting_since IS NOT NULL;

-- Every attempt of a delivery and the receiver's answer (its first 2 KB).
CREATE TABLE webhook_attempts (
  id                 INTEGER PRIMARY KEY,
  brand_id           TEXT NOT NULL,
  delivery_id        INTEGER NOT NULL REFERENCES webhook_deliveries (id),
  attempt            INTEGER NOT NULL CHECK (attempt >= 1),
  -- the webhook-timestamp header of this attempt (Unix seconds): with the payload, what was signed
  webhook_timestamp  INTEGER NOT NULL,
  started_at         TEXT NOT NULL,
  duration_ms        INTEGER NOT NULL,
  status_code        INTEGER,
  -- 'timeout', 'redirect', 'refused: …' (a private address), a network error, or NULL for an HTTP answer
  error              TEXT,
  response_body      TEXT,
  outcome            TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed'))
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
