// The portal's sessions: an entry link used once within its hour opens a session that names one brand and one advocate
// and nothing else; who is in with a cookie; last seen; sign-out. (Its refusals are the portal's pages', not the API's.)
import { ApiError } from '../errors.ts';
import type { AdvocateRecord } from '../db/advocates.ts';
import type { Brand } from '../db/brands.ts';
import type { Queries } from '../db/queries.ts';
import { hashKey } from '../domain/keys.ts';
import { PORTAL_SESSION_MS, PORTAL_TOUCH_MS } from '../domain/portal.ts';
import { isTokenShaped, newToken } from '../domain/sessions.ts';
import { sessionOf } from './sso.ts';

export interface NewPortalSession { token: string; brandId: string; advocateId: number; expiresAt: string }

const linkRefused = () => new ApiError(410, 'link_used_or_expired', 'This portal link has been used or has expired: ask for a new one');

/** A session for the link's advocate, the link used up (410 when used, expired, or the advocate is blocked). */
export async function enterWithLink(q: Queries, token: string, now: Date): Promise<NewPortalSession> {
  const hash = isTokenShaped(token) ? hashKey(token) : null;
  const link = hash ? await q.portal.link(hash) : undefined;
  if (!hash || !link || link.usedAt !== null || Date.parse(link.expiresAt) <= now.getTime()) throw linkRefused();
  const advocate = await q.advocates.findRecord(link.brandId, link.advocateId);
  if (!advocate || advocate.status === 'blocked') throw linkRefused();
  if (!await q.portal.useLink(hash, now.toISOString())) throw linkRefused();
  return openSession(q, link.brandId, advocate.id, now);
}

/** A new session of the advocate, PORTAL_SESSION_MS long (its token is the cookie; only its hash is stored). */
async function openSession(q: Queries, brandId: string, advocateId: number, now: Date): Promise<NewPortalSession> {
  const session = newToken();
  const expiresAt = new Date(now.getTime() + PORTAL_SESSION_MS).toISOString();
  await q.portal.insertSession({ brandId, advocateId, tokenHash: hashKey(session), csrf: newToken(), at: now.toISOString(), expiresAt });
  return { token: session, brandId, advocateId, expiresAt };
}

/**
 * Entry by an SSO session token (POST /sso/recognize's, posted by the site's page to /portal/sso): a portal session for
 * the token's advocate, of the token's brand. The token stays valid (the widget may hold it too); the portal session
 * lasts as one opened by a link. 401 for a token unknown or expired, 403 for a blocked advocate, or when the form was
 * sent from a page (`origin`) that is neither the collector's (`own`) nor on the brand's allowed origins.
 */
export async function enterWithSsoToken(q: Queries, token: string, now: Date, from: { origin: string | undefined; own: string[] }): Promise<NewPortalSession> {
  const sso = await sessionOf(q, token, now);
  const [brand, advocate] = await Promise.all([q.brands.getBrand(sso.brandId), q.advocates.findRecord(sso.brandId, sso.advocateId)]);
  if (!brand || !advocate) throw new ApiError(401, 'invalid_session', 'This session token is not known');
  if (from.origin !== undefined && !from.own.includes(from.origin) && !brand.allowedOrigins.includes(from.origin)) {
    throw new ApiError(403, 'origin_not_allowed', `This sign-in was sent from ${from.origin.slice(0, 100)}, which is not one of the shop's sites`);
  }
  if (advocate.status === 'blocked') throw new ApiError(403, 'advocate_blocked', 'The referral portal is closed to you: ask the shop');
  return openSession(q, brand.id, advocate.id, now);
}

/** Who is in the portal with this cookie: the advocate, their brand, the session's CSRF token; null if nobody. */
export interface PortalViewer {
  brand: Brand;
  advocate: AdvocateRecord;
  csrf: string;
  sessionHash: string;
  expiresAt: string;
  /** last seen over a minute ago: the caller writes it (a commit-queue job) */
  stale: boolean;
}

export async function portalViewer(q: Queries, token: string, now: Date): Promise<PortalViewer | null> {
  if (!isTokenShaped(token)) return null;
  const hash = hashKey(token);
  const s = await q.portal.session(hash);
  if (!s || s.endedAt !== null || Date.parse(s.expiresAt) <= now.getTime()) return null;
  const [brand, advocate] = await Promise.all([q.brands.getBrand(s.brandId), q.advocates.findRecord(s.brandId, s.advocateId)]);
  if (!brand || !advocate || advocate.status === 'blocked') return null;
  return { brand, advocate, csrf: s.csrf, sessionHash: hash, expiresAt: s.expiresAt, stale: now.getTime() - Date.parse(s.lastSeenAt) >= PORTAL_TOUCH_MS };
}

export const touchPortalSession = (q: Queries, sessionHash: string, now: Date): Promise<void> => q.portal.touchSession(sessionHash, now.toISOString());
export const endPortalSession = (q: Queries, sessionHash: string, now: Date): Promise<void> => q.portal.endSession(sessionHash, now.toISOString());

