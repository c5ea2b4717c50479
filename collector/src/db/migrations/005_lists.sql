-- Lists that stay flat as a brand grows: indexes whose rows are in id order for each list filter, full-text
-- search of advocates and codes (FTS5, word-prefix queries, kept in sync by triggers), payment fields.

-- How an advocate is paid (004_*'s paymentMethod / paymentDetails): read by payouts, set through the API, whose
-- schema holds the list of methods (no CHECK here: adding a method must not need a rebuild of advocates).
ALTER TABLE advocates ADD COLUMN payment_method TEXT;
ALTER TABLE advocates ADD COLUMN payment_details TEXT;

-- Each index ends (implicitly) with the rowid, so `brand + filter, id < ? ORDER BY id DESC LIMIT n` reads n
-- entries and sorts nothing.
CREATE INDEX advocates_brand_tier ON advocates (brand_id, tier);
CREATE INDEX advocates_brand_status_tier ON advocates (brand_id, status, tier);
CREATE INDEX referral_codes_brand ON referral_codes (brand_id);
CREATE INDEX referral_codes_brand_status ON referral_codes (brand_id, status);
CREATE INDEX claims_brand_status ON claims (brand_id, status);
CREATE INDEX conversions_brand_status ON conversions (brand_id, status);
CREATE INDEX conversions_brand_attributed ON conversions (brand_id) WHERE advocate_id IS NOT NULL;

-- Search: one row per advocate (rowid = advocates.id: name, email, every code) and one per code (rowid =
-- referral_codes.id: the code, its advocate's name and email). unicode61 splits on anything not a letter or
-- digit (jane.doe@example.com is jane, doe, example, com) and folds case and accents. Prefix indexes of 1 to 8
-- characters: without them a prefix matching many distinct words (jones -> jones, jones82, jonesy, ...) merges
-- each word's list (measured at 100,000 advocates: 7.8 ms for "jones", 12.6 ms for "example"; with them
-- about 1 ms), for about twice the index size. `brand` holds the brand id without its dashes (one word): a search
-- matches it first, so one brand's search never walks another brand's matches (a small brand searching "jo"
-- beside one of 100,000 advocates took 50 ms without it); the joined row's brand_id is checked as well.
CREATE VIRTUAL TABLE advocate_search USING fts5 (
  brand, name, email, codes, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8'
);
CREATE VIRTUAL TABLE referral_search USING fts5 (
  brand, code, name, email, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5 6 7 8'
);

INSERT INTO advocate_search (rowid, brand, name, email, codes)
  SELECT a.id, replace(a.brand_id, '-', ''), a.name, a.email,
    coalesce((SELECT group_concat(c.code, ' ') FROM referral_codes c WHERE c.brand_id = a.brand_id AND c.advocate_id = a.id), '')
  FROM advocates a;
INSERT INTO referral_search (rowid, brand, code, name, email)
  SELECT c.id, replace(c.brand_id, '-', ''), c.code, a.name, a.email FROM referral_codes c JOIN advocates a ON a.brand_id = c.brand_id AND a.id = c.advocate_id;

CREATE TRIGGER advocates_search_insert AFTER INSERT ON advocates BEGIN
  INSERT INTO advocate_search (rowid, brand, name, email, codes) VALUES (new.id, replace(new.brand_id, '-', ''), new.name, new.email, '');
END;
CREATE TRIGGER advocates_search_update AFTER UPDATE OF name, email ON advocates BEGIN
  UPDATE advocate_search SET name = new.name, email = new.email WHERE rowid = new.id;
  UPDATE referral_search SET name = new.name, email = new.email
    WHERE rowid IN (SELECT c.id FROM referral_codes c WHERE c.brand_id = new.brand_id AND c.advocate_id = new.id);
END;
CREATE TRIGGER advocates_search_delete AFTER DELETE ON advocates BEGIN
  DELETE FROM advocate_search WHERE rowid = old.id;
END;
CREATE TRIGGER referral_codes_search_insert AFTER INSERT ON referral_codes BEGIN
  UPDATE advocate_search SET codes = trim(codes || ' ' || new.code) WHERE rowid = new.advocate_id;
  INSERT INTO referral_search (rowid, brand, code, name, email)
    SELECT new.id, replace(new.brand_id, '-', ''), new.code, a.name, a.email FROM advocates a WHERE a.brand_id = new.brand_id AND a.id = new.advocate_id;
END;
CREATE TRIGGER referral_codes_search_delete AFTER DELETE ON referral_codes BEGIN
  UPDATE advocate_search SET codes = coalesce((SELECT group_concat(c.code, ' ') FROM referral_codes c
    WHERE c.brand_id = old.brand_id AND c.advocate_id = old.advocate_id), '') WHERE rowid = old.advocate_id;
  DELETE FROM referral_search WHERE rowid = old.id;
END;
