-- Reward actions and referral records (issue 12, 003_*'s reward_action_type and referral record).
--
-- A campaign earns its advocates rewards for four actions: 1 a referred purchase (what every commission was until now),
-- 2 a referred enrolment (an advocate created with referred_by earns their referrer), 3 a number of clicks reached, 4 a
-- number of shares reached (shares are a new event, counted on the code like clicks). Each reward an action earns is a
-- commission like any other (one row of rewards, the same lifecycle), and each commission is one referral record: the
-- record's fields are the commission's columns (uuid, action, qualified_amount, ...) and its conversion's.
--
-- rewards is rebuilt (SQLite's way to change a column's constraints): conversion_id becomes nullable (only action 1 has
-- one), campaign_id NOT NULL (014 backfilled every row). Its indexes and triggers are made again as they were.

-- ---- the campaign's action rewards: none, a fixed amount (cents) or points ----
ALTER TABLE campaigns ADD COLUMN enrolment_reward_type TEXT NOT NULL DEFAULT 'none'
  CHECK (enrolment_reward_type IN ('none', 'fixed', 'points'));
ALTER TABLE campaigns ADD COLUMN enrolment_reward_value INTEGER NOT NULL DEFAULT 0 CHECK (enrolment_reward_value >= 0);
ALTER TABLE campaigns ADD COLUMN clicks_reward_type TEXT NOT NULL DEFAULT 'none'
  CHECK (clicks_reward_type IN ('none', 'fixed', 'points'));
ALTER TABLE campaigns ADD COLUMN clicks_reward_value INTEGER NOT NULL DEFAULT 0 CHECK (clicks_reward_value >= 0);
-- the clicks (on all of an advocate's codes) that earn it; once at the threshold, or at every multiple of it
ALTER TABLE campaigns ADD COLUMN clicks_threshold INTEGER NOT NULL DEFAULT 100 CHECK (clicks_threshold > 0);
ALTER TABLE campaigns ADD COLUMN clicks_reward_repeats INTEGER NOT NULL DEFAULT 0 CHECK (clicks_reward_repeats IN (0, 1));
ALTER TABLE campaigns ADD COLUMN shares_reward_type TEXT NOT NULL DEFAULT 'none'
  CHECK (shares_reward_type IN ('none', 'fixed', 'points'));
ALTER TABLE campaigns ADD COLUMN shares_reward_value INTEGER NOT NULL DEFAULT 0 CHECK (shares_reward_value >= 0);
ALTER TABLE campaigns ADD COLUMN shares_threshold INTEGER NOT NULL DEFAULT 10 CHECK (shares_threshold > 0);
ALTER TABLE campaigns ADD COLUMN shares_reward_repeats INTEGER NOT NULL DEFAULT 0 CHECK (shares_reward_repeats IN (0, 1));

-- ---- shares: an advocate sharing their link (POST /track/share), counted on the code like its clicks ----
ALTER TABLE referral_codes ADD COLUMN share_count INTEGER NOT NULL DEFAULT 0 CHECK (share_count >= 0);
CREATE TABLE shares (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  advocate_id  INTEGER NOT NULL REFERENCES advocates (id),
  code         TEXT NOT NULL,
  channel      TEXT NOT NULL,
  campaign_id  INTEGER NOT NULL REFERENCES campaigns (id),
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX shares_advocate ON shares (brand_id, advocate_id, id);

-- ---- every advocate is in a campaign: NOT NULL by trigger (the same on PostgreSQL), not by rebuilding advocates ----
CREATE TRIGGER advocates_campaign_insert BEFORE INSERT ON advocates WHEN new.campaign_id IS NULL BEGIN
  SELECT RAISE(ABORT, 'NOT NULL constraint failed: advocates.campaign_id');
END;
CREATE TRIGGER advocates_campaign_update BEFORE UPDATE OF campaign_id ON advocates WHEN new.campaign_id IS NULL BEGIN
  SELECT RAISE(ABORT, 'NOT NULL constraint failed: advocates.campaign_id');
END;

-- ---- rewards, rebuilt ----
CREATE TABLE rewards_new (
  id                    INTEGER PRIMARY KEY,
  brand_id              TEXT NOT NULL REFERENCES brands (id),
  advocate_id           INTEGER NOT NULL REFERENCES advocates (id),
  -- the referred purchase (action 1); NULL for the other actions and for an entered record of an order made elsewhere
  conversion_id         INTEGER REFERENCES conversions (id),
  level                 INTEGER NOT NULL DEFAULT 1 CHECK (level IN (1, 2)),
  kind                  TEXT NOT NULL CHECK (kind IN ('cash', 'points')),
  original_amount       INTEGER NOT NULL,
  amount                INTEGER NOT NULL,
  clawed_back           INTEGER NOT NULL DEFAULT 0 CHECK (clawed_back >= 0),
  status                TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'rejected', 'reversed')),
  reason                TEXT,
  available_at          TEXT NOT NULL,
  approved_at           TEXT,
  paid_at               TEXT,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  clawback_recovered    INTEGER NOT NULL DEFAULT 0 CHECK (clawback_recovered >= 0 AND clawback_recovered <= clawed_back),
  campaign_id           INTEGER NOT NULL REFERENCES campaigns (id),
  -- the referral record's stable id (003_*'s uuid)
  uuid                  TEXT NOT NULL,
  -- 003_*'s reward_action_type: 1 purchase, 2 enrolment, 3 clicks reached, 4 shares reached
  action                INTEGER NOT NULL DEFAULT 1 CHECK (action IN (1, 2, 3, 4)),
  -- the clicks or shares that earned it (actions 3 and 4)
  qualified_amount      INTEGER CHECK (qualified_amount > 0),
  -- the count reached when it was earned (actions 3 and 4, tracked): one reward per advocate, action and milestone
  milestone             INTEGER CHECK (milestone > 0),
  -- the referred customer when they are an advocate (action 2: the new advocate)
  referred_advocate_id  INTEGER REFERENCES advocates (id),
  -- an entered record's: the referred customer's email, the order made elsewhere, the code that was shared and the
  -- referee's incentive (a tracked one's come from its conversion)
  referred_email        TEXT,
  order_id              TEXT,
  short_code            TEXT,
  incentive_used        TEXT,
  incentive_type        TEXT CHECK (incentive_type IN ('code', 'coupon')),
  incentive_cents       INTEGER CHECK (incentive_cents >= 0),
  -- tracked by the collector, or entered by the operator (POST /referral-records)
  origin                TEXT NOT NULL DEFAULT 'tracked' CHECK (origin IN ('tracked', 'entered')),
  UNIQUE (brand_id, conversion_id, level)
) STRICT;
INSERT INTO rewards_new (id, brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, clawed_back, status,
    reason, available_at, approved_at, paid_at, created_at, updated_at, clawback_recovered, campaign_id, uuid)
  SELECT id, brand_id, advocate_id, conversion_id, level, kind, original_amount, amount, clawed_back, status,
    reason, available_at, approved_at, paid_at, created_at, updated_at, clawback_recovered, campaign_id,
    -- a version-4 UUID, as crypto.randomUUID() makes them for new rows
    lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
      || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))
  FROM rewards ORDER BY id;
