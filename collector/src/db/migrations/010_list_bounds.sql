-- Lists whose every read is bounded (issue 8, the review of section 2): commissions by level from an index, and
-- each brand's number of advocates kept in the writing transaction, so the advocates' total and their pages near
-- the end (read from that end) cost the same at any size.

-- The brand's rewards of one level in id order (an index ends with the rowid): a page by level stops after LIMIT
-- rows. Level never changes, so only the reward's insert writes it.
CREATE INDEX rewards_brand_level ON rewards (brand_id, level);

-- Defined as `SELECT count(*) FROM advocates WHERE brand_id = ?` (collector/test/http/lists.test.ts checks it
-- after inserts); kept by triggers, as migration 007's counters are, so no write path can forget it.
CREATE TABLE brand_advocate_counts (
  brand_id TEXT PRIMARY KEY REFERENCES brands (id),
  advocates INTEGER NOT NULL CHECK (advocates >= 0)
) STRICT;

INSERT INTO brand_advocate_counts (brand_id, advocates)
  SELECT brand_id, count(*) FROM advocates GROUP BY brand_id;

CREATE TRIGGER advocates_count_insert AFTER INSERT ON advocates BEGIN
  INSERT INTO brand_advocate_counts (brand_id, advocates) VALUES (new.brand_id, 1)
    ON CONFLICT (brand_id) DO UPDATE SET advocates = advocates + 1;
END;
CREATE TRIGGER advocates_count_delete AFTER DELETE ON advocates BEGIN
  UPDATE brand_advocate_counts SET advocates = advocates - 1 WHERE brand_id = old.brand_id;
END;
CREATE TRIGGER advocates_count_brand AFTER UPDATE OF brand_id ON advocates WHEN old.brand_id IS NOT new.brand_id BEGIN
  UPDATE brand_advocate_counts SET advocates = advocates - 1 WHERE brand_id = old.brand_id;
  INSERT INTO brand_advocate_counts (brand_id, advocates) VALUES (new.brand_id, 1)
    ON CONFLICT (brand_id) DO UPDATE SET advocates = advocates + 1;
END;
