// Dashboard sign-in rules: how long a sign-in link and a session live, and the random tokens behind them.
import { randomBytes } from 'node:crypto';
import type { SessionRow } from '../db/dashboardUsers.ts';

/** A sign-in link works once, within an hour of being made. */
export const LOGIN_LINK_TTL_MS = 60 * 60_000;
/** A session ends after 8 hours without a request (a working day), and 7 days after sign-in whatever happens. */
export const SESSION_IDLE_MS = 8 * 60 * 60_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60_000;
/** last_seen_at is written at most once a minute per session, so reading pages does not write on every request. */
export const SESSION_TOUCH_MS = 60_000;

/** 32 random bytes, base64url: sign-in links, session cookies and CSRF tokens. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** A token's shape, checked before any lookup (a cookie or path of any other shape is no token). */
export const isTokenShaped = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

export function sessionIsLive(s: Pick<SessionRow, 'created_at' | 'last_seen_at' | 'ended_at'>, now: Date): boolean {
  if (s.ended_at !== null) return false;
  const t = now.getTime();
  return t - Date.parse(s.last_seen_at) < SESSION_IDLE_MS && t - Date.parse(s.created_at) < SESSION_ABSOLUTE_MS;
}

export const needsTouch = (s: Pick<SessionRow, 'last_seen_at'>, now: Date): boolean =>
  now.getTime() - Date.parse(s.last_seen_at) >= SESSION_TOUCH_MS;
