// Use cases of a person's privacy requests (API and CLI): everything the brand holds about an email, and its erasure,
// which removes what identifies the person and keeps, without them, what the books need.
import type { Actor } from '../db/rewards.ts';
import type { ErasureRecord, Row } from '../db/people.ts';
import { payoutsOf } from '../domain/privacy.ts';
import { publishAdvocateUpdated } from './advocates.ts';
import { setCommissionStatus } from './commissions.ts';
import type { Ctx } from './context.ts';
import { advocateSubject, claimSubject, conversionSubject, expandInJob, recordSubject, testimonialSubject, visitorSubject } from '../webhooks/outbox.ts';

/** Why an erased advocate's unpaid commissions were rejected (kept in each one's history). */
export const ERASED_REJECT_REASON = "the advocate's data was erased at their request";

/** Who asked: the API key (its id) or the CLI. */
export interface Requester {
  actor: Actor;
  keyId: number | null;
}

const erasureView = (e: ErasureRecord) => ({
  erasure_id: e.id, erased_at: e.createdAt, actor: e.actor, key_id: e.keyId, counts: e.counts,
});

/** The person's records as a customer: their claims and conversions, those rows' refunds, and their visitor ids. */
async function customerRecords(ctx: Ctx, email: string) {
  const { q, brand } = ctx;
  const claims = await q.people.claims(brand.id, email);
  const conversions = await q.people.conversions(brand.id, email);
  const claimIds = claims.map((c) => c.id as number);
  const conversionIds = conversions.map((c) => c.id as number);
  const visitorIds = [...new Set([...claims, ...conversions].map((r) => r.visitor_id).filter((v): v is string => typeof v === 'string' && v !== ''))];
  return { claims, conversions, claimIds, conversionIds, visitorIds };
}

/**
 * GET /api/v1/people?email=E and `referloop person export`: every row the brand holds about the email, as stored
 * (amounts in cents, as their `_cents` names say), and the erasures already made for it.
 */
export async function exportPerson(ctx: Ctx, email: string, emailHash: string) {
  const { q, brand } = ctx;
  const c = await customerRecords(ctx, email);
  const profile: Row | undefined = await q.people.advocate(brand.id, email);
  const id = profile?.id as number | undefined;
  const commissions = id === undefined ? [] : await q.people.rewards(brand.id, id);
  return {
    email,
    customer: {
      claims: c.claims,
      conversions: c.conversions,
      refunds: await q.people.refunds(brand.id, c.conversionIds, c.claimIds),
      visitor_ids: c.visitorIds,
      visits: await q.people.visits(brand.id, c.visitorIds),
      referral_records: await q.people.referralRecords(brand.id, email),
    },
    advocate: id === undefined ? null : {
      profile,
      codes: await q.people.codes(brand.id, id),
      commissions,
      commission_history: await q.people.rewardEvents(brand.id, id),
      points: await q.people.points(brand.id, id),
      payouts: payoutsOf(commissions),
      ideas: await q.feedback.ideasOf(brand.id, id),
      idea_votes: await q.feedback.votesOf(brand.id, id),
    },
    // given with the email, or written as the advocate
    testimonials: await q.testimonials.ofPerson(brand.id, email, id ?? null),
    sso_mappings: await q.sso.personMappings(brand.id, email, id ?? -1),
    erasures: (await q.people.erasures(brand.id, emailHash)).map(erasureView),
  };
}

export type PersonExport = Awaited<ReturnType<typeof exportPerson>>;

/**
 * DELETE /api/v1/people?email=E and `referloop person erase`, in one transaction (one commit-queue job, or the CLI's
 * transaction): all of it or nothing.
 *
 * Erased: the email, name, phone and metadata of their claims and conversions, their refunds' metadata and reasons (also where the
 * reward history quotes a reason), the visitor ids
 * and the landing pages and referrers of those visitors' visits, and the stored Idempotency-Key answers naming them; as
 * an advocate their email, name, metadata and payment fields, their codes deactivated, the advocate blocked, and
 * their unpaid (pending or approved) commissions rejected with ERASED_REJECT_REASON, through the commissions use case
 * (history, counters). Kept, marked `erased_at`: every row the books need, with its amounts (a customer's conversion
 * still pays the advocate who referred them). Repeating it finds nothing and answers the first erasure.
 */
