-- Several named keys per brand ("give each integration its own API key, so you can revoke one without breaking
-- others"), each with the time it was last used (written at most about once a minute per key, see keyUsage.ts).
-- Keys made before this migration are the brand's `default` secret key and its `tracker` publishable key.
ALTER TABLE api_keys ADD COLUMN name TEXT NOT NULL DEFAULT 'default' CHECK (length(name) BETWEEN 1 AND 64);
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
UPDATE api_keys SET name = 'tracker' WHERE kind = 'publishable';
-- An active key's name is unique in its brand, so a name says which integration a key belongs to.
CREATE UNIQUE INDEX api_keys_active_name ON api_keys (brand_id, name) WHERE revoked_at IS NULL;
