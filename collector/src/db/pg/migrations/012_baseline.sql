-- PostgreSQL 15+ baseline: the schema SQLite has after its migrations 001-012 (collector/src/db/migrations), in one
-- file, as PostgreSQL has no installs from before. From 013 on, every migration exists in both folders under the same
-- name (NNN_name.sql here and in ../../migrations), each written in its engine's dialect, so both engines record the
-- same names in schema_migrations. collector/test/schema-engines.test.ts compares the two schemas.
--
-- The mapping, and why:
-- * Same tables, columns (in SQLite's order, ALTER TABLE's additions last), NOT NULLs, DEFAULTs, CHECKs, UNIQUEs,
--   foreign keys and index names. INTEGER -> bigint (an INTEGER PRIMARY KEY -> an identity BY DEFAULT, so a copy
--   of a SQLite file keeps its ids; the copy must then setval each identity past its max id), TEXT -> text.
--   Booleans stay 0/1 integers, as in SQLite.
-- * Every text column is COLLATE "C": bytewise, as SQLite's BINARY, so ORDER BY, keyset pages, UNIQUE and every
--   comparison give the same answer on both engines whatever the database's own collation.
-- * Timestamps stay text: ISO-8601 UTC strings exactly as SQLite stores them (2026-04-14T23:59:59.990Z). With the
--   C collation they compare and sort the same on both engines, and substr(created_at, 1, 10) is the UTC day on both.
-- * SQLite's index entries end with the rowid implicitly, and keyset pages (brand_id = ? AND status = ? AND id < ?
--   ORDER BY id DESC) rest on it: here every non-unique index of a table with an id ends with id explicitly.
--   WITHOUT ROWID tables (the per-day ones) become ordinary tables with the same primary key.
-- * Money: bigint cents. pg hands bigint back as a string unless told otherwise (the engine's pool does).
-- * Triggers: each SQLite trigger is a trigger of the same name, FOR EACH ROW, with the same UPDATE OF columns and
--   WHEN condition (IS NOT -> IS DISTINCT FROM), running a PL/pgSQL function; the insert, update and delete triggers
--   of one family share one function (take the old row's part off, add the new row's, by TG_OP). Migration 009's two INSTEAD OF
--   views (daily_conversion_part, daily_reward_part: "one conversion's part") are functions of those names.
--   Every per-day or counter row is written with INSERT ... ON CONFLICT DO UPDATE (or an UPDATE of a row that
--   exists), so two transactions writing one day's row never fail under READ COMMITTED: the second waits for the
--   first's row lock. (Under REPEATABLE READ or SERIALIZABLE that wait ends in a serialization failure instead: write
--   transactions run READ COMMITTED, or retry. Two transactions locking the same rows in opposite orders, such as two
--   conversions whose level-1 and level-2 advocates cross, can deadlock and must be retried: SQLSTATE 40P01.)
-- * idempotency_keys' expression indexes read the stored answer as jsonb: json_extract(response, '$.data.claim_id')
--   is (response::jsonb #>> '{data,claim_id}') here, a text (an id 12 is '12'). A query uses that same expression:
--     DELETE FROM idempotency_keys WHERE brand_id = $1 AND (response::jsonb #>> '{data,claim_id}') = ANY($2::text[])
-- * Erasure: SQLite's secure_delete (and FTS5's secure-delete) overwrite what a delete frees. PostgreSQL has no such
--   setting: a deleted or updated row stays in its page until VACUUM reuses the space, and in the WAL and backups.
--
-- Search (SQLite: the FTS5 tables advocate_search and referral_search of migration 005). Here they are ordinary
-- tables of the same names, one row per advocate / code (id = advocates.id / referral_codes.id), holding brand_id
-- and doc, a tsvector of the searched columns (advocates: name A, email B, codes C; codes: code A, name B, email C).
-- Each column's text goes through search_words(): lower case, accents stripped (unaccent), every run of characters
-- that are not letters or digits turned into one space, so jane.doe@example.com gives jane, doe, example, com as
-- FTS5's unicode61 tokenizer does (unaccent folds a few letters further: ß -> ss, æ -> ae, ø -> o, ł -> l, ligatures,
-- Greek accents, so such a word is found spelt either way here). Kept by triggers, as in 005. A search is written:
--     FROM advocate_search s JOIN advocates a ON a.id = s.id
--     WHERE s.brand_id = $1 AND s.doc @@ search_query($2) AND a.brand_id = $1 [AND s.id < $3 ORDER BY s.id DESC]
-- where $2 is the user's text as typed: search_query() gives what db/advocateStats.ts searchQuery gives FTS5 (each
-- whitespace-separated word must begin a word of a column, "jo" -> 'jo':*; a word of several tokens is a phrase in
-- one column, "doe@ex" -> 'doe' <-> 'ex':* within one weight), NULL when the text holds no letter or digit (then
-- @@ is NULL: no row). The GIN index (brand_id, doc) (btree_gin) finds one brand's matches without walking
-- another brand's, as FTS5's brand column did.
-- Letters, case and accents follow the database's ctype: the database must be UTF-8 with a UTF-8 locale (C.UTF-8,
-- en_US.UTF-8 or an ICU locale); in the C locale lower() and [[:alnum:]] know ASCII only, so this migration refuses it.

DO $$
BEGIN
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'Referloop needs a UTF8 database (this one is %)', current_setting('server_encoding');
  END IF;
  IF EXISTS (SELECT 1 FROM pg_database WHERE datname = current_database() AND datlocprovider = 'c'
             AND datctype IN ('C', 'POSIX')) THEN
    RAISE EXCEPTION 'Referloop needs a database with a UTF-8 locale (LC_CTYPE C.UTF-8 or en_US.UTF-8, not C): search folds case and letters by it';
  END IF;
END $$;

