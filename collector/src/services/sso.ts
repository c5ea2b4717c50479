// Use cases of single sign-on (002_*'s /sso): a site's logged-in customer recognised as an advocate (the signature is
// checked by http/routes/sso.ts before this runs), the session token that lets the portal and widget act as that
// advocate and nothing more, and the operator's customer mappings.
import { randomBytes } from 'node:crypto';
import { hashKey } from '../domain/keys.ts';
import { SSO_SESSION_S } from '../domain/sso.ts';
import type { SsoMapping } from '../db/sso.ts';
import type { Queries } from '../db/queries.ts';
import { ApiError } from '../errors.ts';
import { listPage, type Page } from '../http/query.ts';
import { zCreateAdvocateRequest } from '../schemas/advocates.ts';
import type { CreateMappingRequest, RecognizeRequest } from '../schemas/sso.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import { createAdvocate } from './advocates.ts';
import type { Ctx } from './context.ts';

/** A session token: its prefix says what it is (never an API key: the API's key check refuses it). */
export const SESSION_TOKEN_PREFIX = 'rl_st_';

export const mappingView = (m: SsoMapping) => ({
  id: m.id,
  advocate_id: m.advocateId,
  external_customer_id: m.externalCustomerId,
  external_email: m.externalEmail,
  external_name: m.externalName,
  created_at: m.createdAt,
});

export type MappingView = ReturnType<typeof mappingView>;

const noMapping = (why: string) => new ApiError(404, 'not_found', `No advocate for this customer: ${why}`, [
  { field: 'external_customer_id', message: why },
]);

/** The advocate an unmapped customer becomes: the brand's advocate with that email, else a new one in the default campaign. */
async function enrolled(ctx: Ctx, req: RecognizeRequest): Promise<{ advocateId: number; created: boolean }> {
  const email = req.externalEmail!;
  const existing = await ctx.q.advocates.idByEmail(ctx.brand.id, email);
  if (existing !== undefined) return { advocateId: existing, created: false };
  const name = req.externalName ?? email.slice(0, email.indexOf('@'));
  const advocate = await createAdvocate(ctx, zCreateAdvocateRequest.parse({ email, name }));
  return { advocateId: advocate.id, created: true };
}

/**
 * POST /sso/recognize, once the signature is checked: the customer's advocate by their mapping; without one, when the
 * request carries an email and the brand enrols (sso_auto_enrol), the advocate of that email or a new one, mapped now;
 * otherwise a 404 naming external_customer_id. A blocked advocate is a 403. Answers a session token of SSO_SESSION_S.
 */
export async function recognize(ctx: Ctx, req: RecognizeRequest) {
  const { q, brand, now } = ctx;
  // One customer at a time, across collector processes: mapped once, enrolled once.
  await q.locks.hold({ ssoCustomerOf: brand.id, externalCustomerId: req.externalCustomerId });
  let mapping = await q.sso.findByCustomer(brand.id, req.externalCustomerId);
  let enrolledNow = false;
  if (!mapping) {
    if (req.externalEmail === null) throw noMapping('this customer is not mapped to an advocate, and no external_email was given to enrol them');
    if (!brand.ssoAutoEnrol) throw noMapping('this customer is not mapped to an advocate, and this brand does not enrol customers (sso_auto_enrol is off)');
    const { advocateId, created } = await enrolled(ctx, req);
    enrolledNow = created;
    await q.sso.insert(brand.id, {
      advocateId, externalCustomerId: req.externalCustomerId, externalEmail: req.externalEmail, externalName: req.externalName, createdAt: now.toISOString(),
    });
    mapping = (await q.sso.findByCustomer(brand.id, req.externalCustomerId))!;
  }
  const advocate = (await q.advocates.findRecord(brand.id, mapping.advocateId))!;
  if (advocate.status === 'blocked') throw new ApiError(403, 'advocate_blocked', `Advocate ${advocate.id} is blocked: no session is opened for them`);
  const token = `${SESSION_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + SSO_SESSION_S * 1000).toISOString();
  await q.sso.insertSession(brand.id, advocate.id, hashKey(token), expiresAt, now.toISOString());
  const recognized = { advocate_id: advocate.id, external_customer_id: mapping.externalCustomerId, mapping_id: mapping.id, enrolled: enrolledNow, expires_at: expiresAt };
  await publish(ctx, 'advocate.recognized', () => recognized, advocateSubject(advocate.id));
  return { advocate_id: advocate.id, session_token: token, expires_at: expiresAt, enrolled: enrolledNow };
}

/** The session a token opens: its brand and advocate, or a 401 (unknown, or expired at `now`). */
export async function sessionOf(q: Queries, token: string | undefined, now: Date) {
  const unauthorized = (message: string) => new ApiError(401, 'invalid_session', message);
  if (!token || !token.startsWith(SESSION_TOKEN_PREFIX)) throw unauthorized('Authorization: Bearer <session token> from POST /sso/recognize is required');
  const session = await q.sso.session(hashKey(token));
  if (!session) throw unauthorized('This session token is not known');
  if (session.expiresAt <= now.toISOString()) throw unauthorized('This session token has expired: recognise the customer again');
  return session;
}

/** POST /sso/mappings: the operator ties a site's customer to an advocate of the brand. */
export async function createMapping(ctx: Ctx, req: CreateMappingRequest): Promise<MappingView> {
  const { q, brand, now } = ctx;
  if (!await q.advocates.findRecord(brand.id, req.advocateId)) {
    throw new ApiError(404, 'not_found', `advocate_id: no advocate ${req.advocateId} in this brand`, [{ field: 'advocate_id', message: 'no such advocate in this brand' }]);
  }
  await q.locks.hold({ ssoCustomerOf: brand.id, externalCustomerId: req.externalCustomerId });
  const id = await q.sso.insert(brand.id, { ...req, createdAt: now.toISOString() });
  if (id === undefined) {
    throw new ApiError(409, 'mapping_exists', 'This customer is mapped already: delete that mapping first', [
      { field: 'external_customer_id', message: 'is mapped to an advocate already' },
    ]);
  }
  return mappingView((await q.sso.find(brand.id, id))!);
}

export async function deleteMapping(ctx: Ctx, id: number): Promise<{ id: number; deleted: true }> {
  if (!await ctx.q.sso.remove(ctx.brand.id, id)) throw new ApiError(404, 'not_found', `No mapping ${id} for this brand`);
  return { id, deleted: true };
}

/** GET /sso/mappings: newest first, the brand's or one advocate's. */
export const listMappings = (ctx: Ctx, advocateId: number | undefined, page: Page) =>
  listPage('mappings', page, async (slice) => {
    const p = await ctx.q.sso.page(ctx.brand.id, advocateId, slice);
    return { ...p, rows: p.rows.map(mappingView) };
  }, () => ctx.q.sso.total(ctx.brand.id, advocateId));

