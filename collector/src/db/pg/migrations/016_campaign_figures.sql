-- Campaign figures (issue 12): the same columns, tables, indexes and triggers as SQLite's 016_campaign_figures.sql (see
-- there for what each means and why). The per-day tables are made again keyed by campaign and filled from their rows
-- with GROUP BYs (an INSERT ... ON CONFLICT DO UPDATE may not meet one row twice here, and PostgreSQL aggregates by
-- hashing, without the sort that made SQLite's GROUP BY the slower way); daily_sources is moved, not rebuilt, as there.
-- The trigger functions of 012_baseline.sql are replaced with the campaign in every key (advocate_revenue stays every
-- campaign's, as there); the triggers keep their names.

ALTER TABLE visits ADD COLUMN campaign_id bigint;
ALTER TABLE claims ADD COLUMN campaign_id bigint;
ALTER TABLE conversions ADD COLUMN campaign_id bigint;

-- ---- the baseline's per-day triggers go first (made again below, with their UPDATE OF lists naming campaign_id) ----
DROP TRIGGER visits_daily_insert ON visits;
DROP TRIGGER visits_daily_update ON visits;
DROP TRIGGER claims_daily_insert ON claims;
DROP TRIGGER claims_daily_update ON claims;
DROP TRIGGER claims_daily_delete ON claims;
DROP TRIGGER conversions_daily_insert ON conversions;
DROP TRIGGER conversions_daily_update ON conversions;
DROP TRIGGER conversions_daily_delete ON conversions;
DROP TRIGGER rewards_daily_insert ON rewards;
DROP TRIGGER rewards_daily_update ON rewards;
DROP TRIGGER rewards_daily_delete ON rewards;

-- ---- each record's campaign: its advocate's, now; a conversion's, its level-1 commission's when it has one ----
UPDATE visits v SET campaign_id = a.campaign_id FROM advocates a WHERE a.id = v.advocate_id AND a.brand_id = v.brand_id;
UPDATE claims c SET campaign_id = a.campaign_id FROM advocates a WHERE a.id = c.advocate_id AND a.brand_id = c.brand_id;
UPDATE conversions c SET campaign_id = coalesce(
    (SELECT r.campaign_id FROM rewards r WHERE r.brand_id = c.brand_id AND r.conversion_id = c.id AND r.level = 1),
    (SELECT a.campaign_id FROM advocates a WHERE a.id = c.advocate_id AND a.brand_id = c.brand_id))
  WHERE c.advocate_id IS NOT NULL;
CREATE INDEX conversions_brand_campaign ON conversions (brand_id, campaign_id, id) WHERE advocate_id IS NOT NULL;

-- ---- the tables, keyed by campaign ----
ALTER TABLE daily_sources RENAME TO daily_sources_009;
ALTER TABLE daily_sources_009 RENAME CONSTRAINT daily_sources_pkey TO daily_sources_009_pkey;
DROP TABLE daily_totals;
DROP TABLE daily_advocates;
DROP TABLE daily_products;

CREATE TABLE daily_totals (
  brand_id             text COLLATE "C" NOT NULL,
  campaign_id          bigint NOT NULL,
  day                  text COLLATE "C" NOT NULL,
  claims               bigint NOT NULL DEFAULT 0,
  conversions          bigint NOT NULL DEFAULT 0,
  revenue_cents        bigint NOT NULL DEFAULT 0,
  net_revenue_cents    bigint NOT NULL DEFAULT 0,
  refunded_cents       bigint NOT NULL DEFAULT 0,
  pending_cents        bigint NOT NULL DEFAULT 0,
  approved_cents       bigint NOT NULL DEFAULT 0,
  paid_cents           bigint NOT NULL DEFAULT 0,
  clawed_back_cents    bigint NOT NULL DEFAULT 0,
  clawback_due_cents   bigint NOT NULL DEFAULT 0,
  first_conversion_id  bigint,
  last_conversion_id   bigint,
  PRIMARY KEY (brand_id, campaign_id, day)
);

CREATE TABLE daily_sources (
  brand_id       text COLLATE "C" NOT NULL,
  campaign_id    bigint NOT NULL,
  day            text COLLATE "C" NOT NULL,
  share_channel  text COLLATE "C" NOT NULL,
  utm_source     text COLLATE "C" NOT NULL,
  clicks         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, share_channel, utm_source)
);

CREATE TABLE daily_advocates (
  brand_id           text COLLATE "C" NOT NULL,
  campaign_id        bigint NOT NULL,
  day                text COLLATE "C" NOT NULL,
  advocate_id        bigint NOT NULL,
  conversions        bigint NOT NULL DEFAULT 0,
  revenue_cents      bigint NOT NULL DEFAULT 0,
  net_revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, advocate_id)
);

