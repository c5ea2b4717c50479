// The Reverb adapter's tests' helpers: 003_*'s example requests and answers (fixtures, transcribed from
// /work/shared/seeds/003_*: its JSON has missing commas and a list written as {{…},{…}}, read here as the array
// it means), Basic-auth calls, and the envelope's assertions.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { TestBrand, TestCollector, TestResponse } from '../../support/collector.ts';
import { clockedCollector } from '../../support/commissions.ts';
import { advocateId } from '../../support/fixtures.ts';

export const BASE = '/compat/reverb/api/v1';

/** 003_*'s "GET - Single Referral Record" example answer. */
export const DOC_SINGLE = {
  response: {
    code: '200',
    message: 'OK: The request was successful. See response body for additional data.',
    data: {
      referral: {
        uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX', campaign_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX', referrer_advocate_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX',
        referred_customer_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX', referred_order_uuid: 'XXXX-XXXX-XXXX-XXXX-XXXX', level: 1, short_code: 'VG7UJK',
        reward_earned: '5.00', reward_type: 'commission', reward_payed: 'false', incentive_used: 'COUPON20', incentive_type: 'coupon',
        referral_date: '2014-03-14T05:49:54-07:00',
      },
    },
  },
};

/** 003_*'s "GET - Multiple Referral Records" example answer. */
export const DOC_MULTIPLE = {
  response: {
    code: '200',
    message: 'OK: The request was successful. See response body for additional data.',
    data: { referrals: [DOC_SINGLE.response.data.referral, { ...DOC_SINGLE.response.data.referral, short_code: 'FGJUJK', reward_earned: '3.00',
      incentive_used: 'FGJUJK', referral_date: '2014-04-24T09:53:54-07:00' }] },
  },
};

/** 003_*'s "POST - Create Referral Record" example answer (its trailing comma dropped). */
export const DOC_CREATED = { response: { code: '200', message: 'OK: The request was successful.' } };

/** 003_*'s create example's $params_array, with the UUIDs given; qualified_amount as its example sets it for 3 and 4. */
export function docCreateBody(u: { website: string; campaign: string; referrer: string; customer: string; order: string }, type: 1 | 2 | 3 | 4) {
  const params: Record<string, unknown> = {
    website_uuid: u.website, campaign_uuid: u.campaign, referrer_advocate_uuid: u.referrer, referred_customer_uuid: u.customer,
    referred_order_uuid: u.order, level: 1, reward_action_type: type,
  };
  if (type === 3) params.qualified_amount = 2000;
  if (type === 4) params.qualified_amount = 150;
  return params;
}

/** What each of the document's values looks like (its placeholders stand for a UUID). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORMATS: Record<string, RegExp> = {
  reward_earned: /^\d+\.\d{2}$/, reward_payed: /^(true|false)$/, referral_date: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/,
  reward_type: /^(commission|points)$/,
};

/** A referral as 003_* shows one: its fields in its order, each of the document's type and format. */
export function assertDocReferral(r: Record<string, unknown>, nullable: string[] = []): void {
  const doc = DOC_SINGLE.response.data.referral as Record<string, unknown>;
  assert.deepEqual(Object.keys(r).slice(0, Object.keys(doc).length), Object.keys(doc), 'the document\'s fields first, in its order');
  for (const [k, example] of Object.entries(doc)) {
    const v = r[k];
    if (v === null && nullable.includes(k)) continue;
    assert.equal(typeof v, typeof example, `${k}: ${JSON.stringify(v)} is a ${typeof example} as in the document`);
    if (example === 'XXXX-XXXX-XXXX-XXXX-XXXX') assert.match(String(v), UUID, k);
    if (FORMATS[k]) assert.match(String(v), FORMATS[k]!, k);
  }
}

export const basic = (b: TestBrand, secret = b.secret_key) => `Basic ${Buffer.from(`${b.brand_id}:${secret}`).toString('base64')}`;

/**
 * A call as the document's PHP makes it: CURLOPT_USERPWD (Basic), and for a POST json_encode()'s string as
 * CURLOPT_POSTFIELDS sends it, with curl's default Content-Type (application/x-www-form-urlencoded).
 */
export function reverb(c: TestCollector, method: string, path: string, body?: unknown,
  o: { brand?: TestBrand; headers?: Record<string, string>; raw?: string } = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { Authorization: basic(o.brand ?? c.brand), ...(body === undefined && o.raw === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }), ...o.headers };
  const sent = o.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  return c.request(method, BASE + path, { headers, ...(sent === undefined ? {} : { body: sent }) });
}

/** The envelope: the HTTP status is its code, a string; the message; data an object. */
export function assertEnvelope(res: TestResponse, status: number, message: string | RegExp): Record<string, any> {
  const shown = JSON.stringify(res.body);
  assert.equal(res.status, status, shown);
  assert.deepEqual(Object.keys(res.body), ['response'], shown);
  assert.deepEqual(Object.keys(res.body.response), ['code', 'message', 'data'], shown);
  assert.equal(res.body.response.code, String(status), shown);
  if (typeof message === 'string') assert.equal(res.body.response.message, message, shown);
  else assert.match(res.body.response.message, message, shown);
  assert.equal(typeof res.body.response.data, 'object', shown);
  return res.body.response.data;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large' };

/** An error in the envelope: `<reason>: …`, data {error: code, details}; `field`: one detail names it. */
export function assertReverbError(res: TestResponse, status: number, code: string, field?: string): Record<string, any> {
  const data = assertEnvelope(res, status, new RegExp(`^${REASONS[status]}: .+`));
  const shown = JSON.stringify(res.body);
  assert.equal(data.error, code, shown);
  assert.ok(Array.isArray(data.details), shown);
  if (field !== undefined) assert.ok(data.details.some((d: { field: string }) => d.field === field), `details should name ${field}: ${shown}`);
  return data;
}

/** An order nobody referred (no referral record yet), as the create example needs: its conversion's id. */
export async function unreferredOrder(c: TestCollector, orderId: string, value: number, brand = c.brand): Promise<number> {
  const r = await c.post('/api/v1/track/conversion', { customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value }, { brand });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.data.reward ?? null, null, 'no commission');
  return r.body.data.conversion_id as number;
}

/** A collector whose default campaign rewards each action (a purchase 10%, an enrolment 5.00, clicks 2.00, shares 1.50). */
export async function reverbCollector(t: TestContext) {
  const { c, clock } = await clockedCollector(t);
  await rewardActions(c, c.brand);
  return { c, clock, sarah: await advocateId(c, 'V2AVMRDJ'), john: await advocateId(c, 'JOHN123'), tess: await advocateId(c, 'TESTCODE') };
}

export async function rewardActions(c: TestCollector, brand: TestBrand): Promise<number> {
  const campaigns = (await c.call('GET', '/api/v1/campaigns', undefined, { brand })).body.data.campaigns as Array<{ id: number; is_default: boolean }>;
  const id = (campaigns.find((x) => x.is_default) ?? campaigns[0])!.id;
  const res = await c.call('PATCH', `/api/v1/campaigns/${id}`, { enrolment_reward_type: 'fixed', enrolment_reward_value: 5, clicks_reward_type: 'fixed',
    clicks_reward_value: 2, clicks_threshold: 2000, shares_reward_type: 'fixed', shares_reward_value: 1.5, shares_threshold: 150 }, { brand });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return id;
}
