-- Per-day totals for the dashboard's overview, kept in the writing transaction by the triggers below (no application
-- code keeps them, so no write path can forget to), so that a 7/30/90-day or custom range reads at most one row per
-- day (and per advocate, product or source) instead of scanning visits, conversions and rewards.
--
-- A day is the UTC day of the record's created_at (substr(created_at, 1, 10): every created_at is an ISO string in
-- UTC). Every figure belongs to the day its record was created: a refund or a status change restates the day of the
-- conversion or commission it changes (a March order refunded in April lowers March's net revenue), so a period's
-- figures are those of the conversions and commissions created in it, as the API lists them by created_at.
--
-- Definitions (collector/test/daily-totals.test.ts keeps them as GROUP BY queries over the rows and compares):
--   clicks          count(visits), per source in daily_sources (one upsert per visit: the hottest insert)
--   claims          count(claims)
--   conversions     count(attributed conversions: advocate_id IS NOT NULL); every conversion figure counts only them
--   revenue_cents   sum(order_value_cents); net_revenue_cents the same net of refunds: each order's value times the
--                   share of what was paid that was not refunded, order_value * (paid - refunded) / paid (truncated)
--   refunded_cents  sum(refunded_cents)
--   pending / approved / paid_cents   sum(amount) of the cash commissions created that day, by their current status
--   clawed_back_cents, clawback_due_cents   sum(clawed_back) and sum(clawed_back - clawback_recovered) of them
--   first / last_conversion_id   min(id) and max(id) of the day's attributed conversions: bounds that let "the
--                   latest conversions of a range" walk only that range's ids
-- Products (000_*'s "Top Products by Revenue"): per line of the products array, name, units = quantity and revenue =
-- price x quantity (a line counts at most 10^14 cents, so no line can overflow a total), net of refunds by the
-- same share as the order; a fully refunded order (refunded >= paid > 0) also gives its units back (a partial
-- refund does not say which lines it covers: it lowers revenue only).
-- advocate_revenue: per advocate, the sum of its daily_advocates.net_revenue_cents over every day.
-- Derived tables carry no foreign key: their rows come from rows that have one, and a foreign-key probe per visit
-- would cost the hottest path.

CREATE TABLE daily_totals (
  brand_id             TEXT NOT NULL,
  day                  TEXT NOT NULL,
  claims               INTEGER NOT NULL DEFAULT 0,
  conversions          INTEGER NOT NULL DEFAULT 0,
  revenue_cents        INTEGER NOT NULL DEFAULT 0,
  net_revenue_cents    INTEGER NOT NULL DEFAULT 0,
  refunded_cents       INTEGER NOT NULL DEFAULT 0,
  pending_cents        INTEGER NOT NULL DEFAULT 0,
  approved_cents       INTEGER NOT NULL DEFAULT 0,
  paid_cents           INTEGER NOT NULL DEFAULT 0,
  clawed_back_cents    INTEGER NOT NULL DEFAULT 0,
  clawback_due_cents   INTEGER NOT NULL DEFAULT 0,
  first_conversion_id  INTEGER,
  last_conversion_id   INTEGER,
  PRIMARY KEY (brand_id, day)
) STRICT, WITHOUT ROWID;

-- Clicks per day and source: share_channel and utm_source as stored on the visit ('' for none).
CREATE TABLE daily_sources (
  brand_id       TEXT NOT NULL,
  day            TEXT NOT NULL,
  share_channel  TEXT NOT NULL,
  utm_source     TEXT NOT NULL,
  clicks         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, share_channel, utm_source)
) STRICT, WITHOUT ROWID;

-- Attributed conversions per day and advocate (level 1: the conversion's advocate_id).
CREATE TABLE daily_advocates (
  brand_id           TEXT NOT NULL,
  day                TEXT NOT NULL,
  advocate_id        INTEGER NOT NULL,
  conversions        INTEGER NOT NULL DEFAULT 0,
  revenue_cents      INTEGER NOT NULL DEFAULT 0,
  net_revenue_cents  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, advocate_id)
) STRICT, WITHOUT ROWID;
-- Top advocates over a long range: the brand's rows in advocate order, summed per advocate as they stream by (no
-- temporary b-tree of every advocate); a short range reads the primary key's days instead (db/dailyTotals.ts).
CREATE INDEX daily_advocates_by_advocate ON daily_advocates (brand_id, advocate_id, day, net_revenue_cents, conversions);

