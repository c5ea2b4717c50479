-- An advocate's clicks per UTC day (issue 14: the portal's home shows the last 30 days beside the 30 before, and a
-- chart per day): daily_advocate_clicks, keyed by brand, advocate and day, so one advocate's 60 days are at most 60
-- rows by primary key whatever their visits (an advocate of 100,000 visits reads 60 rows, not 100,000 index entries).
-- Kept by the visits' triggers of 016, made again here with one more upsert each: the visit insert's extra work is two
-- upserts of one row instead of one. As daily_sources, no delete trigger (011): retention deletes old visits and a
-- day's clicks stay counted. Defined as SELECT brand_id, advocate_id, substr(created_at, 1, 10), count(*) FROM visits
-- GROUP BY 1, 2, 3; backfilled from the visits still stored (one pass; a day whose visits retention deleted before
-- this migration starts at what is left of it). The portal's conversions per day are daily_advocates', its earnings
-- the advocate's cash commissions (rewards_advocate): neither needs a table of its own.
CREATE TABLE daily_advocate_clicks (
  brand_id     TEXT NOT NULL,
  advocate_id  INTEGER NOT NULL,
  day          TEXT NOT NULL,
  clicks       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, advocate_id, day)
) STRICT, WITHOUT ROWID;

INSERT INTO daily_advocate_clicks (brand_id, advocate_id, day, clicks)
  SELECT brand_id, advocate_id, substr(created_at, 1, 10), count(*) FROM visits GROUP BY 1, 2, 3;

DROP TRIGGER visits_daily_insert;
DROP TRIGGER visits_daily_update;
CREATE TRIGGER visits_daily_insert AFTER INSERT ON visits BEGIN
  INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
  INSERT INTO daily_advocate_clicks (brand_id, advocate_id, day, clicks)
    VALUES (new.brand_id, new.advocate_id, substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, advocate_id, created_at, share_channel, utm_source, campaign_id ON visits BEGIN
  UPDATE daily_sources SET clicks = clicks - 1
    WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10)
      AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
  INSERT INTO daily_sources (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
  UPDATE daily_advocate_clicks SET clicks = clicks - 1
    WHERE brand_id = old.brand_id AND advocate_id = old.advocate_id AND day = substr(old.created_at, 1, 10);
  INSERT INTO daily_advocate_clicks (brand_id, advocate_id, day, clicks)
    VALUES (new.brand_id, new.advocate_id, substr(new.created_at, 1, 10), 1)
    ON CONFLICT DO UPDATE SET clicks = clicks + 1;
END;
