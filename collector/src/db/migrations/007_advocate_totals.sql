-- Each advocate's figures as counters on the advocate's row, so that a page of advocates reads O(page) rows
-- whatever their history (the per-row sums over conversions and rewards cost 31-38 ms for the oldest page at
-- 100,000 advocates / 300,000 conversions). Money in cents, cash rewards only; the definitions are the sums
-- they replace: conversion_count = count(conversions of the advocate); pending/approved/paid_cents =
-- sum(amount) of the cash rewards in that status; clawed_back_cents = sum(clawed_back) and clawback_due_cents
-- = sum(clawed_back - clawback_recovered) of the cash rewards. Backfilled here, then kept exact by the triggers
-- below on every write to rewards and conversions (no application code keeps them).
ALTER TABLE advocates ADD COLUMN conversion_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE advocates ADD COLUMN pending_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE advocates ADD COLUMN approved_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE advocates ADD COLUMN paid_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE advocates ADD COLUMN clawed_back_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE advocates ADD COLUMN clawback_due_cents INTEGER NOT NULL DEFAULT 0;

-- One pass over each table, grouped by brand and advocate (a row whose brand is not its advocate's is not
-- counted, as the sums did not count it).
UPDATE advocates SET pending_cents = t.pending, approved_cents = t.approved, paid_cents = t.paid,
    clawed_back_cents = t.clawed_back, clawback_due_cents = t.due
  FROM (SELECT brand_id, advocate_id,
          sum(CASE status WHEN 'pending' THEN amount ELSE 0 END) AS pending,
          sum(CASE status WHEN 'approved' THEN amount ELSE 0 END) AS approved,
          sum(CASE status WHEN 'paid' THEN amount ELSE 0 END) AS paid,
          sum(clawed_back) AS clawed_back, sum(clawed_back - clawback_recovered) AS due
        FROM rewards WHERE kind = 'cash' GROUP BY brand_id, advocate_id) AS t
  WHERE advocates.id = t.advocate_id AND advocates.brand_id = t.brand_id;
UPDATE advocates SET conversion_count = t.n
  FROM (SELECT brand_id, advocate_id, count(*) AS n FROM conversions WHERE advocate_id IS NOT NULL
        GROUP BY brand_id, advocate_id) AS t
  WHERE advocates.id = t.advocate_id AND advocates.brand_id = t.brand_id;

-- A cash reward adds its amount to the counter of its status, and its clawbacks; an update takes the old row's
-- part off (from the old advocate) and adds the new row's; a delete takes its part off.
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

-- An attributed conversion counts for its advocate.
CREATE TRIGGER conversions_totals_insert AFTER INSERT ON conversions WHEN new.advocate_id IS NOT NULL BEGIN
  UPDATE advocates SET conversion_count = conversion_count + 1 WHERE id = new.advocate_id AND brand_id = new.brand_id;
END;
CREATE TRIGGER conversions_totals_update AFTER UPDATE OF advocate_id, brand_id ON conversions
  WHEN old.advocate_id IS NOT new.advocate_id OR old.brand_id IS NOT new.brand_id BEGIN
  UPDATE advocates SET conversion_count = conversion_count - 1 WHERE id = old.advocate_id AND brand_id = old.brand_id;
  UPDATE advocates SET conversion_count = conversion_count + 1 WHERE id = new.advocate_id AND brand_id = new.brand_id;
END;
CREATE TRIGGER conversions_totals_delete AFTER DELETE ON conversions WHEN old.advocate_id IS NOT NULL BEGIN
  UPDATE advocates SET conversion_count = conversion_count - 1 WHERE id = old.advocate_id AND brand_id = old.brand_id;
END;
