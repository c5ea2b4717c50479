-- Commissions and payouts at real size (issue 8): a minimum payout per brand, and indexes so that a commission
-- page, a payout chunk and the due backlog read only the rows they answer.

-- Cents: an advocate whose payout subtotal is below it rolls over to the next run (0: everyone is paid).
ALTER TABLE brands ADD COLUMN min_payout INTEGER NOT NULL DEFAULT 0 CHECK (min_payout >= 0);

-- The commission list, newest first: the brand's rewards in id order (an index ends with the rowid), unfiltered
-- or by status, so a page stops after LIMIT rows instead of sorting the brand's rewards.
CREATE INDEX rewards_brand ON rewards (brand_id);
CREATE INDEX rewards_brand_status ON rewards (brand_id, status);

-- The due backlog holds pending rows only (the status filter is served by rewards_brand_status now).
DROP INDEX rewards_due;
CREATE INDEX rewards_due ON rewards (brand_id, available_at) WHERE status = 'pending';

-- A payout walks the brand's approved cash commissions, and the clawbacks still owed, by advocate then id.
CREATE INDEX rewards_payable ON rewards (brand_id, advocate_id) WHERE status = 'approved' AND kind = 'cash';
CREATE INDEX rewards_clawback_owed ON rewards (brand_id, advocate_id) WHERE clawed_back > clawback_recovered;
