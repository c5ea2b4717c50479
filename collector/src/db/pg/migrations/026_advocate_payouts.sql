-- The payouts each advocate received (issue 14): the same table and triggers as SQLite's 026_advocate_payouts.sql (see
-- there for what each column means and how the triggers find a payout); the index ends with id, as SQLite's with the rowid.
CREATE TABLE advocate_payouts (
  brand_id        text COLLATE "C" NOT NULL,
  advocate_id     bigint NOT NULL,
  paid_at         text COLLATE "C" NOT NULL,
  commissions     bigint NOT NULL CHECK (commissions >= 0),
  cents           bigint NOT NULL,
  recovered       bigint NOT NULL DEFAULT 0 CHECK (recovered >= 0),
  payment_method  text COLLATE "C",
  reference       text COLLATE "C",
  PRIMARY KEY (brand_id, advocate_id, paid_at)
);

CREATE INDEX rewards_advocate_paid ON rewards (brand_id, advocate_id, paid_at, id) WHERE status = 'paid' AND kind = 'cash';

INSERT INTO advocate_payouts (brand_id, advocate_id, paid_at, commissions, cents, payment_method, reference)
  SELECT p.brand_id, p.advocate_id, p.paid_at, p.n, p.cents,
    (SELECT a.payment_method FROM advocates a WHERE a.brand_id = p.brand_id AND a.id = p.advocate_id),
    (SELECT e.note FROM reward_events e WHERE e.brand_id = p.brand_id AND e.reward_id = p.first AND e.event = 'paid' ORDER BY e.id LIMIT 1)
  FROM (SELECT brand_id, advocate_id, paid_at, count(*) AS n, sum(amount) AS cents, min(id) AS first FROM rewards
        WHERE status = 'paid' AND kind = 'cash' AND paid_at IS NOT NULL GROUP BY brand_id, advocate_id, paid_at) p;

CREATE FUNCTION advocate_payouts_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_payouts SET commissions = commissions - 1, cents = cents - old.amount
    WHERE brand_id = old.brand_id AND advocate_id = old.advocate_id AND paid_at = old.paid_at;
  RETURN NULL;
END $$;
CREATE TRIGGER advocate_payouts_out AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  FOR EACH ROW WHEN (old.status = 'paid' AND old.kind = 'cash' AND old.paid_at IS NOT NULL
    AND (new.status IS DISTINCT FROM old.status OR new.kind IS DISTINCT FROM old.kind OR new.amount IS DISTINCT FROM old.amount
      OR new.paid_at IS DISTINCT FROM old.paid_at))
  EXECUTE FUNCTION advocate_payouts_out();

CREATE FUNCTION advocate_payouts_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO advocate_payouts AS t (brand_id, advocate_id, paid_at, commissions, cents, payment_method)
    VALUES (new.brand_id, new.advocate_id, new.paid_at, 1, new.amount,
      (SELECT payment_method FROM advocates WHERE brand_id = new.brand_id AND id = new.advocate_id))
    ON CONFLICT (brand_id, advocate_id, paid_at) DO UPDATE SET commissions = t.commissions + 1, cents = t.cents + excluded.cents;
  RETURN NULL;
END $$;
CREATE TRIGGER advocate_payouts_in AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  FOR EACH ROW WHEN (new.status = 'paid' AND new.kind = 'cash' AND new.paid_at IS NOT NULL
    AND (new.status IS DISTINCT FROM old.status OR new.kind IS DISTINCT FROM old.kind OR new.amount IS DISTINCT FROM old.amount
      OR new.paid_at IS DISTINCT FROM old.paid_at))
  EXECUTE FUNCTION advocate_payouts_in();

CREATE FUNCTION advocate_payouts_recovered() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_payouts SET recovered = recovered + (new.clawback_recovered - old.clawback_recovered)
    WHERE brand_id = new.brand_id AND advocate_id = new.advocate_id AND paid_at = new.updated_at;
  RETURN NULL;
END $$;
CREATE TRIGGER advocate_payouts_recovered AFTER UPDATE OF clawback_recovered ON rewards
  FOR EACH ROW WHEN (new.clawback_recovered > old.clawback_recovered)
  EXECUTE FUNCTION advocate_payouts_recovered();

CREATE FUNCTION advocate_payouts_reference() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_payouts SET reference = new.note
    WHERE brand_id = new.brand_id AND paid_at = new.created_at AND reference IS NULL
      AND advocate_id = (SELECT advocate_id FROM rewards WHERE brand_id = new.brand_id AND id = new.reward_id AND kind = 'cash');
  RETURN NULL;
END $$;
CREATE TRIGGER advocate_payouts_reference AFTER INSERT ON reward_events
  FOR EACH ROW WHEN (new.event = 'paid' AND new.note IS NOT NULL)
  EXECUTE FUNCTION advocate_payouts_reference();

CREATE FUNCTION advocate_payouts_erased() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_payouts SET payment_method = NULL, reference = NULL WHERE brand_id = new.brand_id AND advocate_id = new.id;
  RETURN NULL;
END $$;
CREATE TRIGGER advocate_payouts_erased AFTER UPDATE OF erased_at ON advocates
  FOR EACH ROW WHEN (new.erased_at IS NOT NULL AND old.erased_at IS NULL)
  EXECUTE FUNCTION advocate_payouts_erased();