CREATE TABLE daily_products (
  brand_id           text COLLATE "C" NOT NULL,
  campaign_id        bigint NOT NULL,
  day                text COLLATE "C" NOT NULL,
  name               text COLLATE "C" NOT NULL,
  units              bigint NOT NULL DEFAULT 0,
  revenue_cents      bigint NOT NULL DEFAULT 0,
  net_revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, name)
);

-- ---- daily_sources: moved, not rebuilt (retention's deleted visits keep their clicks, in the default campaign) ----
INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
  SELECT o.brand_id, coalesce(d.id, 0), o.day, o.share_channel, o.utm_source, o.clicks
  FROM daily_sources_009 o LEFT JOIN campaigns d ON d.brand_id = o.brand_id AND d.is_default = 1;
INSERT INTO daily_sources AS t (brand_id, campaign_id, day, share_channel, utm_source, clicks)
  SELECT m.brand_id, m.campaign_id, m.day, m.share_channel, m.utm_source, sum(m.clicks)
  FROM (SELECT v.brand_id, x.campaign_id, substr(v.created_at, 1, 10) AS day, coalesce(v.share_channel, '') AS share_channel,
          coalesce(v.utm_source, '') AS utm_source, x.clicks
        FROM visits v LEFT JOIN campaigns d ON d.brand_id = v.brand_id AND d.is_default = 1
        CROSS JOIN LATERAL (VALUES (coalesce(v.campaign_id, 0), 1), (coalesce(d.id, 0), -1)) AS x (campaign_id, clicks)
        WHERE coalesce(v.campaign_id, 0) <> coalesce(d.id, 0)) AS m
  GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT (brand_id, campaign_id, day, share_channel, utm_source) DO UPDATE SET clicks = t.clicks + excluded.clicks;
DELETE FROM daily_sources WHERE clicks = 0;
DROP TABLE daily_sources_009;

-- ---- the others: rebuilt from their rows ----
INSERT INTO daily_totals (brand_id, campaign_id, day, claims)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), count(*) FROM claims GROUP BY 1, 2, 3;

INSERT INTO daily_totals AS t (brand_id, campaign_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
    first_conversion_id, last_conversion_id)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), count(*), sum(order_value_cents),
    sum(net_cents(order_value_cents, paid_cents, refunded_cents)), sum(refunded_cents), min(id), max(id)
  FROM conversions WHERE advocate_id IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (brand_id, campaign_id, day) DO UPDATE SET conversions = excluded.conversions, revenue_cents = excluded.revenue_cents,
    net_revenue_cents = excluded.net_revenue_cents, refunded_cents = excluded.refunded_cents,
    first_conversion_id = excluded.first_conversion_id, last_conversion_id = excluded.last_conversion_id;

INSERT INTO daily_totals AS t (brand_id, campaign_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10),
    sum(CASE status WHEN 'pending' THEN amount ELSE 0 END), sum(CASE status WHEN 'approved' THEN amount ELSE 0 END),
    sum(CASE status WHEN 'paid' THEN amount ELSE 0 END), sum(clawed_back), sum(clawed_back - clawback_recovered)
  FROM rewards WHERE kind = 'cash' GROUP BY 1, 2, 3
  ON CONFLICT (brand_id, campaign_id, day) DO UPDATE SET pending_cents = excluded.pending_cents, approved_cents = excluded.approved_cents,
    paid_cents = excluded.paid_cents, clawed_back_cents = excluded.clawed_back_cents,
    clawback_due_cents = excluded.clawback_due_cents;

