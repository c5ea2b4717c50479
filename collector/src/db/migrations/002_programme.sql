-- The programme and its management: advocate statuses (active, pending, blocked), tiers, metadata and the
-- advocate who referred them (level 2); several referral codes per advocate with a click counter; rewards
-- per level with their approval, payment and clawback; a points ledger; level-2 and points settings.
-- Runs with foreign_keys off (see migrate.ts): advocates and rewards are rebuilt, as SQLite's ALTER TABLE
-- cannot change a CHECK or a UNIQUE constraint.

CREATE TABLE advocates_new (
  id              INTEGER PRIMARY KEY,
  brand_id        TEXT NOT NULL REFERENCES brands (id),
  email           TEXT NOT NULL,
  name            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'blocked')),
  tier            TEXT,
  metadata        TEXT,
  referred_by     INTEGER REFERENCES advocates (id),
  points_balance  INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (brand_id, email)
) STRICT;
INSERT INTO advocates_new (id, brand_id, email, name, status, created_at, updated_at)
  SELECT id, brand_id, email, name, CASE status WHEN 'active' THEN 'active' ELSE 'blocked' END, created_at, created_at
  FROM advocates;

CREATE TABLE referral_codes (
  id              INTEGER PRIMARY KEY,
  brand_id        TEXT NOT NULL REFERENCES brands (id),
  advocate_id     INTEGER NOT NULL REFERENCES advocates (id),
  code            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  click_count     INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  deactivated_at  TEXT,
  UNIQUE (brand_id, code)
) STRICT;
INSERT INTO referral_codes (brand_id, advocate_id, code, click_count, created_at)
  SELECT a.brand_id, a.id, a.code,
    (SELECT count(*) FROM visits v WHERE v.brand_id = a.brand_id AND v.code = a.code), a.created_at
  FROM advocates a ORDER BY a.id;
CREATE INDEX referral_codes_advocate ON referral_codes (brand_id, advocate_id);

DROP TABLE advocates;
ALTER TABLE advocates_new RENAME TO advocates;
CREATE INDEX advocates_brand ON advocates (brand_id);
CREATE INDEX advocates_brand_status ON advocates (brand_id, status);
CREATE INDEX advocates_referred_by ON advocates (brand_id, referred_by);

CREATE TABLE rewards_new (
  id               INTEGER PRIMARY KEY,
  brand_id         TEXT NOT NULL REFERENCES brands (id),
  advocate_id      INTEGER NOT NULL REFERENCES advocates (id),
  conversion_id    INTEGER NOT NULL REFERENCES conversions (id),
  level            INTEGER NOT NULL DEFAULT 1 CHECK (level IN (1, 2)),
  kind             TEXT NOT NULL CHECK (kind IN ('cash', 'points')),
  original_amount  INTEGER NOT NULL,
  amount           INTEGER NOT NULL,
  clawed_back      INTEGER NOT NULL DEFAULT 0 CHECK (clawed_back >= 0),
  status           TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'rejected', 'reversed')),
  reason           TEXT,
  available_at     TEXT NOT NULL,
  approved_at      TEXT,
  paid_at          TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (brand_id, conversion_id, level)
) STRICT;
INSERT INTO rewards_new (id, brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, clawed_back,
    status, reason, available_at, created_at, updated_at)
  SELECT r.id, r.brand_id, r.advocate_id, r.conversion_id, 1, r.kind, r.original_amount, r.amount,
    (SELECT coalesce(-sum(e.delta), 0) FROM reward_events e
      WHERE e.brand_id = r.brand_id AND e.reward_id = r.id AND e.event = 'clawback'),
    r.status,
    (SELECT e.note FROM reward_events e
      WHERE e.brand_id = r.brand_id AND e.reward_id = r.id AND e.event = 'rejected' ORDER BY e.id DESC LIMIT 1),
    r.available_at, r.created_at, r.created_at
  FROM rewards r;
DROP TABLE rewards;
ALTER TABLE rewards_new RENAME TO rewards;
CREATE INDEX rewards_due ON rewards (brand_id, status, available_at);
CREATE INDEX rewards_advocate ON rewards (brand_id, advocate_id, status);

-- Who changed a reward: 'system' (conversion, refund, cooling period), 'api' or 'cli'.
ALTER TABLE reward_events ADD COLUMN actor TEXT NOT NULL DEFAULT 'system';

CREATE TABLE points_transactions (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL REFERENCES brands (id),
  advocate_id    INTEGER NOT NULL REFERENCES advocates (id),
  type           TEXT NOT NULL,
  amount         INTEGER NOT NULL,
  balance_after  INTEGER NOT NULL,
  description    TEXT,
  reward_id      INTEGER REFERENCES rewards (id),
  created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX points_transactions_advocate ON points_transactions (brand_id, advocate_id, id);

ALTER TABLE brands ADD COLUMN level2_reward_type TEXT NOT NULL DEFAULT 'none'
  CHECK (level2_reward_type IN ('none', 'percentage', 'fixed', 'points'));
ALTER TABLE brands ADD COLUMN level2_reward_value INTEGER NOT NULL DEFAULT 0 CHECK (level2_reward_value >= 0);
ALTER TABLE brands ADD COLUMN allow_negative_points INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative_points IN (0, 1));

-- Reading lists by brand, newest first, and the per-advocate and per-code figures.
CREATE INDEX visits_brand ON visits (brand_id);
CREATE INDEX claims_brand ON claims (brand_id);
CREATE INDEX conversions_brand ON conversions (brand_id);
CREATE INDEX claims_brand_advocate ON claims (brand_id, advocate_id);
CREATE INDEX conversions_brand_advocate ON conversions (brand_id, advocate_id);
CREATE INDEX conversions_brand_code ON conversions (brand_id, code);
-- A refund by claim_id finds the claim's conversion (before this index it walked the brand's conversions).
CREATE INDEX conversions_brand_claim ON conversions (brand_id, claim_id);