DROP TABLE rewards;
ALTER TABLE rewards_new RENAME TO rewards;

CREATE INDEX rewards_advocate ON rewards (brand_id, advocate_id, status);
CREATE INDEX rewards_brand ON rewards (brand_id);
CREATE INDEX rewards_brand_level ON rewards (brand_id, level);
CREATE INDEX rewards_brand_status ON rewards (brand_id, status);
CREATE INDEX rewards_clawback_owed ON rewards (brand_id, advocate_id) WHERE clawed_back > clawback_recovered;
CREATE INDEX rewards_due ON rewards (brand_id, available_at) WHERE status = 'pending';
CREATE INDEX rewards_payable ON rewards (brand_id, advocate_id) WHERE status = 'approved' AND kind = 'cash';
-- the records' look-ups and filters
CREATE UNIQUE INDEX rewards_uuid ON rewards (brand_id, uuid);
CREATE INDEX rewards_brand_campaign ON rewards (brand_id, campaign_id);
CREATE INDEX rewards_brand_action ON rewards (brand_id, action);
CREATE INDEX rewards_referred_email ON rewards (brand_id, referred_email) WHERE referred_email IS NOT NULL;
CREATE INDEX rewards_referred_advocate ON rewards (brand_id, referred_advocate_id) WHERE referred_advocate_id IS NOT NULL;
-- one enrolment reward per new advocate, one clicks or shares reward per milestone, whatever runs at once
CREATE UNIQUE INDEX rewards_enrolment ON rewards (brand_id, referred_advocate_id, level) WHERE action = 2;
CREATE UNIQUE INDEX rewards_milestone ON rewards (brand_id, advocate_id, action, milestone) WHERE milestone IS NOT NULL;
-- an entered record of an order made elsewhere, or of an enrolment known by email: once each (a conversion of that
-- order, or an advocate of that email, recorded later takes the entered record over instead of earning again)
-- The stored answers of POST /referral-records that name a person (an erasure deletes them, as migration 011's)
CREATE INDEX idempotency_record ON idempotency_keys (brand_id, json_extract(response, '$.data.referral_record.commission_id'))
  WHERE json_extract(response, '$.data.referral_record.commission_id') IS NOT NULL;
CREATE INDEX idempotency_record_advocate ON idempotency_keys (brand_id, json_extract(response, '$.data.referral_record.referred_customer.advocate_id'))
  WHERE json_extract(response, '$.data.referral_record.referred_customer.advocate_id') IS NOT NULL;
CREATE INDEX idempotency_record_conversion ON idempotency_keys (brand_id, json_extract(response, '$.data.referral_record.order.conversion_id'))
  WHERE json_extract(response, '$.data.referral_record.order.conversion_id') IS NOT NULL;
CREATE UNIQUE INDEX rewards_entered_order ON rewards (brand_id, order_id, level) WHERE order_id IS NOT NULL;
CREATE UNIQUE INDEX rewards_entered_enrolment ON rewards (brand_id, referred_email, level) WHERE action = 2 AND referred_email IS NOT NULL;

CREATE TRIGGER payout_runs_in AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN new.status = 'paid' AND new.kind = 'cash' AND new.paid_at IS NOT NULL
BEGIN
  INSERT INTO payout_runs (brand_id, paid_at, commissions, cents) VALUES (new.brand_id, new.paid_at, 1, new.amount)
    ON CONFLICT (brand_id, paid_at) DO UPDATE SET commissions = commissions + 1, cents = cents + excluded.cents;
END;
CREATE TRIGGER payout_runs_out AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN old.status = 'paid' AND old.kind = 'cash' AND old.paid_at IS NOT NULL
BEGIN
  UPDATE payout_runs SET commissions = commissions - 1, cents = cents - old.amount
    WHERE brand_id = old.brand_id AND paid_at = old.paid_at;
  DELETE FROM payout_runs WHERE brand_id = old.brand_id AND paid_at = old.paid_at AND commissions = 0;
END;

CREATE TRIGGER rewards_daily_insert AFTER INSERT ON rewards WHEN new.kind = 'cash' BEGIN
  INSERT INTO daily_reward_part VALUES (1, new.brand_id, substr(new.created_at, 1, 10), new.status, new.amount,
    new.clawed_back, new.clawback_recovered);
END;
CREATE TRIGGER rewards_daily_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, brand_id, created_at ON rewards
  WHEN old.kind = 'cash' OR new.kind = 'cash' BEGIN
  INSERT INTO daily_reward_part SELECT -1, old.brand_id, substr(old.created_at, 1, 10), old.status, old.amount,
    old.clawed_back, old.clawback_recovered WHERE old.kind = 'cash';
  INSERT INTO daily_reward_part SELECT 1, new.brand_id, substr(new.created_at, 1, 10), new.status, new.amount,
    new.clawed_back, new.clawback_recovered WHERE new.kind = 'cash';
END;
CREATE TRIGGER rewards_daily_delete AFTER DELETE ON rewards WHEN old.kind = 'cash' BEGIN
  INSERT INTO daily_reward_part VALUES (-1, old.brand_id, substr(old.created_at, 1, 10), old.status, old.amount,
    old.clawed_back, old.clawback_recovered);
END;

CREATE TRIGGER rewards_totals_insert AFTER INSERT ON rewards WHEN new.kind = 'cash' BEGIN
  UPDATE advocates SET
    pending_cents = pending_cents + CASE new.status WHEN 'pending' THEN new.amount ELSE 0 END,
    approved_cents = approved_cents + CASE new.status WHEN 'approved' THEN new.amount ELSE 0 END,
    paid_cents = paid_cents + CASE new.status WHEN 'paid' THEN new.amount ELSE 0 END,
    clawed_back_cents = clawed_back_cents + new.clawed_back,
    clawback_due_cents = clawback_due_cents + new.clawed_back - new.clawback_recovered
  WHERE id = new.advocate_id AND brand_id = new.brand_id;
END;
CREATE TRIGGER rewards_totals_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, advocate_id, brand_id ON rewards
  WHEN old.kind = 'cash' OR new.kind = 'cash' BEGIN
  UPDATE advocates SET
    pending_cents = pending_cents - CASE old.status WHEN 'pending' THEN old.amount ELSE 0 END,
    approved_cents = approved_cents - CASE old.status WHEN 'approved' THEN old.amount ELSE 0 END,
    paid_cents = paid_cents - CASE old.status WHEN 'paid' THEN old.amount ELSE 0 END,
    clawed_back_cents = clawed_back_cents - old.clawed_back,
    clawback_due_cents = clawback_due_cents - (old.clawed_back - old.clawback_recovered)
  WHERE old.kind = 'cash' AND id = old.advocate_id AND brand_id = old.brand_id;
  UPDATE advocates SET
    pending_cents = pending_cents + CASE new.status WHEN 'pending' THEN new.amount ELSE 0 END,
    approved_cents = approved_cents + CASE new.status WHEN 'approved' THEN new.amount ELSE 0 END,
    paid_cents = paid_cents + CASE new.status WHEN 'paid' THEN new.amount ELSE 0 END,
    clawed_back_cents = clawed_back_cents + new.clawed_back,
    clawback_due_cents = clawback_due_cents + new.clawed_back - new.clawback_recovered
  WHERE new.kind = 'cash' AND id = new.advocate_id AND brand_id = new.brand_id;
END;
CREATE TRIGGER rewards_totals_delete AFTER DELETE ON rewards WHEN old.kind = 'cash' BEGIN
  UPDATE advocates SET
    pending_cents = pending_cents - CASE old.status WHEN 'pending' THEN old.amount ELSE 0 END,
    approved_cents = approved_cents - CASE old.status WHEN 'approved' THEN old.amount ELSE 0 END,
    paid_cents = paid_cents - CASE old.status WHEN 'paid' THEN old.amount ELSE 0 END,
    clawed_back_cents = clawed_back_cents - old.clawed_back,
    clawback_due_cents = clawback_due_cents - (old.clawed_back - old.clawback_recovered)
  WHERE id = old.advocate_id AND brand_id = old.brand_id;
END;