INSERT INTO daily_advocates (brand_id, campaign_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), advocate_id, count(*), sum(order_value_cents),
    sum(net_cents(order_value_cents, paid_cents, refunded_cents))
  FROM conversions WHERE advocate_id IS NOT NULL GROUP BY 1, 2, 3, 4;

INSERT INTO daily_products (brand_id, campaign_id, day, name, units, revenue_cents, net_revenue_cents)
  SELECT c.brand_id, coalesce(c.campaign_id, 0), substr(c.created_at, 1, 10), l.name,
    sum(CASE WHEN c.paid_cents > 0 AND c.refunded_cents >= c.paid_cents THEN 0 ELSE l.quantity END), sum(l.line),
    sum(net_cents(l.line, c.paid_cents, c.refunded_cents))
  FROM conversions c CROSS JOIN LATERAL product_lines(c.products) AS l
  WHERE c.advocate_id IS NOT NULL AND c.products IS NOT NULL
  GROUP BY 1, 2, 3, 4;

CREATE INDEX daily_advocates_by_advocate ON daily_advocates (brand_id, advocate_id, day, campaign_id, net_revenue_cents, conversions);

-- ---- the trigger functions, with the campaign in every key (a record without one: 0) ----
CREATE OR REPLACE FUNCTION daily_conversion_part(sign bigint, v conversions) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_campaign bigint := coalesce(v.campaign_id, 0);
  v_day text := substr(v.created_at, 1, 10);
  v_net bigint := net_cents(v.order_value_cents, v.paid_cents, v.refunded_cents);
