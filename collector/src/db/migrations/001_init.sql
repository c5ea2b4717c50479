-- Initial schema: brands and their keys, advocates, and the tracking records (visits, claims,
-- conversions, refunds, rewards). Money is integer minor units (cents); percentages are basis points.

CREATE TABLE brands (
  id                       TEXT PRIMARY KEY,
  name                     TEXT NOT NULL,
  plan                     TEXT NOT NULL CHECK (plan IN ('starter', 'growth', 'premier')),
  currency                 TEXT NOT NULL DEFAULT 'USD',
  allowed_origins          TEXT NOT NULL DEFAULT '[]',
  attribution_model        TEXT NOT NULL DEFAULT 'first_touch' CHECK (attribution_model IN ('first_touch', 'last_touch')),
  attribution_window_days  INTEGER NOT NULL DEFAULT 30 CHECK (attribution_window_days > 0),
  referee_discount_type    TEXT NOT NULL DEFAULT 'percentage' CHECK (referee_discount_type IN ('percentage', 'fixed')),
  referee_discount_value   INTEGER NOT NULL DEFAULT 1000 CHECK (referee_discount_value >= 0),
  referrer_reward_type     TEXT NOT NULL DEFAULT 'percentage' CHECK (referrer_reward_type IN ('percentage', 'fixed', 'points')),
  referrer_reward_value    INTEGER NOT NULL DEFAULT 1000 CHECK (referrer_reward_value >= 0),
  cooling_period_days      INTEGER NOT NULL DEFAULT 30 CHECK (cooling_period_days >= 0),
  created_at               TEXT NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id          INTEGER PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands (id),
  kind        TEXT NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash    TEXT NOT NULL UNIQUE,
  key_hint    TEXT NOT NULL,
  secret_enc  TEXT,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT,
  CHECK ((kind = 'secret') = (secret_enc IS NOT NULL))
) STRICT;
CREATE INDEX api_keys_brand ON api_keys (brand_id, kind, revoked_at);

CREATE TABLE advocates (
  id          INTEGER PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands (id),
  email       TEXT NOT NULL,
  name        TEXT NOT NULL,
  code        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  created_at  TEXT NOT NULL,
  UNIQUE (brand_id, code),
  UNIQUE (brand_id, email)
) STRICT;

CREATE TABLE visits (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL REFERENCES brands (id),
  visitor_id     TEXT NOT NULL,
  code           TEXT NOT NULL,
  advocate_id    INTEGER NOT NULL REFERENCES advocates (id),
  share_channel  TEXT,
  landing_page   TEXT,
  referrer       TEXT,
  utm_source     TEXT,
  utm_medium     TEXT,
  utm_campaign   TEXT,
  utm_term       TEXT,
  utm_content    TEXT,
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX visits_visitor ON visits (brand_id, visitor_id, created_at);

CREATE TABLE claims (
  id                      INTEGER PRIMARY KEY,
  brand_id                TEXT NOT NULL REFERENCES brands (id),
  advocate_id             INTEGER NOT NULL REFERENCES advocates (id),
  code                    TEXT NOT NULL,
  email                   TEXT NOT NULL,
  name                    TEXT,
  phone                   TEXT,
  visitor_id              TEXT,
  order_id                TEXT,
  type                    TEXT NOT NULL DEFAULT 'referral',
  source                  TEXT NOT NULL DEFAULT 'api',
  status                  TEXT NOT NULL DEFAULT 'pending',
  raw_value_cents         INTEGER,
  claim_value_cents       INTEGER,
  discount_applied_cents  INTEGER NOT NULL DEFAULT 0,
  discount_type           TEXT,
  discount_value          TEXT,
  products                TEXT,
  coupons_applied         TEXT,
  metadata                TEXT,
  conversion_id           INTEGER,
  created_at              TEXT NOT NULL
) STRICT;
CREATE INDEX claims_email ON claims (brand_id, email, status, created_at);
CREATE INDEX claims_code_email ON claims (brand_id, code, email, created_at);

CREATE TABLE conversions (
  id                          INTEGER PRIMARY KEY,
  brand_id                    TEXT NOT NULL REFERENCES brands (id),
  order_id                    TEXT,
  email                       TEXT NOT NULL,
  name                        TEXT,
  visitor_id                  TEXT,
  claim_id                    INTEGER REFERENCES claims (id),
  advocate_id                 INTEGER REFERENCES advocates (id),
  code                        TEXT,
  attribution                 TEXT,
  status                      TEXT NOT NULL DEFAULT 'completed',
  order_value_cents           INTEGER NOT NULL,
  order_total_cents           INTEGER,
  tax_cents                   INTEGER,
  shipping_cents              INTEGER,
  discount_cents              INTEGER,
  discount_applied_cents      INTEGER NOT NULL DEFAULT 0,
  total_discount_cents        INTEGER NOT NULL DEFAULT 0,
  paid_cents                  INTEGER NOT NULL,
  refunded_cents              INTEGER NOT NULL DEFAULT 0,
  referrer_reward_paid_cents  INTEGER,
  referee_reward_paid_cents   INTEGER,
  discount_type               TEXT,
  discount_value              TEXT,
  type                        TEXT NOT NULL DEFAULT 'referral',
  source                      TEXT,
  products                    TEXT,
  coupons_applied             TEXT,
  metadata                    TEXT,
  created_at                  TEXT NOT NULL,
  UNIQUE (brand_id, order_id)
) STRICT;
CREATE INDEX conversions_email ON conversions (brand_id, email);

CREATE TABLE rewards (
  id                    INTEGER PRIMARY KEY,
  brand_id              TEXT NOT NULL REFERENCES brands (id),
  advocate_id           INTEGER NOT NULL REFERENCES advocates (id),
  conversion_id         INTEGER NOT NULL REFERENCES conversions (id),
  kind                  TEXT NOT NULL CHECK (kind IN ('cash', 'points')),
  original_amount       INTEGER NOT NULL,
  amount                INTEGER NOT NULL,
  status                TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'rejected', 'reversed')),
  available_at          TEXT NOT NULL,
  created_at            TEXT NOT NULL,
  UNIQUE (brand_id, conversion_id)
) STRICT;

CREATE TABLE reward_events (
  id          INTEGER PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands (id),
  reward_id   INTEGER NOT NULL REFERENCES rewards (id),
  event       TEXT NOT NULL,
  delta       INTEGER NOT NULL DEFAULT 0,
  note        TEXT,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX reward_events_reward ON reward_events (brand_id, reward_id);

CREATE TABLE refunds (
  id                    INTEGER PRIMARY KEY,
  brand_id              TEXT NOT NULL REFERENCES brands (id),
  conversion_id         INTEGER REFERENCES conversions (id),
  claim_id              INTEGER REFERENCES claims (id),
  refund_id             TEXT,
  amount_cents          INTEGER NOT NULL,
  total_refunded_cents  INTEGER NOT NULL,
  is_full_refund        INTEGER NOT NULL,
  status                TEXT NOT NULL,
  reason                TEXT,
  source                TEXT,
  metadata              TEXT,
  created_at            TEXT NOT NULL,
  UNIQUE (brand_id, refund_id)
) STRICT;

CREATE TABLE idempotency_keys (
  brand_id      TEXT NOT NULL REFERENCES brands (id),
  key           TEXT NOT NULL,
  endpoint      TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (brand_id, key)
) STRICT;
