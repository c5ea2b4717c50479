// Use cases of the dashboard's users: create one, list them, make a single-use sign-in link, sign in with it or
// with a password (a session), set a password, change a role, disable and enable (their sessions end), recognise a
// session from its cookie, sign out. Tokens are returned once and kept only as SHA-256 hashes; passwords as scrypt.
import type { DashboardRole, DashboardUser } from '../db/dashboardUsers.ts';
import type { Brand } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import { ApiError } from '../errors.ts';
import { hashKey } from '../domain/keys.ts';
import { NO_USER_HASH, hashPassword, verifyPassword } from '../domain/passwords.ts';
import { LOGIN_LINK_TTL_MS, isTokenShaped, needsTouch, newToken, sessionIsLive } from '../domain/sessions.ts';
import type { CreateDashboardUser, DashboardRoleName, PasswordSignIn, SetPassword } from '../schemas/dashboard.ts';
import type { Ctx } from './context.ts';

/** Where a sign-in link points: the collector's public address and the token. */
export const loginUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/+$/, '')}/dashboard/sign-in/${token}`;

export interface PublicUser { user_id: number; email: string; role: DashboardRole; created_at: string; has_password: boolean; disabled: boolean }

export const publicUser = (u: DashboardUser): PublicUser => ({
  user_id: u.id, email: u.email, role: u.role, created_at: u.created_at, has_password: u.password_hash !== null, disabled: u.disabled_at !== null,
});

/** A new user of the brand (409 `email_taken` when the email already has one) and their first sign-in link. */
export async function createDashboardUser({ q, brand, now }: Ctx, input: CreateDashboardUser): Promise<{ user: PublicUser; token: string }> {
  if (await q.dashboardUsers.userByEmail(brand.id, input.email)) {
    throw new ApiError(409, 'email_taken', 'A dashboard user with this email already exists for this brand', [{ field: 'email', message: 'already has a user' }]);
  }
  const id = await q.dashboardUsers.insertUser(brand.id, input.email, input.role, now.toISOString());
  return { user: publicUser((await q.dashboardUsers.userById(brand.id, id))!), token: await issueLoginToken({ q, brand, now }, id) };
}

/** A new single-use sign-in link's token for a user of the brand; earlier links keep working until used or expired. */
export async function issueLoginToken({ q, brand, now }: Ctx, userId: number): Promise<string> {
  const token = newToken();
  await q.dashboardUsers.insertLoginToken(hashKey(token), brand.id, userId, now.toISOString(), new Date(now.getTime() + LOGIN_LINK_TTL_MS).toISOString());
  return token;
}

export async function userByEmail({ q, brand }: Ctx, email: string): Promise<DashboardUser> {
  const user = await q.dashboardUsers.userByEmail(brand.id, email);
  if (!user) throw new ApiError(404, 'not_found', 'No dashboard user with this email for this brand', [{ field: 'email', message: 'has no user' }]);
  return user;
}

/** A user of the brand by id: another brand's id is a 404, as if it did not exist. */
export async function userOfBrand({ q, brand }: Ctx, userId: number): Promise<DashboardUser> {
  const user = await q.dashboardUsers.userById(brand.id, userId);
  if (!user) throw new ApiError(404, 'not_found', 'No dashboard user with this id for this brand');
  return user;
}

export const listDashboardUsers = async ({ q, brand }: Pick<Ctx, 'q' | 'brand'>): Promise<PublicUser[]> => (await q.dashboardUsers.users(brand.id)).map(publicUser);

const disabledRefused = () => new ApiError(409, 'user_disabled', 'This dashboard user is disabled: enable them first (the users page)');

/** `referloop user login-link` and the users page: a new sign-in link for an enabled user of the brand. */
export async function newLoginLink(ctx: Ctx, user: DashboardUser): Promise<{ user: PublicUser; token: string }> {
  if (user.disabled_at !== null) throw disabledRefused();
  return { user: publicUser(user), token: await issueLoginToken(ctx, user.id) };
}

/** Nobody changes their own role or disables themselves: a brand always keeps the owner who is acting. */
function notSelf(actorId: number, user: DashboardUser, what: string): void {
  if (user.id === actorId) throw new ApiError(409, 'own_account', `You cannot ${what} your own account: another owner of this brand can`);
}

export async function changeRole(ctx: Ctx, actorId: number, userId: number, role: DashboardRoleName): Promise<PublicUser> {
  const user = await userOfBrand(ctx, userId);
  notSelf(actorId, user, 'change the role of');
  await ctx.q.dashboardUsers.setRole(ctx.brand.id, user.id, role);
  return publicUser((await ctx.q.dashboardUsers.userById(ctx.brand.id, user.id))!);
}

/** Disabling ends every session of the user at once and uses up their unused links (enabling them does not revive one). */
export async function setUserDisabled(ctx: Ctx, actorId: number, userId: number, disabled: boolean): Promise<PublicUser> {
  const user = await userOfBrand(ctx, userId);
  notSelf(actorId, user, disabled ? 'disable' : 'enable');
  const at = ctx.now.toISOString();
  await ctx.q.dashboardUsers.setDisabled(ctx.brand.id, user.id, disabled ? (user.disabled_at ?? at) : null);
  if (disabled) {
    await ctx.q.dashboardUsers.endUserSessions(ctx.brand.id, user.id, at);
    await ctx.q.dashboardUsers.useUserLoginTokens(ctx.brand.id, user.id, at);
  }
  return publicUser((await ctx.q.dashboardUsers.userById(ctx.brand.id, user.id))!);
}

const wrongCurrent = () => new ApiError(400, 'invalid_request', 'current_password: is not your current password',
  [{ field: 'current_password', message: 'is not your current password' }]);

/**
 * The account page: the new password's scrypt hash, made off the event loop before anything is written; the current
 * password is required (and checked) when one is set. Answers the hash for savePassword to write.
 */
export async function preparePassword(user: Pick<DashboardUser, 'password_hash'>, input: SetPassword): Promise<string> {
  if (user.password_hash !== null) {
    if (!input.current_password || !(await verifyPassword(input.current_password, user.password_hash))) throw wrongCurrent();
  }
  return hashPassword(input.password);
}

/**
 * Writes the hash preparePassword made, unless the password changed in between (then the current one checked is no
 * longer current: refused), and ends the user's other sessions: a new password signs out whoever had the old one.
 */
export async function savePassword(ctx: Ctx, userId: number, checkedHash: string | null, newHash: string, keepSessionHash: string): Promise<void> {
  const user = await userOfBrand(ctx, userId);
  if (user.password_hash !== checkedHash) throw wrongCurrent();
  await ctx.q.dashboardUsers.setPassword(ctx.brand.id, user.id, newHash);
  await ctx.q.dashboardUsers.endOtherSessions(ctx.brand.id, user.id, keepSessionHash, ctx.now.toISOString());
}

export const passwordRefused = () => new ApiError(401, 'sign_in_failed', 'This email and password do not match a dashboard user with a password',
  [{ field: 'password', message: 'does not match this email' }]);

/**
 * Sign-in by email and password (read side, off the event loop): the user whose password matches. The same email
 * may be a user of several brands: each one's password is tried, the first that matches wins (oldest user first).
 * An unknown email costs one scrypt too, so the answer's time does not tell which emails have users.
 */
export async function checkPassword(q: Queries, input: PasswordSignIn): Promise<DashboardUser> {
  const candidates = await q.dashboardUsers.passwordUsersByEmail(input.email);
  if (candidates.length === 0) {
    await verifyPassword(input.password, NO_USER_HASH);
    throw passwordRefused();
  }
  for (const user of candidates) if (await verifyPassword(input.password, user.password_hash!)) return user;
  throw passwordRefused();
}

/** The session of a user checkPassword found, unless they were disabled or their password changed meanwhile. */
export async function signInWithPassword(q: Queries, checked: DashboardUser, now: Date): Promise<NewSession> {
  const user = await q.dashboardUsers.userById(checked.brand_id, checked.id);
  if (!user || user.disabled_at !== null || user.password_hash !== checked.password_hash) throw passwordRefused();
  return startSession(q, user, now);
}

export interface NewSession { token: string; csrf: string; brandId: string; userId: number }

const linkRefused = () => new ApiError(410, 'link_used_or_expired', 'This sign-in link has been used or has expired: ask for a new one');

/** A session for the link's user, the link used up (410 when it was used, expired, or the user is disabled). */
export async function signInWithLink(q: Queries, token: string, now: Date): Promise<NewSession> {
  const hash = isTokenShaped(token) ? hashKey(token) : null;
  const row = hash ? await q.dashboardUsers.loginToken(hash) : undefined;
  if (!row || row.used_at !== null || Date.parse(row.expires_at) <= now.getTime()) throw linkRefused();
  const user = await q.dashboardUsers.userById(row.brand_id, row.user_id);
  if (!user || user.disabled_at !== null) throw linkRefused();
  if (!await q.dashboardUsers.useLoginToken(row.token_hash, now.toISOString())) throw linkRefused();
  return startSession(q, user, now);
}

/** A new session of a signed-in user (by link or by password). */
export async function startSession(q: Queries, user: DashboardUser, now: Date): Promise<NewSession> {
  const token = newToken();
  const csrf = newToken();
  await q.dashboardUsers.insertSession(hashKey(token), user.brand_id, user.id, csrf, now.toISOString());
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

export async function sessionViewer(q: Queries, token: string, now: Date): Promise<Viewer | null> {
  if (!isTokenShaped(token)) return null;
  const hash = hashKey(token);
  const s = await q.dashboardUsers.session(hash);
  if (!s || !sessionIsLive(s, now)) return null;
  const user = await q.dashboardUsers.userById(s.brand_id, s.user_id);
  const brand = await q.brands.getBrand(s.brand_id);
  if (!user || user.disabled_at !== null || !brand) return null;
  return { user: publicUser(user), brand, csrf: s.csrf_token, sessionHash: hash, stale: needsTouch(s, now) };
}

export const touchSession = (q: Queries, sessionHash: string, now: Date): Promise<void> => q.dashboardUsers.touchSession(sessionHash, now.toISOString());

export const endSession = (q: Queries, sessionHash: string, now: Date): Promise<void> => q.dashboardUsers.endSession(sessionHash, now.toISOString());
