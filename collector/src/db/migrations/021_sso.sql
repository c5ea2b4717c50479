-- Single sign-on (issue 13, 002_*'s /sso): a site recognises its logged-in customer as an advocate without a second
-- login. A mapping ties the site's customer id to an advocate; a session is the short-lived token POST /sso/recognize
-- hands out, kept only as its SHA-256 hash (as API keys are), for the portal and widget to act as that advocate.
-- sso_auto_enrol: a recognised customer with no mapping but with an email becomes an advocate of the default campaign
-- (or is tied to the advocate who has that email) and is mapped; 0: such a customer is a 404.
ALTER TABLE brands ADD COLUMN sso_auto_enrol INTEGER NOT NULL DEFAULT 1 CHECK (sso_auto_enrol IN (0, 1));

CREATE TABLE sso_mappings (
  id                    INTEGER PRIMARY KEY,
  brand_id              TEXT NOT NULL REFERENCES brands (id),
  advocate_id           INTEGER NOT NULL REFERENCES advocates (id),
  external_customer_id  TEXT NOT NULL CHECK (length(external_customer_id) BETWEEN 1 AND 255),
  external_email        TEXT CHECK (external_email IS NULL OR length(external_email) <= 320),
  external_name         TEXT CHECK (external_name IS NULL OR length(external_name) <= 200),
  created_at            TEXT NOT NULL
) STRICT;
-- One advocate per customer of the site; the list in id order; an advocate's mappings and an email's (a person's export
-- and erasure).
CREATE UNIQUE INDEX sso_mappings_customer ON sso_mappings (brand_id, external_customer_id);
CREATE INDEX sso_mappings_brand ON sso_mappings (brand_id, id);
CREATE INDEX sso_mappings_advocate ON sso_mappings (brand_id, advocate_id);
CREATE INDEX sso_mappings_email ON sso_mappings (brand_id, external_email) WHERE external_email IS NOT NULL;

CREATE TABLE sso_sessions (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  advocate_id  INTEGER NOT NULL REFERENCES advocates (id),
  -- hex SHA-256 of the token: the token itself is never stored
  token_hash   TEXT NOT NULL UNIQUE,
  expires_at   TEXT NOT NULL,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX sso_sessions_advocate ON sso_sessions (brand_id, advocate_id);
CREATE INDEX sso_sessions_expiry ON sso_sessions (expires_at);
