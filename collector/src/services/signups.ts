// Self sign-up (issue 14): someone joins a campaign from its public page (/portal/join/BRAND/CAMPAIGN) as a new advocate
// of it, pending an owner's approval or active at once by the campaign's `signup` setting; and an owner's approval of a
// pending sign-up. The page never tells whether an email already belongs to an advocate of the brand.
import type { Brand } from '../db/brands.ts';
import type { Campaign } from '../db/campaigns.ts';
import type { Queries } from '../db/queries.ts';
import { notFound } from '../errors.ts';
import { zCreateAdvocateRequest, zUpdateAdvocateRequest } from '../schemas/advocates.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';
import { createAdvocate, findAdvocate, getAdvocate, updateAdvocate } from './advocates.ts';
import { PORTAL_PATH } from './portal.ts';

/** The public page of a campaign's sign-up (the brand in the address: campaign ids are counted, not secret). */
export const joinPath = (brandId: string, campaignId: number): string =>
  `${PORTAL_PATH}/join/${encodeURIComponent(brandId)}/${campaignId}`;

const CAMPAIGN_ID = /^[1-9]\d{0,15}$/;

/**
 * The brand and campaign a join address names, when that campaign takes sign-ups (active, `signup` not closed);
 * undefined for anything else (no such brand, a campaign of another brand, closed, archived), which is one 404.
 */
export async function joinableByAddress(q: Queries, brandId: string, campaignId: string): Promise<{ brand: Brand; campaign: Campaign } | undefined> {
  if (!CAMPAIGN_ID.test(campaignId) || brandId.length > 100) return undefined;
  const brand = await q.brands.getBrand(brandId);
  const campaign = brand && await q.campaigns.find(brand.id, Number(campaignId));
  if (!brand || !campaign || campaign.status !== 'active' || campaign.signup === 'closed') return undefined;
  return { brand, campaign };
}

export interface SignUpRequest { name: string; email: string }

/**
 * What a sign-up page answers: `joined` with the new advocate's code when they are active at once; `received` when
 * they wait for approval, and also when the email already is an advocate of the brand (nothing is written then, and
 * the answer does not say so).
 */
export type SignUpOutcome = { kind: 'joined'; advocateId: number; code: string } | { kind: 'received' };

/** The sign-up itself, in a commit-queue job: the advocate, their code and the events, or nothing at all. */
export async function signUp(ctx: Ctx, campaignId: number, req: SignUpRequest): Promise<SignUpOutcome> {
  const { q, brand } = ctx;
  // Under the lock an archive or a campaign change takes (services/campaigns.ts), so the setting read here holds until
  // the commit; sign-ups of one brand take turns across collector processes.
  await q.locks.hold({ campaignsOf: brand.id });
  const campaign = await q.campaigns.find(brand.id, campaignId);
  if (!campaign || campaign.status !== 'active' || campaign.signup === 'closed') throw notFound('campaign taking sign-ups');
  if (await q.advocates.idByEmail(brand.id, req.email) !== undefined) return { kind: 'received' };
  const status = campaign.signup === 'open' ? 'active' : 'pending';
  const advocate = await createAdvocate(ctx, zCreateAdvocateRequest.parse({ email: req.email, name: req.name, status, campaign_id: campaign.id }));
  await publish(ctx, 'advocate.signed_up', () => getAdvocate(ctx, advocate.id), advocateSubject(advocate.id));
  return status === 'active' ? { kind: 'joined', advocateId: advocate.id, code: advocate.referral_code! } : { kind: 'received' };
}

/**
 * An owner approves a pending advocate: active, their codes attribute from now on (advocate.updated). An advocate who
 * is not pending is answered as they are, `approved: false`, and nothing changes (the dashboard says so).
 */
export async function approveSignUp(ctx: Ctx, id: number): Promise<{ approved: boolean; name: string; status: string }> {
  const advocate = await findAdvocate(ctx, id);
  if (advocate.status !== 'pending') return { approved: false, name: advocate.name, status: advocate.status };
  const active = await updateAdvocate(ctx, id, zUpdateAdvocateRequest.parse({ status: 'active' }));
  return { approved: true, name: active.name, status: active.status };
}
