-- A quest's reward may be a catalogue reward (issue 13): completing the last task grants it once per advocate, as a
-- redemption of 0 points (pending until the owner fulfils it), taking a unit of a limited stock. A redemption made by
-- a quest names it and took no points: redemptions is rebuilt to allow a cost of 0 with no ledger entry for it alone.

CREATE TABLE redemptions_new (
  id                     INTEGER PRIMARY KEY,
  brand_id               TEXT NOT NULL REFERENCES brands (id),
  catalogue_reward_id    INTEGER NOT NULL REFERENCES catalogue_rewards (id),
  advocate_id            INTEGER NOT NULL REFERENCES advocates (id),
  -- the points deducted (the reward's cost when redeemed; a later change of the cost leaves it); 0 for a quest's grant
  points_cost            INTEGER NOT NULL CHECK (points_cost >= 0),
  status                 TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fulfilled', 'cancelled')),
  -- what was given (a coupon code, a gift card number, a tracking number)
  fulfilment             TEXT CHECK (fulfilment IS NULL OR length(fulfilment) <= 2000),
  cancel_reason          TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 500),
  -- the ledger entries that took the points and, once cancelled, gave them back (none for a quest's grant)
  points_transaction_id  INTEGER REFERENCES points_transactions (id),
  refund_transaction_id  INTEGER REFERENCES points_transactions (id),
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  fulfilled_at           TEXT,
  cancelled_at           TEXT,
  -- the quest whose completion granted it; NULL: redeemed with points
  quest_id               INTEGER REFERENCES quests (id),
  CHECK ((quest_id IS NULL) = (points_cost > 0)),
  CHECK ((points_cost > 0) = (points_transaction_id IS NOT NULL)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (status <> 'cancelled' OR points_cost = 0 OR refund_transaction_id IS NOT NULL),
  CHECK (status <> 'fulfilled' OR fulfilled_at IS NOT NULL)
) STRICT;
INSERT INTO redemptions_new (id, brand_id, catalogue_reward_id, advocate_id, points_cost, status, fulfilment, cancel_reason,
    points_transaction_id, refund_transaction_id, created_at, updated_at, fulfilled_at, cancelled_at, quest_id)
  SELECT id, brand_id, catalogue_reward_id, advocate_id, points_cost, status, fulfilment, cancel_reason,
    points_transaction_id, refund_transaction_id, created_at, updated_at, fulfilled_at, cancelled_at, NULL
  FROM redemptions ORDER BY id;
DROP TABLE redemptions;
ALTER TABLE redemptions_new RENAME TO redemptions;
CREATE INDEX redemptions_brand ON redemptions (brand_id, id);
CREATE INDEX redemptions_advocate ON redemptions (brand_id, advocate_id, id);
CREATE INDEX redemptions_reward ON redemptions (brand_id, catalogue_reward_id, id);
CREATE INDEX redemptions_status ON redemptions (brand_id, status, id);

-- The catalogue reward granted once per advocate on completing every task; NULL: none (reward_points may be set instead,
-- never both: the request schema takes one reward).
ALTER TABLE quests ADD COLUMN reward_catalogue_id INTEGER REFERENCES catalogue_rewards (id);

-- A completion of a quest with a catalogue reward: the reward, the redemption that granted it, or why it was not
-- granted ('out_of_stock', 'archived': the quest still completed, its tasks' points stay awarded).
ALTER TABLE quest_completions ADD COLUMN catalogue_reward_id INTEGER REFERENCES catalogue_rewards (id);
ALTER TABLE quest_completions ADD COLUMN redemption_id INTEGER REFERENCES redemptions (id);
ALTER TABLE quest_completions ADD COLUMN reward_not_granted TEXT
  CHECK (reward_not_granted IS NULL OR reward_not_granted IN ('out_of_stock', 'archived'));