export async function erasePerson(ctx: Ctx, email: string, emailHash: string, by: Requester) {
  const { q, brand } = ctx;
  const at = ctx.now.toISOString();
  const c = await customerRecords(ctx, email);
  const advocate = await q.people.advocate(brand.id, email);
  const counts: Record<string, number> = {};
  if (advocate) {
    const id = advocate.id as number;
    const unpaid = await q.people.unpaidRewardIds(brand.id, id);
    for (const rewardId of unpaid) await setCommissionStatus(ctx, rewardId, 'rejected', ERASED_REJECT_REASON, by.actor);
    counts.commissions_rejected = unpaid.length;
    counts.codes_deactivated = await q.people.deactivateCodes(brand.id, id, at);
    counts.advocates = await q.people.eraseAdvocate(brand.id, id, at);
  }
  counts.claims = await q.people.eraseClaims(brand.id, email, at);
  counts.conversions = await q.people.eraseConversions(brand.id, email, at);
  const records = await q.people.eraseReferralRecords(brand.id, email);
  // Single sign-on: the mappings naming the email or the advocate go (the site's customer is a stranger again), and so
  // do the advocate's sessions.
  const sso = await q.sso.erasePerson(brand.id, email, advocate ? advocate.id as number : -1);
  if (sso.mappings > 0) counts.sso_mappings = sso.mappings;
  if (sso.sessions > 0) counts.sso_sessions = sso.sessions;
  // The portal: the advocate's entry links and sessions end with them.
  if (advocate) await q.portal.eraseAdvocate(brand.id, advocate.id as number);
  if (records.length > 0) counts.referral_records = records.length;
  const refunds = await q.people.refunds(brand.id, c.conversionIds, c.claimIds);
  const reasons = refunds.map((r) => r.reason).filter((r): r is string => typeof r === 'string' && r !== '');
  counts.refunds = await q.people.eraseRefunds(brand.id, refunds.map((r) => r.id as number));
  counts.refund_notes = await q.people.eraseRefundNotes(brand.id, c.conversionIds, [...new Set(reasons)]);
  counts.visits = await q.people.eraseVisits(brand.id, c.visitorIds);
  // Testimonials are deleted, not kept without their author: the books do not need them, and their text is the
  // person's own words. (An advocate's feedback ideas and votes stay, on the advocate's erased row.)
  const testimonialIds = (await q.testimonials.ofPerson(brand.id, email, advocate ? advocate.id as number : null)).map((t) => Number(t.id));
  const testimonials = await q.testimonials.erase(brand.id, testimonialIds);
  if (testimonials.testimonials > 0) counts.testimonials = testimonials.testimonials;
  counts.idempotency_answers = testimonials.answers + await q.people.eraseAnswers(brand.id, {
    advocate: advocate ? [advocate.id as number] : [], visitor: c.visitorIds, claim: c.claimIds, conversion: c.conversionIds, record: records,
  });
  // The webhook deliveries that name the person keep only their type, and those not sent yet are never sent: their
  // claims, conversions and visitors' visits, and as an advocate its own events (its view, its codes' advocate_name),
  // found by the subject each was written with (webhooks/outbox.ts). `counts` names them only when there were some.
  const subjects = [
    ...c.claimIds.map(claimSubject), ...c.conversionIds.map(conversionSubject), ...c.visitorIds.map(visitorSubject),
    ...(advocate ? [advocateSubject(advocate.id as number)] : []), ...records.map(recordSubject), ...testimonialIds.map(testimonialSubject),
  ];
  // (The changes still queued in the outbox are turned into their deliveries first, so those are found too.)
  await expandInJob(q);
  const forgotten = await q.webhooks.forget(brand.id, subjects);
  if (forgotten > 0) counts.webhook_deliveries = forgotten;
  // Receivers learn that the advocate is blocked and erased, from what is left: no email, name, metadata or payment
  // details (the view is read after the erasure, and after the pending deliveries are forgotten, so it is not one of
  // them). Only the first erasure changes the advocate, and only it says so.
  if (advocate && counts.advocates! > 0) await publishAdvocateUpdated(ctx, advocate.id as number);
  const found = Object.values(counts).some((n) => n > 0);
  const earlier = (await q.people.erasures(brand.id, emailHash)).at(-1);
  if (!found && earlier) return { erasure: erasureView(earlier), already_erased: true };
  const record = { emailHash, actor: by.actor, keyId: by.keyId, counts, createdAt: at };
  return { erasure: erasureView({ id: await q.people.recordErasure(brand.id, record), ...record }), already_erased: false };
}