-- Each advocate's attributed revenue net of refunds over every day, in revenue order: the top advocates of a range
-- walk advocates from the highest total down and stop once no total left can beat the tenth best of the range
-- (services/overview.ts); a range's revenue is never more than an advocate's total.
CREATE TABLE advocate_revenue (
  brand_id           TEXT NOT NULL,
  advocate_id        INTEGER NOT NULL,
  net_revenue_cents  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, advocate_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX advocate_revenue_top ON advocate_revenue (brand_id, net_revenue_cents DESC, advocate_id);

CREATE TABLE daily_products (
  brand_id           TEXT NOT NULL,
  day                TEXT NOT NULL,
  name               TEXT NOT NULL,
  units              INTEGER NOT NULL DEFAULT 0,
  revenue_cents      INTEGER NOT NULL DEFAULT 0,
  net_revenue_cents  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, name)
) STRICT, WITHOUT ROWID;

-- ---- backfill: one pass per source table ----
-- The two largest (visits, attributed conversions) add each row to its day's row as they are read, in rowid (so
-- time) order: at 2,000,000 visits 4.7 s against 14.1 s for a GROUP BY, which sorts them all first (300,000
-- conversions: 4.3 against 6.9 s).

INSERT INTO daily_sources (brand_id, day, share_channel, utm_source, clicks)
  SELECT brand_id, substr(created_at, 1, 10), coalesce(share_channel, ''), coalesce(utm_source, ''), 1 FROM visits WHERE true
  ON CONFLICT DO UPDATE SET clicks = clicks + 1;

INSERT INTO daily_totals (brand_id, day, claims)
  SELECT brand_id, substr(created_at, 1, 10), count(*) FROM claims GROUP BY 1, 2;

