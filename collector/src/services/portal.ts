// The advocate portal's management use case: an owner makes a single-use entry link for one of the brand's advocates
// (the link, used once within its hour, opens a session: services/portalSessions.ts).
import { ApiError } from '../errors.ts';
import type { AdvocateRecord } from '../db/advocates.ts';
import type { Brand } from '../db/brands.ts';
import { hashKey } from '../domain/keys.ts';
import { PORTAL_LINK_TTL_MS } from '../domain/portal.ts';
import { newToken } from '../domain/sessions.ts';
import type { Ctx } from './context.ts';
import { findAdvocate } from './advocates.ts';

export const PORTAL_PATH = '/portal';

const blocked = (a: AdvocateRecord) => new ApiError(403, 'advocate_blocked', `Advocate ${a.id} is blocked: the portal is closed to them`);

/** POST /advocates/:id/portal-link: the link (under the collector's public address) and when it stops working. */
export async function createPortalLink(ctx: Ctx, advocateId: number, publicUrl: string): Promise<{ url: string; expires_at: string }> {
  const advocate = await findAdvocate(ctx, advocateId);
  if (advocate.status === 'blocked') throw blocked(advocate);
  const token = newToken();
  const expiresAt = new Date(ctx.now.getTime() + PORTAL_LINK_TTL_MS).toISOString();
  await ctx.q.portal.insertLink(ctx.brand.id, advocate.id, hashKey(token), expiresAt, ctx.now.toISOString());
  return { url: `${publicUrl}${PORTAL_PATH}/enter/${token}`, expires_at: expiresAt };
}

/** The advocate's referral link: the brand's first allowed origin with ?ref=CODE (the code alone when it has none). */
export const referralLink = (brand: Brand, code: string): string =>
  (brand.allowedOrigins[0] ? `${brand.allowedOrigins[0].replace(/\/+$/, '')}/?ref=${encodeURIComponent(code)}` : code);
