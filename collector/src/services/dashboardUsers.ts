// Use cases of the dashboard's users: create one, make a single-use sign-in link, sign in with it (a session),
// recognise a session from its cookie, sign out. Tokens are returned once and kept only as SHA-256 hashes.
import type { DashboardRole, DashboardUser } from '../db/dashboardUsers.ts';
import type { Brand } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import { ApiError } from '../errors.ts';
import { hashKey } from '../domain/keys.ts';
import { LOGIN_LINK_TTL_MS, isTokenShaped, needsTouch, newToken, sessionIsLive } from '../domain/sessions.ts';
import type { CreateDashboardUser } from '../schemas/dashboard.ts';
import type { Ctx } from './context.ts';

/** Where a sign-in link points: the collector's public address and the token. */
export const loginUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/dashboard/sign-in/${token}`;

export interface PublicUser { user_id: number; email: string; role: DashboardRole; created_at: string; has_password: boolean; disabled: boolean }

export const publicUser = (u: DashboardUser): PublicUser => ({
  user_id: u.id, email: u.email, role: u.role, created_at: u.created_at, has_password: u.password_hash !== null, disabled: u.disabled_at !== null,
});

/** A new user of the brand (409 `email_taken` when the email already has one) and their first sign-in link. */
export function createDashboardUser({ q, brand, now }: Ctx, input: CreateDashboardUser): { user: PublicUser; token: string } {
  if (q.dashboardUsers.userByEmail(brand.id, input.email)) {
    throw new ApiError(409, 'email_taken', 'A dashboard user with this email already exists for this brand', [{ field: 'email', message: 'already has a user' }]);
  }
  const id = q.dashboardUsers.insertUser(brand.id, input.email, input.role, now.toISOString());
  return { user: publicUser(q.dashboardUsers.userById(brand.id, id)!), token: issueLoginToken({ q, brand, now }, id) };
}

/** A new single-use sign-in link's token for a user of the brand; earlier links keep working until used or expired. */
export function issueLoginToken({ q, brand, now }: Ctx, userId: number): string {
  const token = newToken();
  q.dashboardUsers.insertLoginToken(hashKey(token), brand.id, userId, now.toISOString(), new Date(now.getTime() + LOGIN_LINK_TTL_MS).toISOString());
  return token;
}

export function userByEmail({ q, brand }: Ctx, email: string): DashboardUser {
  const user = q.dashboardUsers.userByEmail(brand.id, email);
  if (!user) throw new ApiError(404, 'not_found', 'No dashboard user with this email for this brand', [{ field: 'email', message: 'has no user' }]);
  return user;
}

export interface NewSession { token: string; csrf: string; brandId: string; userId: number }

const linkRefused = () => new ApiError(410, 'link_used_or_expired', 'This sign-in link has been used or has expired: ask for a new one');

/** A session for the link's user, the link used up (410 when it was used, expired, or the user is disabled). */
export function signInWithLink(q: Queries, token: string, now: Date): NewSession {
  const hash = isTokenShaped(token) ? hashKey(token) : null;
  const row = hash ? q.dashboardUsers.loginToken(hash) : undefined;
  if (!row || row.used_at !== null || Date.parse(row.expires_at) <= now.getTime()) throw linkRefused();
  const user = q.dashboardUsers.userById(row.brand_id, row.user_id);
  if (!user || user.disabled_at !== null) throw linkRefused();
  if (!q.dashboardUsers.useLoginToken(row.token_hash, now.toISOString())) throw linkRefused();
  return startSession(q, user, now);
}

/** A new session of a signed-in user (by link or by password). */
export function startSession(q: Queries, user: DashboardUser, now: Date): NewSession {
  const token = newToken();
  const csrf = newToken();
  q.dashboardUsers.insertSession(hashKey(token), user.brand_id, user.id, csrf, now.toISOString());
  return { token, csrf, brandId: user.brand_id, userId: user.id };
}

/** Who is signed in with this session cookie: the user, their brand and the session's CSRF token; null if nobody. */
export interface Viewer {
  user: PublicUser;
  brand: Brand;
  csrf: string;
  sessionHash: string;
  /** the session's last_seen_at is older than a minute: the caller writes it (a commit-queue job) */
  stale: boolean;
}

export function sessionViewer(q: Queries, token: string, now: Date): Viewer | null {
  if (!isTokenShaped(token)) return null;
  const hash = hashKey(token);
  const s = q.dashboardUsers.session(hash);
  if (!s || !sessionIsLive(s, now)) return null;
  const user = q.dashboardUsers.userById(s.brand_id, s.user_id);
  const brand = q.brands.getBrand(s.brand_id);
  if (!user || user.disabled_at !== null || !brand) return null;
  return { user: publicUser(user), brand, csrf: s.csrf_token, sessionHash: hash, stale: needsTouch(s, now) };
}

export const touchSession = (q: Queries, sessionHash: string, now: Date): void => q.dashboardUsers.touchSession(sessionHash, now.toISOString());

export const endSession = (q: Queries, sessionHash: string, now: Date): void => q.dashboardUsers.endSession(sessionHash, now.toISOString());
