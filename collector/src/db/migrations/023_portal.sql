-- The advocate portal (issue 14, /portal): an advocate enters through a single-use link the owner made (an hour), and
-- is then in a session of their own, which only ever reads and changes that advocate's data. Tokens are kept only as
-- their SHA-256 hash, as the dashboard's are.
CREATE TABLE portal_links (
  id           INTEGER PRIMARY KEY,
  brand_id     TEXT NOT NULL REFERENCES brands (id),
  advocate_id  INTEGER NOT NULL REFERENCES advocates (id),
  token_hash   TEXT NOT NULL UNIQUE,
  expires_at   TEXT NOT NULL,
  -- set when the link was used to enter: it never opens the portal again
  used_at      TEXT,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX portal_links_advocate ON portal_links (brand_id, advocate_id);
CREATE INDEX portal_links_expiry ON portal_links (expires_at);

CREATE TABLE portal_sessions (
  id            INTEGER PRIMARY KEY,
  brand_id      TEXT NOT NULL REFERENCES brands (id),
  advocate_id   INTEGER NOT NULL REFERENCES advocates (id),
  token_hash    TEXT NOT NULL UNIQUE,
  -- the token every form of the session carries
  csrf          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  -- written at most once a minute (the advocate's "last seen" on the dashboard)
  last_seen_at  TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  -- signed out
  ended_at      TEXT
) STRICT;
CREATE INDEX portal_sessions_advocate ON portal_sessions (brand_id, advocate_id, last_seen_at);
CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);
