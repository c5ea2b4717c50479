-- An advocate's clicks per UTC day (issue 14): the same table as SQLite's 028_advocate_clicks.sql (see there), kept by
-- visits_daily(), which 016 made, with one more upsert; its update trigger also follows a visit's advocate.
CREATE TABLE daily_advocate_clicks (
  brand_id     text COLLATE "C" NOT NULL,
  advocate_id  bigint NOT NULL,
  day          text COLLATE "C" NOT NULL,
  clicks       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, advocate_id, day)
);

INSERT INTO daily_advocate_clicks (brand_id, advocate_id, day, clicks)
  SELECT brand_id, advocate_id, substr(created_at, 1, 10), count(*) FROM visits GROUP BY 1, 2, 3;

CREATE OR REPLACE FUNCTION visits_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE daily_sources SET clicks = clicks - 1
      WHERE brand_id = old.brand_id AND campaign_id = coalesce(old.campaign_id, 0) AND day = substr(old.created_at, 1, 10)
        AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
    UPDATE daily_advocate_clicks SET clicks = clicks - 1
      WHERE brand_id = old.brand_id AND advocate_id = old.advocate_id AND day = substr(old.created_at, 1, 10);
  END IF;
  INSERT INTO daily_sources AS t (brand_id, campaign_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, coalesce(new.campaign_id, 0), substr(new.created_at, 1, 10), coalesce(new.share_channel, ''),
      coalesce(new.utm_source, ''), 1)
    ON CONFLICT (brand_id, campaign_id, day, share_channel, utm_source) DO UPDATE SET clicks = t.clicks + 1;
  INSERT INTO daily_advocate_clicks AS t (brand_id, advocate_id, day, clicks)
    VALUES (new.brand_id, new.advocate_id, substr(new.created_at, 1, 10), 1)
    ON CONFLICT (brand_id, advocate_id, day) DO UPDATE SET clicks = t.clicks + 1;
  RETURN NULL;
END $$;

DROP TRIGGER visits_daily_update ON visits;
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, advocate_id, created_at, share_channel, utm_source, campaign_id ON visits
  FOR EACH ROW EXECUTE FUNCTION visits_daily();

ANALYZE daily_advocate_clicks;
