-- The payouts each advocate received (issue 14: the portal's /portal/payouts), kept as one row per advocate and payout
-- instead of grouped at read time. As payout_runs (012), a payout is the paid cash commissions sharing one paid_at
-- (POST /payouts, the CLI's mark-paid, the dashboard's "mark paid" and PUT /commissions/:id/status paid stamp each one
-- they pay with the same moment), here per advocate too, with what only the moment of the payout knows:
--   commissions, cents  count(*), sum(amount) of rewards WHERE status = 'paid' AND kind = 'cash'
--                       GROUP BY brand_id, advocate_id, paid_at (collector/test/portal/payouts.test.ts compares them)
--   recovered           the clawbacks the payout netted off (cents, positive): what the advocate received is
--                       cents - recovered. A payout records a recovery in the same transaction, with updated_at its
--                       own paid_at (services/commissions.ts markPaid), which is how the trigger finds the payout.
--   payment_method      the advocate's payment method when the payout was recorded (they may change it later)
--   reference           the payout's note (POST /payouts' note, mark-paid's, a status change's reason): the 'paid'
--                       history event's note of the payout's first commission
-- A row whose commissions all left it (none does today: a paid commission stays paid) stays at 0 and is not listed,
-- so a reward saved again while paid (a clawback, a recovery) never drops its payout's method and reference.
-- Payouts recorded before this migration: method as the advocate has it now, no recovery (it was not kept per payout).

CREATE TABLE advocate_payouts (
  brand_id        TEXT NOT NULL,
  advocate_id     INTEGER NOT NULL,
  paid_at         TEXT NOT NULL,
  commissions     INTEGER NOT NULL CHECK (commissions >= 0),
  cents           INTEGER NOT NULL,
  recovered       INTEGER NOT NULL DEFAULT 0 CHECK (recovered >= 0),
  payment_method  TEXT,
  reference       TEXT,
  PRIMARY KEY (brand_id, advocate_id, paid_at)
) STRICT, WITHOUT ROWID;

-- The commissions of one payout of one advocate, in id order (the index ends with the rowid).
CREATE INDEX rewards_advocate_paid ON rewards (brand_id, advocate_id, paid_at) WHERE status = 'paid' AND kind = 'cash';

INSERT INTO advocate_payouts (brand_id, advocate_id, paid_at, commissions, cents, payment_method, reference)
  SELECT p.brand_id, p.advocate_id, p.paid_at, p.n, p.cents,
    (SELECT a.payment_method FROM advocates a WHERE a.brand_id = p.brand_id AND a.id = p.advocate_id),
    (SELECT e.note FROM reward_events e WHERE e.brand_id = p.brand_id AND e.reward_id = p.first AND e.event = 'paid' ORDER BY e.id LIMIT 1)
  FROM (SELECT brand_id, advocate_id, paid_at, count(*) AS n, sum(amount) AS cents, min(id) AS first FROM rewards
        WHERE status = 'paid' AND kind = 'cash' AND paid_at IS NOT NULL GROUP BY brand_id, advocate_id, paid_at) p;

-- In and out only when what the row counts changes (every save of a reward sets its status and amount again).
CREATE TRIGGER advocate_payouts_out AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN old.status = 'paid' AND old.kind = 'cash' AND old.paid_at IS NOT NULL
    AND (new.status IS NOT old.status OR new.kind IS NOT old.kind OR new.amount IS NOT old.amount OR new.paid_at IS NOT old.paid_at)
BEGIN
  UPDATE advocate_payouts SET commissions = commissions - 1, cents = cents - old.amount
    WHERE brand_id = old.brand_id AND advocate_id = old.advocate_id AND paid_at = old.paid_at;
END;

CREATE TRIGGER advocate_payouts_in AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN new.status = 'paid' AND new.kind = 'cash' AND new.paid_at IS NOT NULL
    AND (new.status IS NOT old.status OR new.kind IS NOT old.kind OR new.amount IS NOT old.amount OR new.paid_at IS NOT old.paid_at)
BEGIN
  INSERT INTO advocate_payouts (brand_id, advocate_id, paid_at, commissions, cents, payment_method)
    VALUES (new.brand_id, new.advocate_id, new.paid_at, 1, new.amount,
      (SELECT payment_method FROM advocates WHERE brand_id = new.brand_id AND id = new.advocate_id))
    ON CONFLICT (brand_id, advocate_id, paid_at) DO UPDATE SET commissions = commissions + 1, cents = cents + excluded.cents;
END;

CREATE TRIGGER advocate_payouts_recovered AFTER UPDATE OF clawback_recovered ON rewards
  WHEN new.clawback_recovered > old.clawback_recovered
BEGIN
  UPDATE advocate_payouts SET recovered = recovered + (new.clawback_recovered - old.clawback_recovered)
    WHERE brand_id = new.brand_id AND advocate_id = new.advocate_id AND paid_at = new.updated_at;
END;

-- The 'paid' event is written at the payout's moment, after its reward's update: the payout's reference, once.
CREATE TRIGGER advocate_payouts_reference AFTER INSERT ON reward_events
  WHEN new.event = 'paid' AND new.note IS NOT NULL
BEGIN
  UPDATE advocate_payouts SET reference = new.note
    WHERE brand_id = new.brand_id AND paid_at = new.created_at AND reference IS NULL
      AND advocate_id = (SELECT advocate_id FROM rewards WHERE brand_id = new.brand_id AND id = new.reward_id AND kind = 'cash');
END;

-- A person's erasure empties the advocate's payment fields (db/people.ts): the ones their payouts kept go with them.
CREATE TRIGGER advocate_payouts_erased AFTER UPDATE OF erased_at ON advocates
  WHEN new.erased_at IS NOT NULL AND old.erased_at IS NULL
BEGIN
  UPDATE advocate_payouts SET payment_method = NULL, reference = NULL WHERE brand_id = new.brand_id AND advocate_id = new.id;
END;