-- Both are trusted extensions shipped with PostgreSQL (Debian's postgresql package, managed services): a database
-- owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- ======================================================================== tables (001-012, in final column order)

CREATE TABLE brands (
  id                       text COLLATE "C" PRIMARY KEY,
  name                     text COLLATE "C" NOT NULL,
  plan                     text COLLATE "C" NOT NULL CHECK (plan IN ('starter', 'growth', 'premier')),
  currency                 text COLLATE "C" NOT NULL DEFAULT 'USD',
  allowed_origins          text COLLATE "C" NOT NULL DEFAULT '[]',
  attribution_model        text COLLATE "C" NOT NULL DEFAULT 'first_touch' CHECK (attribution_model IN ('first_touch', 'last_touch')),
  attribution_window_days  bigint NOT NULL DEFAULT 30 CHECK (attribution_window_days > 0),
  referee_discount_type    text COLLATE "C" NOT NULL DEFAULT 'percentage' CHECK (referee_discount_type IN ('percentage', 'fixed')),
  referee_discount_value   bigint NOT NULL DEFAULT 1000 CHECK (referee_discount_value >= 0),
  referrer_reward_type     text COLLATE "C" NOT NULL DEFAULT 'percentage' CHECK (referrer_reward_type IN ('percentage', 'fixed', 'points')),
  referrer_reward_value    bigint NOT NULL DEFAULT 1000 CHECK (referrer_reward_value >= 0),
  cooling_period_days      bigint NOT NULL DEFAULT 30 CHECK (cooling_period_days >= 0),
  created_at               text COLLATE "C" NOT NULL,
  level2_reward_type       text COLLATE "C" NOT NULL DEFAULT 'none' CHECK (level2_reward_type IN ('none', 'percentage', 'fixed', 'points')),
  level2_reward_value      bigint NOT NULL DEFAULT 0 CHECK (level2_reward_value >= 0),
  allow_negative_points    bigint NOT NULL DEFAULT 0 CHECK (allow_negative_points IN (0, 1)),
  min_payout               bigint NOT NULL DEFAULT 0 CHECK (min_payout >= 0),
  visit_retention_days     bigint CHECK (visit_retention_days IS NULL OR visit_retention_days BETWEEN 1 AND 3650),
  respect_gpc              bigint NOT NULL DEFAULT 0 CHECK (respect_gpc IN (0, 1))
);

CREATE TABLE api_keys (
  id            bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id      text COLLATE "C" NOT NULL REFERENCES brands (id),
  kind          text COLLATE "C" NOT NULL CHECK (kind IN ('secret', 'publishable')),
  key_hash      text COLLATE "C" NOT NULL UNIQUE,
  key_hint      text COLLATE "C" NOT NULL,
  secret_enc    text COLLATE "C",
  created_at    text COLLATE "C" NOT NULL,
  revoked_at    text COLLATE "C",
  name          text COLLATE "C" NOT NULL DEFAULT 'default' CHECK (length(name) BETWEEN 1 AND 64),
  last_used_at  text COLLATE "C",
  CHECK ((kind = 'secret') = (secret_enc IS NOT NULL))
);
CREATE INDEX api_keys_brand ON api_keys (brand_id, kind, revoked_at, id);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (brand_id, name) WHERE revoked_at IS NULL;

CREATE TABLE advocates (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id            text COLLATE "C" NOT NULL REFERENCES brands (id),
  email               text COLLATE "C" NOT NULL,
  name                text COLLATE "C" NOT NULL,
  status              text COLLATE "C" NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'blocked')),
  tier                text COLLATE "C",
  metadata            text COLLATE "C",
  referred_by         bigint REFERENCES advocates (id),
  points_balance      bigint NOT NULL DEFAULT 0,
  created_at          text COLLATE "C" NOT NULL,
  updated_at          text COLLATE "C" NOT NULL,
  payment_method      text COLLATE "C",
  payment_details     text COLLATE "C",
  conversion_count    bigint NOT NULL DEFAULT 0,
  pending_cents       bigint NOT NULL DEFAULT 0,
  approved_cents      bigint NOT NULL DEFAULT 0,
  paid_cents          bigint NOT NULL DEFAULT 0,
  clawed_back_cents   bigint NOT NULL DEFAULT 0,
  clawback_due_cents  bigint NOT NULL DEFAULT 0,
  erased_at           text COLLATE "C",
  UNIQUE (brand_id, email)
);
CREATE INDEX advocates_brand ON advocates (brand_id, id);
CREATE INDEX advocates_brand_status ON advocates (brand_id, status, id);
CREATE INDEX advocates_referred_by ON advocates (brand_id, referred_by, id);
CREATE INDEX advocates_brand_tier ON advocates (brand_id, tier, id);
CREATE INDEX advocates_brand_status_tier ON advocates (brand_id, status, tier, id);

CREATE TABLE referral_codes (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id        text COLLATE "C" NOT NULL REFERENCES brands (id),
  advocate_id     bigint NOT NULL REFERENCES advocates (id),
  code            text COLLATE "C" NOT NULL,
  status          text COLLATE "C" NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
  click_count     bigint NOT NULL DEFAULT 0,
  created_at      text COLLATE "C" NOT NULL,
  deactivated_at  text COLLATE "C",
  UNIQUE (brand_id, code)
);
CREATE INDEX referral_codes_advocate ON referral_codes (brand_id, advocate_id, id);
CREATE INDEX referral_codes_brand ON referral_codes (brand_id, id);
CREATE INDEX referral_codes_brand_status ON referral_codes (brand_id, status, id);

CREATE TABLE visits (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id       text COLLATE "C" NOT NULL REFERENCES brands (id),
  visitor_id     text COLLATE "C" NOT NULL,
  code           text COLLATE "C" NOT NULL,
  advocate_id    bigint NOT NULL REFERENCES advocates (id),
  share_channel  text COLLATE "C",
  landing_page   text COLLATE "C",
  referrer       text COLLATE "C",
  utm_source     text COLLATE "C",
  utm_medium     text COLLATE "C",
  utm_campaign   text COLLATE "C",
  utm_term       text COLLATE "C",
  utm_content    text COLLATE "C",
  created_at     text COLLATE "C" NOT NULL
);
CREATE INDEX visits_visitor ON visits (brand_id, visitor_id, created_at, id);
CREATE INDEX visits_brand ON visits (brand_id, id);

