// The advocate portal's rules: how long an entry link and a session live.

/** An entry link works once, within an hour of being made (as a dashboard sign-in link). */
export const PORTAL_LINK_TTL_MS = 60 * 60_000;
/** A portal session ends a day after its entry (or at sign-out): an advocate comes back through a new link or SSO. */
export const PORTAL_SESSION_MS = 24 * 60 * 60_000;
/** last_seen_at is written at most once a minute per session. */
export const PORTAL_TOUCH_MS = 60_000;
