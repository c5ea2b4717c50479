-- The rewards catalogue (issue 13, 002_*'s "rewards and redemptions"): what an advocate may spend points on, and each
-- redemption of it. Not to be confused with `rewards`, the commissions an advocate earned: a catalogue reward is
-- bought with points, a redemption is one such purchase.

CREATE TABLE catalogue_rewards (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  TEXT CHECK (description IS NULL OR length(description) <= 2000),
  -- whole points a redemption deducts
  points_cost  INTEGER NOT NULL CHECK (points_cost > 0),
  type         TEXT NOT NULL CHECK (type IN ('discount_code', 'gift_card', 'product', 'custom')),
  -- the units left to redeem; NULL: unlimited. Never below zero, whatever runs at once.
  stock        INTEGER CHECK (stock IS NULL OR stock >= 0),
  status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
-- One per filter of the list (status, type), each in id order.
CREATE INDEX catalogue_rewards_brand ON catalogue_rewards (brand_id, id);
CREATE INDEX catalogue_rewards_status ON catalogue_rewards (brand_id, status, id);
CREATE INDEX catalogue_rewards_type ON catalogue_rewards (brand_id, type, id);

CREATE TABLE redemptions (
  id                     INTEGER PRIMARY KEY,
  brand_id               TEXT NOT NULL REFERENCES brands (id),
  catalogue_reward_id    INTEGER NOT NULL REFERENCES catalogue_rewards (id),
  advocate_id            INTEGER NOT NULL REFERENCES advocates (id),
  -- the points deducted (the reward's cost when redeemed; a later change of the cost leaves it)
  points_cost            INTEGER NOT NULL CHECK (points_cost > 0),
  status                 TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'cancelled')),
  -- what was given (a coupon code, a gift card number, a tracking number)
  fulfilment             TEXT CHECK (fulfilment IS NULL OR length(fulfilment) <= 2000),
  cancel_reason          TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 500),
  -- the ledger entries that took the points and, once cancelled, gave them back
  points_transaction_id  INTEGER NOT NULL REFERENCES points_transactions (id),
  refund_transaction_id  INTEGER REFERENCES points_transactions (id),
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  fulfilled_at           TEXT,
  cancelled_at           TEXT,
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND refund_transaction_id IS NOT NULL)),
  CHECK (status <> 'fulfilled' OR fulfilled_at IS NOT NULL)
) STRICT;
-- The list's walks: the brand's, one advocate's, one catalogue reward's, one status's, each in id order.
CREATE INDEX redemptions_brand ON redemptions (brand_id, id);
CREATE INDEX redemptions_advocate ON redemptions (brand_id, advocate_id, id);
CREATE INDEX redemptions_reward ON redemptions (brand_id, catalogue_reward_id, id);
CREATE INDEX redemptions_status ON redemptions (brand_id, status, id);