CREATE TABLE claims (
  id                      bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id                text COLLATE "C" NOT NULL REFERENCES brands (id),
  advocate_id             bigint NOT NULL REFERENCES advocates (id),
  code                    text COLLATE "C" NOT NULL,
  email                   text COLLATE "C" NOT NULL,
  name                    text COLLATE "C",
  phone                   text COLLATE "C",
  visitor_id              text COLLATE "C",
  order_id                text COLLATE "C",
  type                    text COLLATE "C" NOT NULL DEFAULT 'referral',
  source                  text COLLATE "C" NOT NULL DEFAULT 'api',
  status                  text COLLATE "C" NOT NULL DEFAULT 'pending',
  raw_value_cents         bigint,
  claim_value_cents       bigint,
  discount_applied_cents  bigint NOT NULL DEFAULT 0,
  discount_type           text COLLATE "C",
  discount_value          text COLLATE "C",
  products                text COLLATE "C",
  coupons_applied         text COLLATE "C",
  metadata                text COLLATE "C",
  conversion_id           bigint,
  created_at              text COLLATE "C" NOT NULL,
  erased_at               text COLLATE "C"
);
CREATE INDEX claims_email ON claims (brand_id, email, status, created_at, id);
CREATE INDEX claims_code_email ON claims (brand_id, code, email, created_at, id);
CREATE INDEX claims_brand ON claims (brand_id, id);
CREATE INDEX claims_brand_advocate ON claims (brand_id, advocate_id, id);
CREATE INDEX claims_brand_status ON claims (brand_id, status, id);

CREATE TABLE conversions (
  id                          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id                    text COLLATE "C" NOT NULL REFERENCES brands (id),
  order_id                    text COLLATE "C",
  email                       text COLLATE "C" NOT NULL,
  name                        text COLLATE "C",
  visitor_id                  text COLLATE "C",
  claim_id                    bigint REFERENCES claims (id),
  advocate_id                 bigint REFERENCES advocates (id),
  code                        text COLLATE "C",
  attribution                 text COLLATE "C",
  status                      text COLLATE "C" NOT NULL DEFAULT 'completed',
  order_value_cents           bigint NOT NULL,
  order_total_cents           bigint,
  tax_cents                   bigint,
  shipping_cents              bigint,
  discount_cents              bigint,
  discount_applied_cents      bigint NOT NULL DEFAULT 0,
  total_discount_cents        bigint NOT NULL DEFAULT 0,
  paid_cents                  bigint NOT NULL,
  refunded_cents              bigint NOT NULL DEFAULT 0,
  referrer_reward_paid_cents  bigint,
  referee_reward_paid_cents   bigint,
  discount_type               text COLLATE "C",
  discount_value              text COLLATE "C",
  type                        text COLLATE "C" NOT NULL DEFAULT 'referral',
  source                      text COLLATE "C",
  products                    text COLLATE "C",
  coupons_applied             text COLLATE "C",
  metadata                    text COLLATE "C",
  created_at                  text COLLATE "C" NOT NULL,
  erased_at                   text COLLATE "C",
  UNIQUE (brand_id, order_id)
);
CREATE INDEX conversions_email ON conversions (brand_id, email, id);
CREATE INDEX conversions_brand ON conversions (brand_id, id);
CREATE INDEX conversions_brand_advocate ON conversions (brand_id, advocate_id, id);
CREATE INDEX conversions_brand_code ON conversions (brand_id, code, id);
CREATE INDEX conversions_brand_claim ON conversions (brand_id, claim_id, id);
CREATE INDEX conversions_brand_status ON conversions (brand_id, status, id);
CREATE INDEX conversions_brand_attributed ON conversions (brand_id, id) WHERE advocate_id IS NOT NULL;

CREATE TABLE rewards (
  id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id            text COLLATE "C" NOT NULL REFERENCES brands (id),
  advocate_id         bigint NOT NULL REFERENCES advocates (id),
  conversion_id       bigint NOT NULL REFERENCES conversions (id),
  level               bigint NOT NULL DEFAULT 1 CHECK (level IN (1, 2)),
  kind                text COLLATE "C" NOT NULL CHECK (kind IN ('cash', 'points')),
  original_amount     bigint NOT NULL,
  amount              bigint NOT NULL,
  clawed_back         bigint NOT NULL DEFAULT 0 CHECK (clawed_back >= 0),
  status              text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'approved', 'paid', 'rejected', 'reversed')),
  reason              text COLLATE "C",
  available_at        text COLLATE "C" NOT NULL,
  approved_at         text COLLATE "C",
  paid_at             text COLLATE "C",
  created_at          text COLLATE "C" NOT NULL,
  updated_at          text COLLATE "C" NOT NULL,
  clawback_recovered  bigint NOT NULL DEFAULT 0,
  UNIQUE (brand_id, conversion_id, level),
  -- SQLite's column constraint on clawback_recovered (003): a column constraint here may not name another column.
  CHECK (clawback_recovered >= 0 AND clawback_recovered <= clawed_back)
);
CREATE INDEX rewards_advocate ON rewards (brand_id, advocate_id, status, id);
CREATE INDEX rewards_brand ON rewards (brand_id, id);
CREATE INDEX rewards_brand_status ON rewards (brand_id, status, id);
CREATE INDEX rewards_due ON rewards (brand_id, available_at, id) WHERE status = 'pending';
CREATE INDEX rewards_payable ON rewards (brand_id, advocate_id, id) WHERE status = 'approved' AND kind = 'cash';
CREATE INDEX rewards_clawback_owed ON rewards (brand_id, advocate_id, id) WHERE clawed_back > clawback_recovered;
CREATE INDEX rewards_brand_level ON rewards (brand_id, level, id);

CREATE TABLE reward_events (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id    text COLLATE "C" NOT NULL REFERENCES brands (id),
  reward_id   bigint NOT NULL REFERENCES rewards (id),
  event       text COLLATE "C" NOT NULL,
  delta       bigint NOT NULL DEFAULT 0,
  note        text COLLATE "C",
  created_at  text COLLATE "C" NOT NULL,
  actor       text COLLATE "C" NOT NULL DEFAULT 'system'
);
CREATE INDEX reward_events_reward ON reward_events (brand_id, reward_id, id);