INSERT INTO daily_totals (brand_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
    first_conversion_id, last_conversion_id)
  SELECT brand_id, substr(created_at, 1, 10), count(*), sum(order_value_cents),
    sum(CASE WHEN paid_cents > 0 THEN CAST(order_value_cents * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE order_value_cents END),
    sum(refunded_cents), min(id), max(id)
  FROM conversions WHERE advocate_id IS NOT NULL GROUP BY 1, 2
  ON CONFLICT DO UPDATE SET conversions = excluded.conversions, revenue_cents = excluded.revenue_cents,
    net_revenue_cents = excluded.net_revenue_cents, refunded_cents = excluded.refunded_cents,
    first_conversion_id = excluded.first_conversion_id, last_conversion_id = excluded.last_conversion_id;

INSERT INTO daily_totals (brand_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
  SELECT brand_id, substr(created_at, 1, 10),
    sum(CASE status WHEN 'pending' THEN amount ELSE 0 END), sum(CASE status WHEN 'approved' THEN amount ELSE 0 END),
    sum(CASE status WHEN 'paid' THEN amount ELSE 0 END), sum(clawed_back), sum(clawed_back - clawback_recovered)
  FROM rewards WHERE kind = 'cash' GROUP BY 1, 2
  ON CONFLICT DO UPDATE SET pending_cents = excluded.pending_cents, approved_cents = excluded.approved_cents,
    paid_cents = excluded.paid_cents, clawed_back_cents = excluded.clawed_back_cents,
    clawback_due_cents = excluded.clawback_due_cents;

INSERT INTO daily_advocates (brand_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
  SELECT brand_id, substr(created_at, 1, 10), advocate_id, 1, order_value_cents,
    CASE WHEN paid_cents > 0 THEN CAST(order_value_cents * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE order_value_cents END
  FROM conversions WHERE advocate_id IS NOT NULL
  ON CONFLICT DO UPDATE SET conversions = conversions + 1, revenue_cents = revenue_cents + excluded.revenue_cents,
    net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;

INSERT INTO advocate_revenue (brand_id, advocate_id, net_revenue_cents)
  SELECT brand_id, advocate_id, sum(net_revenue_cents) FROM daily_advocates GROUP BY 1, 2;

INSERT INTO daily_products (brand_id, day, name, units, revenue_cents, net_revenue_cents)
  SELECT brand_id, day, name,
    sum(CASE WHEN paid_cents > 0 AND refunded_cents >= paid_cents THEN 0 ELSE quantity END), sum(line),
    sum(CASE WHEN paid_cents > 0 THEN CAST(line * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE line END)
  FROM (SELECT c.brand_id, substr(c.created_at, 1, 10) AS day, c.paid_cents, c.refunded_cents,
          CAST(coalesce(json_extract(p.value, '$.name'), 'Unknown Product') AS TEXT) AS name,
          CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER) AS quantity,
          min(CAST(coalesce(json_extract(p.value, '$.price_cents'), 0) AS INTEGER)
            * CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER), 100000000000000) AS line
        FROM conversions c, json_each(c.products) p
        WHERE c.advocate_id IS NOT NULL AND c.products IS NOT NULL AND p.type = 'object')
  GROUP BY 1, 2, 3;

-- ---- one conversion's part, added (sign 1) or taken off (sign -1) ----
-- Inserting into this view runs the trigger below: the one place that says what a conversion adds to each table.
-- A conversion's triggers insert its new row's part and take its old row's part off.
CREATE VIEW daily_conversion_part (sign, brand_id, day, advocate_id, id, order_value_cents, paid_cents, refunded_cents, products)
  AS SELECT 0, '', '', 0, 0, 0, 0, 0, NULL WHERE 0;

CREATE TRIGGER daily_conversion_part_apply INSTEAD OF INSERT ON daily_conversion_part BEGIN
  INSERT INTO daily_totals (brand_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
      first_conversion_id, last_conversion_id)
    VALUES (new.brand_id, new.day, new.sign, new.sign * new.order_value_cents,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END,
      new.sign * new.refunded_cents, new.id, new.id)
    ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions,
      revenue_cents = revenue_cents + excluded.revenue_cents, net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents,
      refunded_cents = refunded_cents + excluded.refunded_cents,
      first_conversion_id = coalesce(min(first_conversion_id, excluded.first_conversion_id), excluded.first_conversion_id),
      last_conversion_id = coalesce(max(last_conversion_id, excluded.last_conversion_id), excluded.last_conversion_id);
  INSERT INTO daily_advocates (brand_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
    VALUES (new.brand_id, new.day, new.advocate_id, new.sign, new.sign * new.order_value_cents,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END)
    ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions,
      revenue_cents = revenue_cents + excluded.revenue_cents, net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;
  INSERT INTO advocate_revenue (brand_id, advocate_id, net_revenue_cents)
    VALUES (new.brand_id, new.advocate_id,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END)
    ON CONFLICT DO UPDATE SET net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;
  -- One upsert per line (two lines of one name meet in the ON CONFLICT): a GROUP BY would open a sorter for every
  -- conversion (17 us of its 30 us here, measured in process).
  INSERT INTO daily_products (brand_id, day, name, units, revenue_cents, net_revenue_cents)
    SELECT new.brand_id, new.day, name,
      new.sign * CASE WHEN new.paid_cents > 0 AND new.refunded_cents >= new.paid_cents THEN 0 ELSE quantity END,
      new.sign * line,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(line * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE line END
    FROM (SELECT CAST(coalesce(json_extract(p.value, '$.name'), 'Unknown Product') AS TEXT) AS name,
            CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER) AS quantity,
            min(CAST(coalesce(json_extract(p.value, '$.price_cents'), 0) AS INTEGER)
              * CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER), 100000000000000) AS line
          FROM json_each(new.products) p WHERE p.type = 'object')
    WHERE true
    ON CONFLICT DO UPDATE SET units = units + excluded.units, revenue_cents = revenue_cents + excluded.revenue_cents,
      net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;
END;

CREATE TRIGGER conversions_daily_insert AFTER INSERT ON conversions WHEN new.advocate_id IS NOT NULL BEGIN
  INSERT INTO daily_conversion_part VALUES (1, new.brand_id, substr(new.created_at, 1, 10), new.advocate_id, new.id,
    new.order_value_cents, new.paid_cents, new.refunded_cents, new.products);
END;
CREATE TRIGGER conversions_daily_update
  AFTER UPDATE OF brand_id, advocate_id, created_at, order_value_cents, paid_cents, refunded_cents, products ON conversions
  WHEN old.advocate_id IS NOT NULL OR new.advocate_id IS NOT NULL BEGIN
  INSERT INTO daily_conversion_part SELECT -1, old.brand_id, substr(old.created_at, 1, 10), old.advocate_id, old.id,
    old.order_value_cents, old.paid_cents, old.refunded_cents, old.products WHERE old.advocate_id IS NOT NULL;
  INSERT INTO daily_conversion_part SELECT 1, new.brand_id, substr(new.created_at, 1, 10), new.advocate_id, new.id,
    new.order_value_cents, new.paid_cents, new.refunded_cents, new.products WHERE new.advocate_id IS NOT NULL;
END;
CREATE TRIGGER conversions_daily_delete AFTER DELETE ON conversions WHEN old.advocate_id IS NOT NULL BEGIN
  INSERT INTO daily_conversion_part VALUES (-1, old.brand_id, substr(old.created_at, 1, 10), old.advocate_id, old.id,
    old.order_value_cents, old.paid_cents, old.refunded_cents, old.products);
END;

-- ---- one cash commission's part, by its status, on the day it was created ----
CREATE VIEW daily_reward_part (sign, brand_id, day, status, amount, clawed_back, clawback_recovered)
  AS SELECT 0, '', '', '', 0, 0, 0 WHERE 0;

CREATE TRIGGER daily_reward_part_apply INSTEAD OF INSERT ON daily_reward_part BEGIN
  INSERT INTO daily_totals (brand_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
    VALUES (new.brand_id, new.day,
      new.sign * CASE new.status WHEN 'pending' THEN new.amount ELSE 0 END,
      new.sign * CASE new.status WHEN 'approved' THEN new.amount ELSE 0 END,
      new.sign * CASE new.status WHEN 'paid' THEN new.amount ELSE 0 END,
      new.sign * new.clawed_back, new.sign * (new.clawed_back - new.clawback_recovered))
    ON CONFLICT DO UPDATE SET pending_cents = pending_cents + excluded.pending_cents,
      approved_cents = approved_cents + excluded.approved_cents, paid_cents = paid_cents + excluded.paid_cents,
      clawed_back_cents = clawed_back_cents + excluded.clawed_back_cents,
      clawback_due_cents = clawback_due_cents + excluded.clawback_due_cents;
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

-- ---- claims and visits: one count each ----
CREATE TRIGGER claims_daily_insert AFTER INSERT ON claims BEGIN
  INSERT INTO daily_totals (brand_id, day, claims) VALUES (new.brand_id, substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET claims = claims + 1;
END;
CREATE TRIGGER claims_daily_update AFTER UPDATE OF brand_id, created_at ON claims BEGIN
  UPDATE daily_totals SET claims = claims - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10);
  INSERT INTO daily_totals (brand_id, day, claims) VALUES (new.brand_id, substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET claims = claims + 1;
END;
CREATE TRIGGER claims_daily_delete AFTER DELETE ON claims BEGIN
  UPDATE daily_totals SET claims = claims - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10);
END;

-- The visit insert's only extra work: one upsert of one row (the day's row of its source stays in the page cache).
CREATE TRIGGER visits_daily_insert AFTER INSERT ON visits BEGIN
  INSERT INTO daily_sources (brand_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, substr(new.created_at, 1, 10), coalesce(new.share_channel, ''), coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, created_at, share_channel, utm_source ON visits BEGIN
  UPDATE daily_sources SET clicks = clicks - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10)
    AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
  INSERT INTO daily_sources (brand_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, substr(new.created_at, 1, 10), coalesce(new.share_channel, ''), coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
CREATE TRIGGER visits_daily_delete AFTER DELETE ON visits BEGIN
  UPDATE daily_sources SET clicks = clicks - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10)
    AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
END;
