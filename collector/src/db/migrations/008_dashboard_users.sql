-- The owner's dashboard: its users (each of one brand, `owner` or `viewer`), their single-use sign-in links and
-- their sessions. Tokens are kept as SHA-256 hashes only (like API keys): a copy of the file signs nobody in.
CREATE TABLE dashboard_users (
  id             INTEGER PRIMARY KEY,
  brand_id       TEXT NOT NULL REFERENCES brands (id),
  email          TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role           TEXT NOT NULL CHECK (role IN ('owner', 'viewer')),
  -- scrypt$N$r$p$salt$hash (base64url), or NULL while the user signs in by link only
  password_hash  TEXT,
  created_at     TEXT NOT NULL,
  disabled_at    TEXT
) STRICT;
-- An email is one user per brand (compared as written in lower case, see services/dashboardUsers.ts).
CREATE UNIQUE INDEX dashboard_users_email ON dashboard_users (brand_id, email);
-- Sign-in by email and password finds the user (and so the brand) by email alone, like a token finds its session.
CREATE INDEX dashboard_users_by_email ON dashboard_users (email);

CREATE TABLE dashboard_login_tokens (
  token_hash  TEXT PRIMARY KEY,
  brand_id    TEXT NOT NULL REFERENCES brands (id),
  user_id     INTEGER NOT NULL REFERENCES dashboard_users (id),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;
CREATE INDEX dashboard_login_tokens_user ON dashboard_login_tokens (brand_id, user_id);

CREATE TABLE dashboard_sessions (
  token_hash    TEXT PRIMARY KEY,
  brand_id      TEXT NOT NULL REFERENCES brands (id),
  user_id       INTEGER NOT NULL REFERENCES dashboard_users (id),
  -- the synchronizer token every changing form carries
  csrf_token    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  ended_at      TEXT
) STRICT;
CREATE INDEX dashboard_sessions_user ON dashboard_sessions (brand_id, user_id);
