-- Privacy (issue 16): a person's data on request and their erasure, Global Privacy Control, visit retention.

-- Brand settings. visit_retention_days: visits older than this many days are deleted by the retention sweep
-- (jobs/retention.ts); NULL keeps them. respect_gpc: a visit sent with `Sec-GPC: 1` is not recorded.
ALTER TABLE brands ADD COLUMN visit_retention_days INTEGER CHECK (visit_retention_days IS NULL OR visit_retention_days BETWEEN 1 AND 3650);
ALTER TABLE brands ADD COLUMN respect_gpc INTEGER NOT NULL DEFAULT 0 CHECK (respect_gpc IN (0, 1));

-- When a row's person was erased: the row stays for the books (amounts, commissions, counters), without them.
ALTER TABLE advocates ADD COLUMN erased_at TEXT;
ALTER TABLE claims ADD COLUMN erased_at TEXT;
ALTER TABLE conversions ADD COLUMN erased_at TEXT;

-- One row per erasure: when, by which key (or the CLI), how many rows of each table. Never the email: its HMAC
-- (keyed by a per-brand key derived from the master key, services/people.ts), so a later request for the same
-- email can be told it was done, and a copy of this file alone cannot test guessed emails against it.
CREATE TABLE erasures (
  id          INTEGER PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands (id),
  email_hash  TEXT NOT NULL,
  actor       TEXT NOT NULL,
  key_id      INTEGER,
  counts      TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX erasures_email ON erasures (brand_id, email_hash);

-- A person's refunds, found from their conversions and claims (export and erasure) without a walk of the brand's.
CREATE INDEX refunds_conversion ON refunds (brand_id, conversion_id);
CREATE INDEX refunds_claim ON refunds (brand_id, claim_id);

-- Stored Idempotency-Key answers that name a person, found without reading every answer of the brand (a scan of 300,000
-- answers for the strings of one person took 12.8 s): an advocate's answers by the advocate's id (POST/PATCH
-- /advocates, a code's), a visit's by its visitor id, a claim's, a conversion's and a refund's by their ids. Partial:
-- only the answers that hold the field are in each index.
CREATE INDEX idempotency_advocate ON idempotency_keys (brand_id, json_extract(response, '$.data.advocate.id'))
  WHERE json_extract(response, '$.data.advocate.id') IS NOT NULL;
CREATE INDEX idempotency_code_advocate ON idempotency_keys (brand_id, json_extract(response, '$.data.referral.advocate_id'))
  WHERE json_extract(response, '$.data.referral.advocate_id') IS NOT NULL;
CREATE INDEX idempotency_visitor ON idempotency_keys (brand_id, json_extract(response, '$.data.visitor_id'))
  WHERE json_extract(response, '$.data.visitor_id') IS NOT NULL;
CREATE INDEX idempotency_claim ON idempotency_keys (brand_id, json_extract(response, '$.data.claim_id'))
  WHERE json_extract(response, '$.data.claim_id') IS NOT NULL;
CREATE INDEX idempotency_conversion ON idempotency_keys (brand_id, json_extract(response, '$.data.conversion_id'))
  WHERE json_extract(response, '$.data.conversion_id') IS NOT NULL;

-- A deleted search row is removed from the FTS5 index itself instead of being masked by a delete marker in a newer
-- segment (the default), so an erased advocate's name and email words do not stay in old segments.
INSERT INTO advocate_search (advocate_search, rank) VALUES ('secure-delete', 1);
INSERT INTO referral_search (referral_search, rank) VALUES ('secure-delete', 1);

-- Retention deletes old visits, but every click stays counted: the code's click_count (never touched by a delete)
-- and the per-day clicks of migration 009, whose delete trigger would take them off. Visits are only ever deleted by
-- retention, so the trigger goes: a day's clicks are the clicks of that day, also once its visits are gone.
DROP TRIGGER IF EXISTS visits_daily_delete;
