-- Past payouts on the dashboard (issue 9), kept as one row per run instead of summed at read time. There is no
-- payout-run record: a payout (POST /payouts, the CLI's mark-paid, the dashboard's "mark paid") stamps every
-- commission it pays with one paid_at, so a run is the brand's paid cash commissions sharing a paid_at. Summing
-- them at read time (through an index of paid commissions by paid_at) costs every row of the runs shown (93,000 paid commissions: 9-30 ms a page,
-- growing with each run); this table is that sum, kept by triggers in the writing transaction (as migration 007's
-- counters are, so no write path can forget it), and a page of runs reads ten rows.
--
-- Definition (collector/test/dashboard/payouts.test.ts compares it with the GROUP BY after payouts):
--   commissions = count(*), cents = sum(amount) of rewards WHERE status = 'paid' AND kind = 'cash' GROUP BY brand_id, paid_at
-- A paid commission's amount and paid_at do not change (a refund after payment is a clawback, kept apart), but the
-- triggers take the old row out and put the new one in on any change of those columns, so the sum holds regardless.
-- Only an update makes a reward paid: rewards are inserted pending or approved and never deleted.

CREATE TABLE payout_runs (
  brand_id    TEXT NOT NULL,
  paid_at     TEXT NOT NULL,
  commissions INTEGER NOT NULL CHECK (commissions >= 0),
  cents       INTEGER NOT NULL,
  PRIMARY KEY (brand_id, paid_at)
) STRICT, WITHOUT ROWID;

INSERT INTO payout_runs (brand_id, paid_at, commissions, cents)
  SELECT brand_id, paid_at, count(*), sum(amount) FROM rewards
  WHERE status = 'paid' AND kind = 'cash' AND paid_at IS NOT NULL GROUP BY brand_id, paid_at;

CREATE TRIGGER payout_runs_out AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN old.status = 'paid' AND old.kind = 'cash' AND old.paid_at IS NOT NULL
BEGIN
  UPDATE payout_runs SET commissions = commissions - 1, cents = cents - old.amount
    WHERE brand_id = old.brand_id AND paid_at = old.paid_at;
  DELETE FROM payout_runs WHERE brand_id = old.brand_id AND paid_at = old.paid_at AND commissions = 0;
END;

CREATE TRIGGER payout_runs_in AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  WHEN new.status = 'paid' AND new.kind = 'cash' AND new.paid_at IS NOT NULL
BEGIN
  INSERT INTO payout_runs (brand_id, paid_at, commissions, cents) VALUES (new.brand_id, new.paid_at, 1, new.amount)
    ON CONFLICT (brand_id, paid_at) DO UPDATE SET commissions = commissions + 1, cents = cents + excluded.cents;
END;

