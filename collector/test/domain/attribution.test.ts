// domain/attribution.ts: the documented order of rules, first match wins, and which rule matched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveAttribution, type AttributionInput, type AttributionLookups } from '../../src/domain/attribution.ts';
import { ApiError } from '../../src/errors.ts';
import type { Advocate } from '../../src/db/advocates.ts';
import type { Claim } from '../../src/db/claims.ts';

const advocate = (id: number, code: string): Advocate => ({ id, brandId: 'b', email: `${code.toLowerCase()}@adv.example`, name: code, code, status: 'active', referredBy: null, campaignId: 1, codeActive: true });
const ANNA = advocate(1, 'ANNA');
const BOB = advocate(2, 'BOB');
const CARL = advocate(3, 'CARL');
const DORA = advocate(4, 'DORA');
const EVE = advocate(5, 'EVE');
const ADVOCATES = [ANNA, BOB, CARL, DORA, EVE];

const claim = (id: number, advocateId: number, status = 'pending'): Claim => ({
  id, brandId: 'b', advocateId, code: ADVOCATES[advocateId - 1]!.code, email: 'buyer@example.com', status,
  rawValueCents: 5700, claimValueCents: 5130, discountAppliedCents: 570, conversionId: null, createdAt: '2026-04-01T00:00:00.000Z',
});

const SINCE = '2026-03-15T00:00:00.000Z';

/** Lookups over fixed data: ANNA's claim 10 (by id), DORA's pending claim 40 (by email), EVE's visit. */
function lookups(overrides: Partial<AttributionLookups> = {}): AttributionLookups & { calls: string[] } {
  const calls: string[] = [];
  const claims = [claim(10, 1), claim(11, 1, 'converted'), claim(40, 4)];
  return {
    calls,
    claimById: async (id) => { calls.push('claimById'); return claims.find((c) => c.id === id); },
    advocateByCode: async (code) => { calls.push(`advocateByCode:${code}`); return ADVOCATES.find((a) => a.code === code); },
    advocateById: async (id) => ADVOCATES.find((a) => a.id === id),
    newestPendingClaim: async (email, since) => {
      calls.push('newestPendingClaim');
      assert.equal(since, SINCE);
      return email === 'buyer@example.com' ? claims[2] : undefined;
    },
    newestPendingClaimFor: async (email, advocateId, since) => {
      assert.equal(since, SINCE);
      return claims.find((c) => c.email === email && c.advocateId === advocateId && c.status === 'pending');
    },
    newestVisit: async (visitorId, since) => {
      calls.push('newestVisit');
      assert.equal(since, SINCE);
      return visitorId === 'visitor-eve' ? { advocateId: EVE.id, code: EVE.code, createdAt: '2026-04-01T00:00:00.000Z' } : undefined;
    },
    ...overrides,
  };
}

const everything: AttributionInput = {
  claimId: 10, referralCode: 'bob', couponCodes: ['SPRING', 'carl'], email: 'buyer@example.com', visitorId: 'visitor-eve', since: SINCE,
};

const sourceAndAdvocate = async (input: AttributionInput, look = lookups()) => {
  const a = await resolveAttribution(input, look);
  return a && { source: a.source, code: a.advocate.code, claim: a.claim?.id };
};

test('1. claim_id wins over every other signal, and links its claim', async () => {
  assert.deepEqual(await sourceAndAdvocate(everything), { source: 'claim_id', code: 'ANNA', claim: 10 });
});

test('2. referral_code (case-insensitive) comes next, linking the pending claim of that advocate and email', async () => {
  const input = { ...everything, claimId: undefined };
  assert.deepEqual(await sourceAndAdvocate(input), { source: 'referral_code', code: 'BOB', claim: undefined });
  assert.deepEqual(await sourceAndAdvocate({ ...input, referralCode: ' dora ' }), { source: 'referral_code', code: 'DORA', claim: 40 });
});

test('3. the first coupons_applied code that is a referral code', async () => {
  const input = { ...everything, claimId: undefined, referralCode: undefined };
  assert.deepEqual(await sourceAndAdvocate(input), { source: 'coupon', code: 'CARL', claim: undefined });
  assert.deepEqual(await sourceAndAdvocate({ ...input, couponCodes: ['nope', 'DORA', 'CARL'] }), { source: 'coupon', code: 'DORA', claim: 40 });
});

test("4. the newest pending claim of the customer's email inside the window", async () => {
  const input = { ...everything, claimId: undefined, referralCode: undefined, couponCodes: ['SPRING'] };
  assert.deepEqual(await sourceAndAdvocate(input), { source: 'email', code: 'DORA', claim: 40 });
});

test('5. the newest visit of visitor_id inside the window', async () => {
  const input = { ...everything, claimId: undefined, referralCode: undefined, couponCodes: [], email: 'stranger@example.com' };
  assert.deepEqual(await sourceAndAdvocate(input), { source: 'visitor', code: 'EVE', claim: undefined });
});

test('nothing matches: null (stored unattributed)', async () => {
  const look = lookups();
  assert.equal(await resolveAttribution({ couponCodes: ['SPRING'], email: 'stranger@example.com', visitorId: 'unknown', since: SINCE }, look), null);
  assert.equal(await resolveAttribution({ couponCodes: [], email: 'stranger@example.com', since: SINCE }, look), null);
});

test('an earlier rule that matches stops the search: later lookups are not even made', async () => {
  const look = lookups();
  await resolveAttribution({ ...everything, claimId: undefined }, look);
  assert.deepEqual(look.calls, ['advocateByCode:BOB']);
});

test('an unknown claim_id or referral_code is a 404, never a fall-through to weaker rules', async () => {
  await assert.rejects(() => resolveAttribution({ ...everything, claimId: 999 }, lookups()),
    (e: unknown) => e instanceof ApiError && e.status === 404 && e.details[0]?.field === 'claim_id');
  await assert.rejects(() => resolveAttribution({ ...everything, claimId: undefined, referralCode: 'NOBODY' }, lookups()),
    (e: unknown) => e instanceof ApiError && e.status === 404 && e.code === 'invalid_code' && e.details[0]?.field === 'referral_code');
});

test('a claim_id whose claim already converted attributes to its advocate without linking the claim again', async () => {
  assert.deepEqual(await sourceAndAdvocate({ ...everything, claimId: 11 }), { source: 'claim_id', code: 'ANNA', claim: undefined });
});
