-- A clawback (a refund after payment) is owed by the advocate until a payout nets it off: what payouts have taken
-- back so far. clawed_back - clawback_recovered is still due.
ALTER TABLE rewards ADD COLUMN clawback_recovered INTEGER NOT NULL DEFAULT 0
  CHECK (clawback_recovered >= 0 AND clawback_recovered <= clawed_back);