CREATE TABLE refunds (
  id                    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id              text COLLATE "C" NOT NULL REFERENCES brands (id),
  conversion_id         bigint REFERENCES conversions (id),
  claim_id              bigint REFERENCES claims (id),
  refund_id             text COLLATE "C",
  amount_cents          bigint NOT NULL,
  total_refunded_cents  bigint NOT NULL,
  is_full_refund        bigint NOT NULL,
  status                text COLLATE "C" NOT NULL,
  reason                text COLLATE "C",
  source                text COLLATE "C",
  metadata              text COLLATE "C",
  created_at            text COLLATE "C" NOT NULL,
  UNIQUE (brand_id, refund_id)
);
CREATE INDEX refunds_conversion ON refunds (brand_id, conversion_id, id);
CREATE INDEX refunds_claim ON refunds (brand_id, claim_id, id);

CREATE TABLE idempotency_keys (
  brand_id      text COLLATE "C" NOT NULL REFERENCES brands (id),
  key           text COLLATE "C" NOT NULL,
  endpoint      text COLLATE "C" NOT NULL,
  request_hash  text COLLATE "C" NOT NULL,
  status        bigint NOT NULL,
  response      text COLLATE "C" NOT NULL,
  created_at    text COLLATE "C" NOT NULL,
  PRIMARY KEY (brand_id, key)
);
-- No id here (SQLite's entries end with the rowid, which no query reads).
CREATE INDEX idempotency_advocate ON idempotency_keys (brand_id, (response::jsonb #>> '{data,advocate,id}'))
  WHERE (response::jsonb #>> '{data,advocate,id}') IS NOT NULL;
CREATE INDEX idempotency_code_advocate ON idempotency_keys (brand_id, (response::jsonb #>> '{data,referral,advocate_id}'))
  WHERE (response::jsonb #>> '{data,referral,advocate_id}') IS NOT NULL;
CREATE INDEX idempotency_visitor ON idempotency_keys (brand_id, (response::jsonb #>> '{data,visitor_id}'))
  WHERE (response::jsonb #>> '{data,visitor_id}') IS NOT NULL;
CREATE INDEX idempotency_claim ON idempotency_keys (brand_id, (response::jsonb #>> '{data,claim_id}'))
  WHERE (response::jsonb #>> '{data,claim_id}') IS NOT NULL;
CREATE INDEX idempotency_conversion ON idempotency_keys (brand_id, (response::jsonb #>> '{data,conversion_id}'))
  WHERE (response::jsonb #>> '{data,conversion_id}') IS NOT NULL;

CREATE TABLE points_transactions (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id       text COLLATE "C" NOT NULL REFERENCES brands (id),
  advocate_id    bigint NOT NULL REFERENCES advocates (id),
  type           text COLLATE "C" NOT NULL,
  amount         bigint NOT NULL,
  balance_after  bigint NOT NULL,
  description    text COLLATE "C",
  reward_id      bigint REFERENCES rewards (id),
  created_at     text COLLATE "C" NOT NULL
);
CREATE INDEX points_transactions_advocate ON points_transactions (brand_id, advocate_id, id);

CREATE TABLE dashboard_users (
  id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id       text COLLATE "C" NOT NULL REFERENCES brands (id),
  email          text COLLATE "C" NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role           text COLLATE "C" NOT NULL CHECK (role IN ('owner', 'viewer')),
  -- scrypt$N$r$p$salt$hash (base64url), or NULL while the user signs in by link only
  password_hash  text COLLATE "C",
  created_at     text COLLATE "C" NOT NULL,
  disabled_at    text COLLATE "C"
);
CREATE UNIQUE INDEX dashboard_users_email ON dashboard_users (brand_id, email);
CREATE INDEX dashboard_users_by_email ON dashboard_users (email, id);

CREATE TABLE dashboard_login_tokens (
  token_hash  text COLLATE "C" PRIMARY KEY,
  brand_id    text COLLATE "C" NOT NULL REFERENCES brands (id),
  user_id     bigint NOT NULL REFERENCES dashboard_users (id),
  created_at  text COLLATE "C" NOT NULL,
  expires_at  text COLLATE "C" NOT NULL,
  used_at     text COLLATE "C"
);
CREATE INDEX dashboard_login_tokens_user ON dashboard_login_tokens (brand_id, user_id);

CREATE TABLE dashboard_sessions (
  token_hash    text COLLATE "C" PRIMARY KEY,
  brand_id      text COLLATE "C" NOT NULL REFERENCES brands (id),
  user_id       bigint NOT NULL REFERENCES dashboard_users (id),
  -- the synchronizer token every changing form carries
  csrf_token    text COLLATE "C" NOT NULL,
  created_at    text COLLATE "C" NOT NULL,
  last_seen_at  text COLLATE "C" NOT NULL,
  ended_at      text COLLATE "C"
);
CREATE INDEX dashboard_sessions_user ON dashboard_sessions (brand_id, user_id);

-- Derived tables carry no foreign key (as in SQLite's 009): their rows come from rows that have one.
CREATE TABLE daily_totals (
  brand_id             text COLLATE "C" NOT NULL,
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
  PRIMARY KEY (brand_id, day)
);

CREATE TABLE daily_sources (
  brand_id       text COLLATE "C" NOT NULL,
  day            text COLLATE "C" NOT NULL,
  share_channel  text COLLATE "C" NOT NULL,
  utm_source     text COLLATE "C" NOT NULL,
  clicks         bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, share_channel, utm_source)
);

CREATE TABLE daily_advocates (
  brand_id           text COLLATE "C" NOT NULL,
  day                text COLLATE "C" NOT NULL,
  advocate_id        bigint NOT NULL,
  conversions        bigint NOT NULL DEFAULT 0,
  revenue_cents      bigint NOT NULL DEFAULT 0,
  net_revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, advocate_id)
);
-- SQLite's WITHOUT ROWID index ends with the primary key's remaining column (advocate_id, day are already in it).
CREATE INDEX daily_advocates_by_advocate ON daily_advocates (brand_id, advocate_id, day, net_revenue_cents, conversions);

CREATE TABLE advocate_revenue (
  brand_id           text COLLATE "C" NOT NULL,
  advocate_id        bigint NOT NULL,
  net_revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, advocate_id)
);
CREATE INDEX advocate_revenue_top ON advocate_revenue (brand_id, net_revenue_cents DESC, advocate_id);

CREATE TABLE daily_products (
  brand_id           text COLLATE "C" NOT NULL,
  day                text COLLATE "C" NOT NULL,
  name               text COLLATE "C" NOT NULL,
  units              bigint NOT NULL DEFAULT 0,
  revenue_cents      bigint NOT NULL DEFAULT 0,
  net_revenue_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (brand_id, day, name)
);

CREATE TABLE brand_advocate_counts (
  brand_id   text COLLATE "C" PRIMARY KEY REFERENCES brands (id),
  advocates  bigint NOT NULL CHECK (advocates >= 0)
);

CREATE TABLE erasures (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  brand_id    text COLLATE "C" NOT NULL REFERENCES brands (id),
  email_hash  text COLLATE "C" NOT NULL,
  actor       text COLLATE "C" NOT NULL,
  key_id      bigint,
  counts      text COLLATE "C" NOT NULL,
  created_at  text COLLATE "C" NOT NULL
);
CREATE INDEX erasures_email ON erasures (brand_id, email_hash, id);

CREATE TABLE payout_runs (
  brand_id     text COLLATE "C" NOT NULL,
  paid_at      text COLLATE "C" NOT NULL,
  commissions  bigint NOT NULL CHECK (commissions >= 0),
  cents        bigint NOT NULL,
  PRIMARY KEY (brand_id, paid_at)
);

-- ======================================================================== search (005)

CREATE TABLE advocate_search (
  id        bigint PRIMARY KEY,
  brand_id  text COLLATE "C" NOT NULL,
  doc       tsvector NOT NULL
);
CREATE INDEX advocate_search_doc ON advocate_search USING gin (brand_id, doc);

CREATE TABLE referral_search (
  id        bigint PRIMARY KEY,
  brand_id  text COLLATE "C" NOT NULL,
  doc       tsvector NOT NULL
);
CREATE INDEX referral_search_doc ON referral_search USING gin (brand_id, doc);

-- One column's text as FTS5's unicode61 (remove_diacritics 2) reads it: accents off, lower case, and every run of
-- characters that are not letters or digits one space. COLLATE "default": the columns are "C", whose lower() and
-- [[:alnum:]] know ASCII only; the database's own locale knows every letter.
CREATE FUNCTION search_words(t text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT trim(regexp_replace(lower(unaccent(coalesce(t, '')) COLLATE "default"), '[^[:alnum:]]+', ' ', 'g'))
$$;

-- The document of three columns, each its own weight, so a phrase never runs from one column into the next.
CREATE FUNCTION search_doc(a text, b text, c text) RETURNS tsvector LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('simple', search_words(a)), 'A') || setweight(to_tsvector('simple', search_words(b)), 'B')
    || setweight(to_tsvector('simple', search_words(c)), 'C')
$$;

-- What searchQuery (db/advocateStats.ts) gives FTS5: every whitespace-separated word must begin a word of a column;
-- a word of several tokens ("doe@ex") is a phrase within one column whose last token is a prefix. NULL when no word
-- holds a letter or digit. Lexemes hold letters and digits only, so nothing in them is tsquery syntax.
CREATE FUNCTION search_query(search text) RETURNS tsquery LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
  word text;
  tokens text[];
  parts text[] := '{}';
  phrase text;
BEGIN
  FOREACH word IN ARRAY regexp_split_to_array(coalesce(search, ''), '\s+') LOOP
    tokens := array_remove(regexp_split_to_array(search_words(word), ' '), '');
    CONTINUE WHEN coalesce(array_length(tokens, 1), 0) = 0;
    IF array_length(tokens, 1) = 1 THEN
      parts := parts || format('%s:*', tokens[1]);
    ELSE
      SELECT string_agg(format('(%s)', p), ' | ') INTO phrase FROM (
        SELECT array_to_string(tokens[1:array_length(tokens, 1) - 1], format(':%s <-> ', w)) || format(':%s <-> %s:*%s', w, tokens[array_length(tokens, 1)], w) AS p
        FROM unnest(ARRAY['A', 'B', 'C']) AS w) AS per_column;
      parts := parts || format('(%s)', phrase);
    END IF;
  END LOOP;
  IF array_length(parts, 1) IS NULL THEN RETURN NULL; END IF;
  RETURN to_tsquery('simple', array_to_string(parts, ' & '));
END $$;

-- An advocate's codes as FTS5's codes column held them: each code, in id order, separated by spaces.
CREATE FUNCTION advocate_codes(p_brand_id text, p_advocate_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(c.code, ' ' ORDER BY c.id), '') FROM referral_codes c
  WHERE c.brand_id = p_brand_id AND c.advocate_id = p_advocate_id
$$;

CREATE FUNCTION advocates_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO advocate_search (id, brand_id, doc) VALUES (new.id, new.brand_id, search_doc(new.name, new.email, ''));
  RETURN NULL;
END $$;
CREATE TRIGGER advocates_search_insert AFTER INSERT ON advocates FOR EACH ROW EXECUTE FUNCTION advocates_search_insert();

CREATE FUNCTION advocates_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_search SET doc = search_doc(new.name, new.email, advocate_codes(new.brand_id, new.id)) WHERE id = new.id;
  UPDATE referral_search s SET doc = search_doc(c.code, new.name, new.email)
    FROM referral_codes c WHERE c.brand_id = new.brand_id AND c.advocate_id = new.id AND s.id = c.id;
  RETURN NULL;
END $$;
CREATE TRIGGER advocates_search_update AFTER UPDATE OF name, email ON advocates
  FOR EACH ROW EXECUTE FUNCTION advocates_search_update();

CREATE FUNCTION advocates_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM advocate_search WHERE id = old.id;
  RETURN NULL;
END $$;
CREATE TRIGGER advocates_search_delete AFTER DELETE ON advocates FOR EACH ROW EXECUTE FUNCTION advocates_search_delete();

CREATE FUNCTION referral_codes_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_search s SET doc = search_doc(a.name, a.email, advocate_codes(new.brand_id, new.advocate_id))
    FROM advocates a WHERE s.id = new.advocate_id AND a.id = new.advocate_id;
  INSERT INTO referral_search (id, brand_id, doc)
    SELECT new.id, new.brand_id, search_doc(new.code, a.name, a.email) FROM advocates a
    WHERE a.brand_id = new.brand_id AND a.id = new.advocate_id;
  RETURN NULL;
END $$;
CREATE TRIGGER referral_codes_search_insert AFTER INSERT ON referral_codes
  FOR EACH ROW EXECUTE FUNCTION referral_codes_search_insert();

CREATE FUNCTION referral_codes_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE advocate_search s SET doc = search_doc(a.name, a.email, advocate_codes(old.brand_id, old.advocate_id))
    FROM advocates a WHERE s.id = old.advocate_id AND a.id = old.advocate_id;
  DELETE FROM referral_search WHERE id = old.id;
  RETURN NULL;
END $$;
CREATE TRIGGER referral_codes_search_delete AFTER DELETE ON referral_codes
  FOR EACH ROW EXECUTE FUNCTION referral_codes_search_delete();

-- ======================================================================== advocate counters (007)
-- conversion_count = count(conversions of the advocate); pending/approved/paid_cents = sum(amount) of the cash
-- rewards in that status; clawed_back_cents = sum(clawed_back), clawback_due_cents = sum(clawed_back -
-- clawback_recovered) of the cash rewards (collector/test/http/advocate-totals.test.ts keeps the sums).

-- One cash reward's part in its advocate's counters, added (sign 1) or taken off (sign -1).
CREATE FUNCTION advocate_reward_part(sign bigint, r rewards) RETURNS void LANGUAGE sql AS $$
  UPDATE advocates SET
    pending_cents = pending_cents + sign * CASE r.status WHEN 'pending' THEN r.amount ELSE 0 END,
    approved_cents = approved_cents + sign * CASE r.status WHEN 'approved' THEN r.amount ELSE 0 END,
    paid_cents = paid_cents + sign * CASE r.status WHEN 'paid' THEN r.amount ELSE 0 END,
    clawed_back_cents = clawed_back_cents + sign * r.clawed_back,
    clawback_due_cents = clawback_due_cents + sign * (r.clawed_back - r.clawback_recovered)
  WHERE id = r.advocate_id AND brand_id = r.brand_id
$$;

-- A row's old part off (UPDATE, DELETE) and its new part in (INSERT, UPDATE): one function serves the insert, update
-- and delete triggers of each family below, whose WHEN and UPDATE OF are SQLite's.
CREATE FUNCTION rewards_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND old.kind = 'cash' THEN PERFORM advocate_reward_part(-1, old); END IF;
  IF TG_OP <> 'DELETE' AND new.kind = 'cash' THEN PERFORM advocate_reward_part(1, new); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER rewards_totals_insert AFTER INSERT ON rewards FOR EACH ROW WHEN (new.kind = 'cash')
  EXECUTE FUNCTION rewards_totals();
CREATE TRIGGER rewards_totals_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, advocate_id, brand_id ON rewards
  FOR EACH ROW WHEN (old.kind = 'cash' OR new.kind = 'cash') EXECUTE FUNCTION rewards_totals();
CREATE TRIGGER rewards_totals_delete AFTER DELETE ON rewards FOR EACH ROW WHEN (old.kind = 'cash')
  EXECUTE FUNCTION rewards_totals();

-- An attributed conversion counts for its advocate (a NULL advocate_id matches no advocate).
CREATE FUNCTION conversions_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE advocates SET conversion_count = conversion_count - 1 WHERE id = old.advocate_id AND brand_id = old.brand_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE advocates SET conversion_count = conversion_count + 1 WHERE id = new.advocate_id AND brand_id = new.brand_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER conversions_totals_insert AFTER INSERT ON conversions FOR EACH ROW WHEN (new.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_totals();
CREATE TRIGGER conversions_totals_update AFTER UPDATE OF advocate_id, brand_id ON conversions
  FOR EACH ROW WHEN (old.advocate_id IS DISTINCT FROM new.advocate_id OR old.brand_id IS DISTINCT FROM new.brand_id)
  EXECUTE FUNCTION conversions_totals();
CREATE TRIGGER conversions_totals_delete AFTER DELETE ON conversions FOR EACH ROW WHEN (old.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_totals();

-- ======================================================================== per-day totals (009, 011)
-- The definitions are SQLite's 009 (collector/test/daily-totals.test.ts; collector/test/pg-triggers.test.ts checks
-- these triggers against the same GROUP BYs written for PostgreSQL). A day is substr(created_at, 1, 10).

-- An order's value net of refunds: value * (paid - refunded) / paid, truncated toward zero as SQLite's integer
-- division. In numeric: cents up to 10^11 (a product line up to 10^14) times paid would overflow bigint, where
-- SQLite silently goes to floating point.
CREATE FUNCTION net_cents(value bigint, paid bigint, refunded bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN paid > 0 THEN div(value::numeric * (paid - refunded), paid)::bigint ELSE value END
$$;

-- A number as a bigint, clamped to its range as SQLite's CAST does (NULL stays NULL).
CREATE FUNCTION clamp_bigint(n numeric) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN n IS NULL THEN NULL ELSE least(greatest(n, -9223372036854775808), 9223372036854775807)::bigint END
$$;

-- SQLite's CAST(json value AS INTEGER): a number truncated and clamped to 64 bits, a string's leading integer (else
-- 0), true 1, false 0, anything else 0; dflt for a missing key or JSON null (coalesce(json_extract(...), dflt)).
CREATE FUNCTION json_integer(v jsonb, dflt bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN dflt
    WHEN jsonb_typeof(v) = 'boolean' THEN CASE WHEN (v #>> '{}')::boolean THEN 1 ELSE 0 END
    WHEN jsonb_typeof(v) NOT IN ('number', 'string') THEN 0
    ELSE coalesce(clamp_bigint(trunc(CASE jsonb_typeof(v) WHEN 'number' THEN (v #>> '{}')::numeric
      ELSE substring(v #>> '{}' FROM '^\s*([+-]?[0-9]+)')::numeric END)), 0) END
$$;

-- A conversion's product lines as SQLite's json_each(products) WHERE type = 'object' reads them: name (else 'Unknown
-- Product'), quantity (else 1), line = price_cents x quantity, at most 10^14 cents. A name that is not a string (the
-- API's schema stores only strings) reads as SQLite's for true and false (1, 0); an object or a number may be spelt
-- otherwise ({"x": 1} for {"x":1}).
CREATE FUNCTION product_lines(products text) RETURNS TABLE (name text, quantity bigint, line bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(CASE jsonb_typeof(p.value -> 'name') WHEN 'boolean' THEN json_integer(p.value -> 'name', 0)::text
      ELSE p.value ->> 'name' END, 'Unknown Product') COLLATE "C",
    json_integer(p.value -> 'quantity', 1),
    least(clamp_bigint(json_integer(p.value -> 'price_cents', 0)::numeric * json_integer(p.value -> 'quantity', 1)), 100000000000000)
  FROM (SELECT products::jsonb AS j) AS d
  CROSS JOIN LATERAL (
    SELECT e.value FROM jsonb_array_elements(CASE jsonb_typeof(d.j) WHEN 'array' THEN d.j ELSE '[]' END) AS e
    UNION ALL
    SELECT e.value FROM jsonb_each(CASE jsonb_typeof(d.j) WHEN 'object' THEN d.j ELSE '{}' END) AS e
  ) AS p
  WHERE jsonb_typeof(p.value) = 'object'
$$;

-- One conversion's part, added (sign 1) or taken off (sign -1): SQLite's daily_conversion_part view and its INSTEAD
-- OF trigger, the one place that says what a conversion adds to each table.
CREATE FUNCTION daily_conversion_part(sign bigint, v conversions) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_day text := substr(v.created_at, 1, 10);
  v_net bigint := net_cents(v.order_value_cents, v.paid_cents, v.refunded_cents);
BEGIN
  INSERT INTO daily_totals AS t (brand_id, day, conversions, revenue_cents, net_revenue_cents, refunded_cents,
      first_conversion_id, last_conversion_id)
    VALUES (v.brand_id, v_day, sign, sign * v.order_value_cents, sign * v_net, sign * v.refunded_cents, v.id, v.id)
    ON CONFLICT (brand_id, day) DO UPDATE SET conversions = t.conversions + excluded.conversions,
      revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents,
      refunded_cents = t.refunded_cents + excluded.refunded_cents,
      -- least/greatest skip a NULL, as SQLite's coalesce(min(a, b), b) with b never NULL
      first_conversion_id = least(t.first_conversion_id, excluded.first_conversion_id),
      last_conversion_id = greatest(t.last_conversion_id, excluded.last_conversion_id);
  INSERT INTO daily_advocates AS t (brand_id, day, advocate_id, conversions, revenue_cents, net_revenue_cents)
    VALUES (v.brand_id, v_day, v.advocate_id, sign, sign * v.order_value_cents, sign * v_net)
    ON CONFLICT (brand_id, day, advocate_id) DO UPDATE SET conversions = t.conversions + excluded.conversions,
      revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  INSERT INTO advocate_revenue AS t (brand_id, advocate_id, net_revenue_cents)
    VALUES (v.brand_id, v.advocate_id, sign * v_net)
    ON CONFLICT (brand_id, advocate_id) DO UPDATE SET net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  IF v.products IS NOT NULL THEN
    -- Two lines of one name are summed first (one INSERT may not update a row twice: SQLite's per-line upserts met in
    -- the ON CONFLICT), each line's net truncated on its own as there; in name order, so two transactions lock the
    -- day's product rows in one order.
    INSERT INTO daily_products AS t (brand_id, day, name, units, revenue_cents, net_revenue_cents)
      SELECT v.brand_id, v_day, l.name,
        sign * sum(CASE WHEN v.paid_cents > 0 AND v.refunded_cents >= v.paid_cents THEN 0 ELSE l.quantity END),
        sign * sum(l.line), sign * sum(net_cents(l.line, v.paid_cents, v.refunded_cents))
      FROM product_lines(v.products) AS l GROUP BY l.name ORDER BY l.name
      ON CONFLICT (brand_id, day, name) DO UPDATE SET units = t.units + excluded.units,
        revenue_cents = t.revenue_cents + excluded.revenue_cents, net_revenue_cents = t.net_revenue_cents + excluded.net_revenue_cents;
  END IF;
END $$;

CREATE FUNCTION conversions_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND old.advocate_id IS NOT NULL THEN PERFORM daily_conversion_part(-1, old); END IF;
  IF TG_OP <> 'DELETE' AND new.advocate_id IS NOT NULL THEN PERFORM daily_conversion_part(1, new); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER conversions_daily_insert AFTER INSERT ON conversions FOR EACH ROW WHEN (new.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_daily();
CREATE TRIGGER conversions_daily_update
  AFTER UPDATE OF brand_id, advocate_id, created_at, order_value_cents, paid_cents, refunded_cents, products ON conversions
  FOR EACH ROW WHEN (old.advocate_id IS NOT NULL OR new.advocate_id IS NOT NULL) EXECUTE FUNCTION conversions_daily();
CREATE TRIGGER conversions_daily_delete AFTER DELETE ON conversions FOR EACH ROW WHEN (old.advocate_id IS NOT NULL)
  EXECUTE FUNCTION conversions_daily();

-- One cash commission's part, by its status, on the day it was created: SQLite's daily_reward_part view.
CREATE FUNCTION daily_reward_part(sign bigint, r rewards) RETURNS void LANGUAGE sql AS $$
  INSERT INTO daily_totals AS t (brand_id, day, pending_cents, approved_cents, paid_cents, clawed_back_cents, clawback_due_cents)
    VALUES (r.brand_id, substr(r.created_at, 1, 10),
      sign * CASE r.status WHEN 'pending' THEN r.amount ELSE 0 END,
      sign * CASE r.status WHEN 'approved' THEN r.amount ELSE 0 END,
      sign * CASE r.status WHEN 'paid' THEN r.amount ELSE 0 END,
      sign * r.clawed_back, sign * (r.clawed_back - r.clawback_recovered))
    ON CONFLICT (brand_id, day) DO UPDATE SET pending_cents = t.pending_cents + excluded.pending_cents,
      approved_cents = t.approved_cents + excluded.approved_cents, paid_cents = t.paid_cents + excluded.paid_cents,
      clawed_back_cents = t.clawed_back_cents + excluded.clawed_back_cents,
      clawback_due_cents = t.clawback_due_cents + excluded.clawback_due_cents
$$;

CREATE FUNCTION rewards_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND old.kind = 'cash' THEN PERFORM daily_reward_part(-1, old); END IF;
  IF TG_OP <> 'DELETE' AND new.kind = 'cash' THEN PERFORM daily_reward_part(1, new); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER rewards_daily_insert AFTER INSERT ON rewards FOR EACH ROW WHEN (new.kind = 'cash')
  EXECUTE FUNCTION rewards_daily();
CREATE TRIGGER rewards_daily_update
  AFTER UPDATE OF amount, clawed_back, clawback_recovered, status, kind, brand_id, created_at ON rewards
  FOR EACH ROW WHEN (old.kind = 'cash' OR new.kind = 'cash') EXECUTE FUNCTION rewards_daily();
CREATE TRIGGER rewards_daily_delete AFTER DELETE ON rewards FOR EACH ROW WHEN (old.kind = 'cash')
  EXECUTE FUNCTION rewards_daily();

-- Claims and visits: one count each. The old row's count is taken off its day's row, which its insert made.
CREATE FUNCTION claims_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE daily_totals SET claims = claims - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO daily_totals AS t (brand_id, day, claims) VALUES (new.brand_id, substr(new.created_at, 1, 10), 1)
      ON CONFLICT (brand_id, day) DO UPDATE SET claims = t.claims + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER claims_daily_insert AFTER INSERT ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();
CREATE TRIGGER claims_daily_update AFTER UPDATE OF brand_id, created_at ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();
CREATE TRIGGER claims_daily_delete AFTER DELETE ON claims FOR EACH ROW EXECUTE FUNCTION claims_daily();

-- The visit insert's only extra work: one upsert of one row. No delete trigger: a day's clicks stay counted once
-- retention deletes its visits (SQLite's 011 dropped visits_daily_delete).
CREATE FUNCTION visits_daily() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    UPDATE daily_sources SET clicks = clicks - 1 WHERE brand_id = old.brand_id AND day = substr(old.created_at, 1, 10)
      AND share_channel = coalesce(old.share_channel, '') AND utm_source = coalesce(old.utm_source, '');
  END IF;
  INSERT INTO daily_sources AS t (brand_id, day, share_channel, utm_source, clicks)
    VALUES (new.brand_id, substr(new.created_at, 1, 10), coalesce(new.share_channel, ''), coalesce(new.utm_source, ''), 1)
    ON CONFLICT (brand_id, day, share_channel, utm_source) DO UPDATE SET clicks = t.clicks + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER visits_daily_insert AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION visits_daily();
CREATE TRIGGER visits_daily_update AFTER UPDATE OF brand_id, created_at, share_channel, utm_source ON visits
  FOR EACH ROW EXECUTE FUNCTION visits_daily();

-- ======================================================================== the brand's number of advocates (010)
-- advocates = count(*) FROM advocates WHERE brand_id = ? (collector/test/http/lists.test.ts).

CREATE FUNCTION advocates_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE brand_advocate_counts SET advocates = advocates - 1 WHERE brand_id = old.brand_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO brand_advocate_counts AS t (brand_id, advocates) VALUES (new.brand_id, 1)
      ON CONFLICT (brand_id) DO UPDATE SET advocates = t.advocates + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER advocates_count_insert AFTER INSERT ON advocates FOR EACH ROW EXECUTE FUNCTION advocates_count();
CREATE TRIGGER advocates_count_delete AFTER DELETE ON advocates FOR EACH ROW EXECUTE FUNCTION advocates_count();
CREATE TRIGGER advocates_count_brand AFTER UPDATE OF brand_id ON advocates
  FOR EACH ROW WHEN (old.brand_id IS DISTINCT FROM new.brand_id) EXECUTE FUNCTION advocates_count();

-- ======================================================================== payout runs (012)
-- commissions = count(*), cents = sum(amount) of rewards WHERE status = 'paid' AND kind = 'cash' GROUP BY brand_id,
-- paid_at (collector/test/dashboard/payouts.test.ts).

CREATE FUNCTION payout_runs_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE payout_runs SET commissions = commissions - 1, cents = cents - old.amount
    WHERE brand_id = old.brand_id AND paid_at = old.paid_at;
  DELETE FROM payout_runs WHERE brand_id = old.brand_id AND paid_at = old.paid_at AND commissions = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_runs_out AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  FOR EACH ROW WHEN (old.status = 'paid' AND old.kind = 'cash' AND old.paid_at IS NOT NULL)
  EXECUTE FUNCTION payout_runs_out();

CREATE FUNCTION payout_runs_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO payout_runs AS t (brand_id, paid_at, commissions, cents) VALUES (new.brand_id, new.paid_at, 1, new.amount)
    ON CONFLICT (brand_id, paid_at) DO UPDATE SET commissions = t.commissions + 1, cents = t.cents + excluded.cents;
  RETURN NULL;
END $$;
CREATE TRIGGER payout_runs_in AFTER UPDATE OF status, kind, amount, paid_at ON rewards
  FOR EACH ROW WHEN (new.status = 'paid' AND new.kind = 'cash' AND new.paid_at IS NOT NULL)
  EXECUTE FUNCTION payout_runs_in();

-- ======================================================================== rate limits (PostgreSQL only)
-- The request budgets of every collector process on this database (db/pg/rateLimitStore.ts): one row per counter,
-- its hits in the current window and when that window ends (ms since the epoch, the server's clock). SQLite has no
-- such table: its one collector process counts in memory. UNLOGGED: counters are not worth a WAL write per request,
-- and a crash that empties them only gives every client a fresh window.
CREATE UNLOGGED TABLE rate_limits (
  key       text COLLATE "C" PRIMARY KEY,
  hits      bigint NOT NULL,
  reset_at  bigint NOT NULL
);
