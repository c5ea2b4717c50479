-- Campaign figures (issue 12): the overview filtered by campaign, and a campaign's own figures.
--
-- A record belongs to the campaign of its referring advocate when it was recorded: visits.campaign_id (the visit's
-- advocate), claims.campaign_id and conversions.campaign_id (the attributing advocate; NULL for an unattributed
-- conversion), set by the write paths from the advocate's row they already read; a commission has rewards.campaign_id
-- since 014 (the level-1 advocate's). An advocate moved to another campaign takes none of its past along: what it
-- brought before the move stays in the old campaign, what it brings after counts for the new one. Existing rows are
-- given their advocate's current campaign (until campaigns existed every advocate was in its brand's default one), an
-- attributed conversion that of its level-1 commission when it has one (the campaign that made it, since 014).
-- The columns carry no foreign key: each is a copy of its advocate's campaign_id (which has one) as it was, campaigns
-- are never deleted (archived only), and a key would add a probe to every visit (on PostgreSQL a row lock on the
-- campaign, the hottest parent row after the brand's).
--
-- The per-day tables of 009 are keyed by campaign too: (brand_id, campaign_id, day, ...). Their definitions are 009's
-- grouped by the record's campaign_id as well (collector/test/support/definitions.ts keeps them as GROUP BY queries; a
-- record without a campaign, which only raw SQL can write since this migration, counts under campaign 0, in every
-- campaign's sum and no campaign's own). One campaign's range reads its own rows by primary key;
-- all campaigns read each campaign's rows (a brand has at most 100, typically 1-3) and sum them per day
-- (db/dailyTotals.ts). The triggers are 009's with the campaign in every key, and each UPDATE OF list names
-- campaign_id, so a record whose campaign is corrected moves its part from the old campaign's row to the new one's.
-- advocate_revenue stays as 009 made it, each advocate's revenue over every day and every campaign: it is the bound the
-- top advocates' walk stops by, not a figure, and it bounds an advocate's revenue in one campaign as well as in all.
-- Keyed by campaign, the walk of all campaigns would have to bound an advocate by the sum of every campaign's next
-- total (measured: 1,068 candidates scored for 30 days instead of 250, with a tenth of the advocates in a second
-- campaign), where one campaign's walk by these totals gives way to its sum at once when the campaign is small.
-- conversions_brand_campaign serves the latest conversions of one campaign (the brand's attributed ones in id order).
--
-- Cost, measured three times on a generated file of 100,000 advocates, 2,000,000 visits, 50,000 claims, 300,000
-- conversions and 285,000 commissions (690 MB; a tenth of the advocates in a second campaign), on the shared 2-core
-- machine: 28-31 s in all. Writing campaign_id into every visit is most of it (9.4-10.1 s: each row is rewritten);
-- conversions 0.7-0.8 s, the moves of daily_sources 1.6-1.9 s (two reads of visits), the rebuilds 1.5-2.5 s, the
-- indexes 0.5-0.9 s, COMMIT 1.4-1.7 s. The rest, 10.0-11.5 s, is not this migration's: migrate.ts runs a migration
-- holding DROP TABLE with foreign keys off and then checks every foreign key of the file, although the tables dropped
-- here are derived ones nothing refers to. (PostgreSQL, the same rows, 2 GB: 41-54 s, the visits' UPDATE 21-31 s and
-- the conversions' 11-15 s, each rewriting the rows and their index entries.) daily_sources is not rebuilt but moved
-- (below); the other tables are rebuilt from their rows in one pass each, as 009 did.

ALTER TABLE visits ADD COLUMN campaign_id INTEGER;
ALTER TABLE claims ADD COLUMN campaign_id INTEGER;
ALTER TABLE conversions ADD COLUMN campaign_id INTEGER;

-- ---- 009's triggers and views (their INSTEAD OF triggers go with them): made again keyed by campaign below ----
DROP TRIGGER IF EXISTS visits_daily_insert;
DROP TRIGGER IF EXISTS visits_daily_update;
DROP TRIGGER IF EXISTS visits_daily_delete;
DROP TRIGGER IF EXISTS claims_daily_insert;
DROP TRIGGER IF EXISTS claims_daily_update;
DROP TRIGGER IF EXISTS claims_daily_delete;
DROP TRIGGER IF EXISTS conversions_daily_insert;
DROP TRIGGER IF EXISTS conversions_daily_update;
DROP TRIGGER IF EXISTS conversions_daily_delete;
DROP TRIGGER IF EXISTS rewards_daily_insert;
DROP TRIGGER IF EXISTS rewards_daily_update;
DROP TRIGGER IF EXISTS rewards_daily_delete;
DROP VIEW daily_conversion_part;
DROP VIEW daily_reward_part;

-- ---- each record's campaign: its advocate's, now; a conversion's, that of the commission it made (level 1: the
-- campaign whose rules made it, recorded since 014), else its advocate's ----
UPDATE visits SET campaign_id = (SELECT a.campaign_id FROM advocates a WHERE a.id = visits.advocate_id AND a.brand_id = visits.brand_id);
UPDATE claims SET campaign_id = (SELECT a.campaign_id FROM advocates a WHERE a.id = claims.advocate_id AND a.brand_id = claims.brand_id);
UPDATE conversions SET campaign_id = coalesce(
    (SELECT r.campaign_id FROM rewards r WHERE r.brand_id = conversions.brand_id AND r.conversion_id = conversions.id AND r.level = 1),
    (SELECT a.campaign_id FROM advocates a WHERE a.id = conversions.advocate_id AND a.brand_id = conversions.brand_id))
  WHERE advocate_id IS NOT NULL;
CREATE INDEX conversions_brand_campaign ON conversions (brand_id, campaign_id) WHERE advocate_id IS NOT NULL;

-- ---- the tables, keyed by campaign ----
ALTER TABLE daily_sources RENAME TO daily_sources_009;
DROP TABLE daily_totals;
DROP TABLE daily_advocates;
DROP TABLE daily_products;

CREATE TABLE daily_totals (
  brand_id             TEXT NOT NULL,
  campaign_id          INTEGER NOT NULL,
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
  PRIMARY KEY (brand_id, campaign_id, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE daily_sources (
  brand_id       TEXT NOT NULL,
  campaign_id    INTEGER NOT NULL,
  day            TEXT NOT NULL,
  share_channel  TEXT NOT NULL,
  utm_source     TEXT NOT NULL,
  clicks         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, share_channel, utm_source)
) STRICT, WITHOUT ROWID;

CREATE TABLE daily_advocates (
  brand_id           TEXT NOT NULL,
  campaign_id        INTEGER NOT NULL,
  day                TEXT NOT NULL,
  advocate_id        INTEGER NOT NULL,
  conversions        INTEGER NOT NULL DEFAULT 0,
  revenue_cents      INTEGER NOT NULL DEFAULT 0,
  net_revenue_cents  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, advocate_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE daily_products (
  brand_id           TEXT NOT NULL,
  campaign_id        INTEGER NOT NULL,
  day                TEXT NOT NULL,
  name               TEXT NOT NULL,
  units              INTEGER NOT NULL DEFAULT 0,
  revenue_cents      INTEGER NOT NULL DEFAULT 0,
  net_revenue_cents  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, campaign_id, day, name)
) STRICT, WITHOUT ROWID;

-- ---- daily_sources: moved, not rebuilt ----
-- Retention deletes visits and leaves their clicks counted (011), so the clicks are not rebuilt from the visits left:
-- 009's rows go to their brand's default campaign as they are, then each visit of another campaign moves its click
-- from there to its own (two reads of visits; the writes are only those visits').
INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
  SELECT o.brand_id, coalesce(d.id, 0), o.day, o.share_channel, o.utm_source, o.clicks
  FROM daily_sources_009 o LEFT JOIN campaigns d ON d.brand_id = o.brand_id AND d.is_default = 1;
INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
  SELECT v.brand_id, coalesce(v.campaign_id, 0), substr(v.created_at, 1, 10), coalesce(v.share_channel, ''), coalesce(v.utm_source, ''), 1
  FROM visits v LEFT JOIN campaigns d ON d.brand_id = v.brand_id AND d.is_default = 1
  WHERE coalesce(v.campaign_id, 0) <> coalesce(d.id, 0)
  ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks;
INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
  SELECT v.brand_id, coalesce(d.id, 0), substr(v.created_at, 1, 10), coalesce(v.share_channel, ''), coalesce(v.utm_source, ''), -1
  FROM visits v LEFT JOIN campaigns d ON d.brand_id = v.brand_id AND d.is_default = 1
  WHERE coalesce(v.campaign_id, 0) <> coalesce(d.id, 0)
  ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks;
DELETE FROM daily_sources WHERE clicks = 0;
DROP TABLE daily_sources_009;

-- ---- the others: rebuilt from their rows, one pass per source table as 009 ----
INSERT INTO daily_totals (brand_id, campaign_id, day, claims)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), count(*) FROM claims GROUP BY 1, 2, 3;

INSERT INTO daily_totals (brand_id, campaign_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
    first_conversion_id, last_conversion_id)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), count(*), sum(order_value_cents),
    sum(CASE WHEN paid_cents > 0 THEN CAST(order_value_cents * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE order_value_cents END),
    sum(refunded_cents), min(id), max(id)
  FROM conversions WHERE advocate_id IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT DO UPDATE SET conversions = excluded.conversions, revenue_cents = excluded.revenue_cents,
    net_revenue_cents = excluded.net_revenue_cents, refunded_cents = excluded.refunded_cents,
    first_conversion_id = excluded.first_conversion_id, last_conversion_id = excluded.last_conversion_id;

INSERT INTO daily_totals (brand_id, campaign_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10),
    sum(CASE status WHEN 'pending' THEN amount ELSE 0 END), sum(CASE status WHEN 'approved' THEN amount ELSE 0 END),
    sum(CASE status WHEN 'paid' THEN amount ELSE 0 END), sum(clawed_back), sum(clawed_back - clawback_recovered)
  FROM rewards WHERE kind = 'cash' GROUP BY 1, 2, 3
  ON CONFLICT DO UPDATE SET pending_cents = excluded.pending_cents, approved_cents = excluded.approved_cents,
    paid_cents = excluded.paid_cents, clawed_back_cents = excluded.clawed_back_cents,
    clawback_due_cents = excluded.clawback_due_cents;

INSERT INTO daily_advocates (brand_id, campaign_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
  SELECT brand_id, coalesce(campaign_id, 0), substr(created_at, 1, 10), advocate_id, 1, order_value_cents,
    CASE WHEN paid_cents > 0 THEN CAST(order_value_cents * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE order_value_cents END
  FROM conversions WHERE advocate_id IS NOT NULL
  ON CONFLICT DO UPDATE SET conversions = conversions + 1, revenue_cents = revenue_cents + excluded.revenue_cents,
    net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;

INSERT INTO daily_products (brand_id, campaign_id, day, name, units, revenue_cents, net_revenue_cents)
  SELECT brand_id, campaign_id, day, name,
    sum(CASE WHEN paid_cents > 0 AND refunded_cents >= paid_cents THEN 0 ELSE quantity END), sum(line),
    sum(CASE WHEN paid_cents > 0 THEN CAST(line * (paid_cents - refunded_cents) / paid_cents AS INTEGER) ELSE line END)
  FROM (SELECT c.brand_id, coalesce(c.campaign_id, 0) AS campaign_id, substr(c.created_at, 1, 10) AS day, c.paid_cents, c.refunded_cents,
          CAST(coalesce(json_extract(p.value, '$.name'), 'Unknown Product') AS TEXT) AS name,
          CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER) AS quantity,
          min(CAST(coalesce(json_extract(p.value, '$.price_cents'), 0) AS INTEGER)
            * CAST(coalesce(json_extract(p.value, '$.quantity'), 1) AS INTEGER), 100000000000000) AS line
        FROM conversions c, json_each(c.products) p
        WHERE c.advocate_id IS NOT NULL AND c.products IS NOT NULL AND p.type = 'object')
  GROUP BY 1, 2, 3, 4;

-- The indexes after their tables are filled (one sort each instead of an insert per row).
-- Top advocates over a long range: the brand's rows in advocate order, whatever their campaign (one campaign's: the
-- rows of others skipped as they stream by); one advocate's range: its days. campaign_id after the day, so that
-- both read the same rows for all campaigns as 009's index did.
CREATE INDEX daily_advocates_by_advocate ON daily_advocates (brand_id, advocate_id, day, campaign_id, net_revenue_cents, conversions);

-- ---- one conversion's part, added (sign 1) or taken off (sign -1): 009's, in its campaign's rows ----
CREATE VIEW daily_conversion_part (sign, brand_id, campaign_id, day, advocate_id, id, order_value_cents, paid_cents, refunded_cents, products)
  AS SELECT 0, '', 0, '', 0, 0, 0, 0, 0, NULL WHERE 0;

CREATE TRIGGER daily_conversion_part_apply INSTEAD OF INSERT ON daily_conversion_part BEGIN
  INSERT INTO daily_totals (brand_id, campaign_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
      first_conversion_id, last_conversion_id)
    VALUES (new.brand_id, new.campaign_id, new.day, new.sign, new.sign * new.order_value_cents,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END,
      new.sign * new.refunded_cents, new.id, new.id)
    ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions,
      revenue_cents = revenue_cents + excluded.revenue_cents, net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents,
      refunded_cents = refunded_cents + excluded.refunded_cents,
      first_conversion_id = coalesce(min(first_conversion_id, excluded.first_conversion_id), excluded.first_conversion_id),
      last_conversion_id = coalesce(max(last_conversion_id, excluded.last_conversion_id), excluded.last_conversion_id);
  INSERT INTO daily_advocates (brand_id, campaign_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
    VALUES (new.brand_id, new.campaign_id, new.day, new.advocate_id, new.sign, new.sign * new.order_value_cents,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END)
    ON CONFLICT DO UPDATE SET conversions = conversions + excluded.conversions,
      revenue_cents = revenue_cents + excluded.revenue_cents, net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;
  INSERT INTO advocate_revenue (brand_id, advocate_id, net_revenue_cents)
    VALUES (new.brand_id, new.advocate_id,
      new.sign * CASE WHEN new.paid_cents > 0 THEN CAST(new.order_value_cents * (new.paid_cents - new.refunded_cents) / new.paid_cents AS INTEGER) ELSE new.order_value_cents END)
    ON CONFLICT DO UPDATE SET net_revenue_cents = net_revenue_cents + excluded.net_revenue_cents;
  INSERT INTO daily_products (brand_id, campaign_id, day, name, units, revenue_cents, net_revenue_cents)
    SELECT new.brand_id, new.campaign_id, new.day, name,
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
  INSERT INTO daily_conversion_part VALUES (1, new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10),
    new.advocate_id, new.id, new.order_value_cents, new.paid_cents, new.refunded_cents, new.products);
END;
CREATE TRIGGER conversions_daily_update
  AFTER UPDATE OF brand_id, advocate_id, created_at, order_value_cents, paid_cents, refunded_cents, products, campaign_id ON conversions
  WHEN old.advocate_id IS NOT NULL OR new.advocate_id IS NOT NULL BEGIN
  INSERT INTO daily_conversion_part SELECT -1, old.brand_id, coalesce(old.campaign_id, 0), substr(old.created_at, 1, 10),
    old.advocate_id, old.id, old.order_value_cents, old.paid_cents, old.refunded_cents, old.products WHERE old.advocate_id IS NOT NULL;
  INSERT INTO daily_conversion_part SELECT 1, new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10),
    new.advocate_id, new.id, new.order_value_cents, new.paid_cents, new.refunded_cents, new.products WHERE new.advocate_id IS NOT NULL;
END;
CREATE TRIGGER conversions_daily_delete AFTER DELETE ON conversions WHEN old.advocate_id IS NOT NULL BEGIN
  INSERT INTO daily_conversion_part VALUES (-1, old.brand_id, coalesce(old.campaign_id, 0), substr(old.created_at, 1, 10),
    old.advocate_id, old.id, old.order_value_cents, old.paid_cents, old.refunded_cents, old.products);
END;

-- ---- one cash commission's part, by its status, on the day it was created, in its campaign ----
CREATE VIEW daily_reward_part (sign, brand_id, campaign_id, day, status, amount, clawed_back, clawback_recovered)
  AS SELECT 0, '', 0, '', '', 0, 0, 0 WHERE 0;

CREATE TRIGGER daily_reward_part_apply INSTEAD OF INSERT ON daily_reward_part BEGIN
  INSERT INTO daily_totals (brand_id, campaign_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
    VALUES (new.brand_id, new.campaign_id, new.day,
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
  INSERT INTO daily_reward_part VALUES (1, new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), new.status,
    new.amount, new.clawed_back, new.clawback_recovered);
END;
CREATE TRIGGER rewards_daily_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, brand_id, created_at, campaign_id ON rewards
  WHEN old.kind = 'cash' OR new.kind = 'cash' BEGIN
  INSERT INTO daily_reward_part SELECT -1, old.brand_id, coalesce(old.campaign_id, 0), substr(old.created_at, 1, 10), old.status,
    old.amount, old.clawed_back, old.clawback_recovered WHERE old.kind = 'cash';
  INSERT INTO daily_reward_part SELECT 1, new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), new.status,
    new.amount, new.clawed_back, new.clawback_recovered WHERE new.kind = 'cash';
END;
CREATE TRIGGER rewards_daily_delete AFTER DELETE ON rewards WHEN old.kind = 'cash' BEGIN
  INSERT INTO daily_reward_part VALUES (-1, old.brand_id, coalesce(old.campaign_id, 0), substr(old.created_at, 1, 10), old.status,
    old.amount, old.clawed_back, old.clawback_recovered);
END;

-- ---- claims and visits: one count each, in the record's campaign ----
CREATE TRIGGER claims_daily_insert AFTER INSERT ON claims BEGIN
  INSERT INTO daily_totals (brand_id, campaign_id, day, claims) VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET claims = claims + 1;
END;
CREATE TRIGGER claims_daily_update AFTER UPDATE OF brand_id, created_at, campaign_id ON claims BEGIN
  UPDATE daily_totals SET claims = claims - 1
    WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10);
  INSERT INTO daily_totals (brand_id, campaign_id, day, claims) VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET claims = claims + 1;
END;
CREATE TRIGGER claims_daily_delete AFTER DELETE ON claims BEGIN
  UPDATE daily_totals SET claims = claims - 1
    WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10);
END;

-- The visit insert's only extra work, as in 009: one upsert of one row. No delete trigger (011).
CREATE TRIGGER visits_daily_insert AFTER INSERT ON visits BEGIN
  INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, created_at, share_channel, utm_source, campaign_id ON visits BEGIN
  UPDATE daily_sources SET clicks = clicks - 1
    WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10)
      AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
  INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