BEGIN
  INSERT INTO daily_totals AS t (brand_id, campaign_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
      first_conversion_id, last_conversion_id)
    VALUES (v.brand_id, v_campaign, v_day, sign, sign * v.order_value_cents, sign * v_net, sign * v.refunded_cents, v.id, v.id)
    ON CONFLICT (brand_id, campaign_id, day) DO UPDATE SET conversions = t.conversions + excluded.conversions,
      revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents,
      refunded_cents = t.refunded_cents + excluded.refunded_cents,
      first_conversion_id = least(t.first_conversion_id, excluded.first_conversion_id),
      last_conversion_id = greatest(t.last_conversion_id, excluded.last_conversion_id);
  INSERT INTO daily_advocates AS t (brand_id, campaign_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
    VALUES (v.brand_id, v_campaign, v_day, v.advocate_id, sign, sign * v.order_value_cents, sign * v_net)
    ON CONFLICT (brand_id, campaign_id, day, advocate_id) DO UPDATE SET conversions = t.conversions + excluded.conversions,
      revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  INSERT INTO advocate_revenue AS t (brand_id, advocate_id, net_revenue_cents)
    VALUES (v.brand_id, v.advocate_id, sign * v_net)
    ON CONFLICT (brand_id, advocate_id) DO UPDATE SET net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  IF v.products IS NOT NULL THEN
    INSERT INTO daily_products AS t (brand_id, campaign_id, day, name, units, revenue_cents, net_revenue_cents)
      SELECT v.brand_id, v_campaign, v_day, l.name,
        sign * sum(CASE WHEN v.paid_cents > 0 AND v.refunded_cents >= v.paid_cents THEN 0 ELSE l.quantity END),
        sign * sum(l.line), sign * sum(net_cents(l.line, v.paid_cents, v.refunded_cents))
      FROM product_lines(v.products) AS l GROUP BY l.name ORDER BY l.name
      ON CONFLICT (brand_id, campaign_id, day, name) DO UPDATE SET units = t.units + excluded.units,
        revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION daily_reward_part(sign bigint, r rewards) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_totals AS t (brand_id, campaign_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
    VALUES (r.brand_id, coalesce(r.campaign_id, 0), substr(r.created_at, 1, 10),
      sign * CASE r.status WHEN 'pending' THEN r.amount ELSE 0 END,
      sign * CASE r.status WHEN 'approved' THEN r.amount ELSE 0 END,
      sign * CASE r.status WHEN 'paid' THEN r.amount ELSE 0 END,
      sign * r.clawed_back, sign * (r.clawed_back - r.clawback_recovered))
    ON CONFLICT (brand_id, campaign_id, day) DO UPDATE SET pending_cents = t.pending_cents + excluded.pending_cents,
      approved_cents = t.approved_cents + excluded.approved_cents, paid_cents = t.paid_cents + excluded.paid_cents,
      clawed_back_cents = t.clawed_back_cents + excluded.clawed_back_cents,
      clawback_due_cents = t.clawback_due_cents + excluded.clawback_due_cents
$$;

CREATE OR REPLACE FUNCTION claims_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE daily_totals SET claims = claims - 1
      WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO daily_totals AS t (brand_id, campaign_id, day, claims)
      VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), 1)
      ON CONFLICT (brand_id, campaign_id, day) DO UPDATE SET claims = t.claims + 1;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION visits_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE daily_sources SET clicks = clicks - 1
      WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10)
        AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
  END IF;
  INSERT INTO daily_sources AS t (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT (brand_id, campaign_id, day, share_channel, utm_source) DO UPDATE SET clicks = t.clicks + 1;
  RETURN NULL;
END $$;

-- ---- the triggers, of the baseline's names (conversions_daily and rewards_daily are unchanged: they call the parts) ----
CREATE TRIGGER conversions_daily_insert AFTER INSERT ON conversions FOR EACH ROW WHEN (new.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_daily();
CREATE TRIGGER conversions_daily_update
  AFTER UPDATE OF brand_id, advocate_id, created_at, order_value_cents, paid_cents, refunded_cents, products, campaign_id ON conversions
  FOR EACH ROW WHEN (old.advocate_id IS NOT NULL OR new.advocate_id IS NOT NULL) EXECUTE FUNCTION conversions_daily();
CREATE TRIGGER conversions_daily_delete AFTER DELETE ON conversions FOR EACH ROW WHEN (old.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_daily();

CREATE TRIGGER rewards_daily_insert AFTER INSERT ON rewards FOR EACH ROW WHEN (new.kind = 'cash')
  EXECUTE FUNCTION rewards_daily();
CREATE TRIGGER rewards_daily_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, brand_id, created_at, campaign_id ON rewards
  FOR EACH ROW WHEN (old.kind = 'cash' OR new.kind = 'cash') EXECUTE FUNCTION rewards_daily();
CREATE TRIGGER rewards_daily_delete AFTER DELETE ON rewards FOR EACH ROW WHEN (old.kind = 'cash')
  EXECUTE FUNCTION rewards_daily();

CREATE TRIGGER claims_daily_insert AFTER INSERT ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();
CREATE TRIGGER claims_daily_update AFTER UPDATE OF brand_id, created_at, campaign_id ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();
CREATE TRIGGER claims_daily_delete AFTER DELETE ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();

CREATE TRIGGER visits_daily_insert AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION visits_daily();
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, created_at, share_channel, utm_source, campaign_id ON visits
  FOR EACH ROW EXECUTE FUNCTION visits_daily();

-- Every visit, claim and conversion was rewritten above (and the per-day tables rebuilt): new statistics now, as 015's,
-- or the dashboard's plans follow the tables as they were until autovacuum comes round (bench/beforeAfter.ts: its pages
-- 1.31x right after the upgrade, 1.07x once analyzed).
ANALYZE visits;
ANALYZE claims;
ANALYZE conversions;
ANALYZE daily_totals;
ANALYZE daily_sources;
ANALYZE daily_advocates;
ANALYZE daily_products;
