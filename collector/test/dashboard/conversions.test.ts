// The dashboard's conversion pages over HTTP: the list (the API's filters and cursor), a conversion's page (its
// attribution in words for each rule, products, claim, refunds, commissions per level) and recording a refund.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { signedIn } from '../support/dashboard.ts';
import { PRODUCTS_EXAMPLE } from '../support/fixtures.ts';

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

/** The text of the section whose heading has this id. */
function section(page: string, id: string): string {
  const start = page.indexOf(`id="${id}"`);
  assert.ok(start >= 0, `section ${id}`);
  const end = page.indexOf('</section>', start);
  return text(page.slice(start, end));
}

const conversionId = async (c: TestCollector, orderId: string): Promise<number> => {
  const list = (await c.call('GET', '/api/v1/conversions', undefined, { query: { limit: 100 } })).body.data.conversions as Array<{ id: number; order_id: string }>;
  return list.find((x) => x.order_id === orderId)!.id;
};

async function setUp(t: { after: (fn: () => Promise<void>) => void }) {
  let now = new Date('2026-12-01T10:00:00Z');
  const c = await startTestCollector({ now: () => now });
  t.after(() => c.close());
  const at = (iso: string) => { now = new Date(iso); };
  return { c, at, owner: await signedIn(c) };
}

test('a conversion\'s page says which rule attributed it, on what', async (t) => {
  const { c, at } = await setUp(t);
  const ok = async (body: Record<string, unknown>) => assert.equal((await c.post('/api/v1/track/conversion', body)).status, 201);

  await ok({ email: 'a@buyer.example', order_id: 'R-CODE', order_value: 74.98, referral_code: 'v2avmrdj', ...PRODUCTS_EXAMPLE });
  await ok({ email: 'b@buyer.example', order_id: 'R-COUPON', order_value: 40, coupons_applied: [{ code: 'TESTCODE', discount_amount: 5 }] });
  at('2026-12-01T11:00:00Z');
  const claim = await c.post('/api/v1/track/claim', { referral_code: 'JOHN123', email: 'c@buyer.example' });
  assert.equal(claim.status, 201);
  at('2026-12-02T09:00:00Z');
  await ok({ email: 'c@buyer.example', order_id: 'R-EMAIL', order_value: 30 });
  const claim2 = await c.post('/api/v1/track/claim', { referral_code: 'JOHN123', email: 'd@buyer.example' });
  await ok({ email: 'd@buyer.example', order_id: 'R-CLAIM', order_value: 20, claim_id: claim2.body.data.claim_id });
  await ok({ email: 'd@buyer.example', order_id: 'R-CLAIM-AGAIN', order_value: 20, claim_id: claim2.body.data.claim_id });
  // First touch: the device holds TESTCODE, then follows JOHN123's link; the visit counts for TESTCODE's advocate.
  at('2026-12-03T08:00:00Z');
  await c.post('/api/v1/track/visit', { referral_code: 'TESTCODE', visitor_id: 'visitor_abc', landing_page: 'https://shop.test/?ref=TESTCODE' });
  at('2026-12-04T08:00:00Z');
  await c.post('/api/v1/track/visit', { referral_code: 'JOHN123', visitor_id: 'visitor_abc', existing_code: 'TESTCODE' });
  await c.post('/api/v1/track/visit', { referral_code: 'V2AVMRDJ', visitor_id: 'visitor_xyz' });
  at('2026-12-05T08:00:00Z');
  await ok({ email: 'e@buyer.example', order_id: 'R-VISIT-KEPT', order_value: 10, visitor_id: 'visitor_abc' });
  await ok({ email: 'f@buyer.example', order_id: 'R-VISIT', order_value: 10, visitor_id: 'visitor_xyz' });
  // A later visit (after the order) is not the one that attributed it.
  at('2026-12-06T08:00:00Z');
  await c.post('/api/v1/track/visit', { referral_code: 'JOHN123', visitor_id: 'visitor_xyz' });
  await ok({ email: 'g@buyer.example', order_id: 'R-NONE', order_value: 10, visitor_id: 'visitor_nobody' });

  const owner = await signedIn(c); // now, after the days the orders took: a session idles out after 8 hours
  const story = async (orderId: string) => {
    const id = await conversionId(c, orderId);
    const api = (await c.call('GET', `/api/v1/conversions/${id}`)).body.data.conversion;
    const page = await owner.get(`/dashboard/conversions/${id}`);
    assert.equal(page.status, 200, orderId);
    return { api, page: page.text, words: section(page.text, 'attribution-h') };
  };

  let s = await story('R-CODE');
  assert.equal(s.api.attribution, 'referral_code');
  assert.match(s.words, /Rule 2 of 5, referral code : the referral code V2AVMRDJ was given with the order \( referral_code \); it is advocate Sarah Jones 's\./);
  // Products: name, price, quantity, line revenue = price × quantity.
  const products = section(s.page, 'products-h');
  assert.match(products, /Classic T-Shirt TSH-001 \$29\.99 2 \$59\.98/);
  assert.match(products, /Canvas Tote BAG-010 \$15\.00 1 \$15\.00/);
  assert.match(products, /Products total \$74\.98/);
  assert.match(section(s.page, 'claim-h'), /No claim/);

  s = await story('R-COUPON');
  assert.equal(s.api.attribution, 'coupon');
  assert.match(s.words, /Rule 3 of 5, coupon : the coupon TESTCODE applied to the order \( coupons_applied \) is advocate Tess Tester 's referral code\./);

  s = await story('R-EMAIL');
  assert.equal(s.api.attribution, 'email');
  assert.match(s.words, new RegExp(`Rule 4 of 5, the customer's claim : .*the claim #${claim.body.data.claim_id} made by c@buyer\\.example on Dec 1, 2026, 11:00 AM UTC with the discount code JOHN123 \\(discount code\\) was the newest pending claim of c@buyer\\.example within the 30-day attribution window, so the order is advocate John Smith 's\\.`));
  assert.match(section(s.page, 'claim-h'), new RegExp(`Claim #${claim.body.data.claim_id}, converted , Dec 1, 2026, 11:00 AM UTC Customer c@buyer\\.example Code JOHN123 of John Smith`));

  s = await story('R-CLAIM');
  assert.equal(s.api.attribution, 'claim_id');
  assert.match(s.words, new RegExp(`Rule 1 of 5, claim id : the order was sent with claim_id ${claim2.body.data.claim_id}, the claim #${claim2.body.data.claim_id} made by d@buyer\\.example`));

  s = await story('R-CLAIM-AGAIN');
  assert.deepEqual([s.api.attribution, s.api.claim_id], ['claim_id', null]);
  assert.match(s.words, /Rule 1 of 5, claim id : the order was sent with the claim_id of a claim with the code JOHN123 , of advocate John Smith ; that claim was no longer pending, so it is not linked to this order\./);

  s = await story('R-VISIT-KEPT');
  assert.equal(s.api.attribution, 'visitor');
  assert.equal(s.api.code, 'TESTCODE');
  assert.match(s.words, /Rule 5 of 5, visit : .*the newest visit of visitor visitor_abc , on Dec 4, 2026, 8:00 AM UTC via the link \?ref=JOHN123 , is within the 30-day attribution window, first touch\. That device already held the code TESTCODE , which first touch keeps, so the visit counted for advocate Tess Tester \./);

  s = await story('R-VISIT');
  assert.match(s.words, /the newest visit of visitor visitor_xyz , on Dec 4, 2026, 8:00 AM UTC via the link \?ref=V2AVMRDJ , .* The code V2AVMRDJ is advocate Sarah Jones 's\./);

  s = await story('R-NONE');
  assert.equal(s.api.attribution, null);
  assert.match(s.words, /Not attributed : no rule matched\..*visitor visitor_nobody had no visit/);
  assert.match(section(s.page, 'commissions-h'), /None: the order is not attributed\./);
});

test('the list filters and pages as GET /api/v1/conversions does', async (t) => {
  const { c, owner } = await setUp(t);
  for (let i = 1; i <= 5; i++) {
    await c.post('/api/v1/track/conversion', { email: `b${i}@buyer.example`, order_id: `L-${i}`, order_value: 10 * i, ...(i % 2 ? { referral_code: 'JOHN123' } : {}) });
  }
  await c.post('/api/v1/track/refund', { order_id: 'L-3', refund_amount: 5, is_full_refund: false });
  const idsOn = (page: string) => [...page.matchAll(/href="\/dashboard\/conversions\/(\d+)"/g)].map((m) => Number(m[1]));
  const apiIds = async (query: Record<string, string | number>) =>
    ((await c.call('GET', '/api/v1/conversions', undefined, { query })).body.data.conversions as Array<{ id: number }>).map((x) => x.id);

  const all = await owner.get('/dashboard/conversions?status=&attributed=&advocate_id=&code=&from=&to=');
  assert.equal(all.status, 200);
  assert.deepEqual(idsOn(all.text), await apiIds({ limit: 50 }));
  assert.equal(idsOn(all.text).length, 5);
  const john = (await c.call('GET', '/api/v1/referrals/JOHN123')).body.data.referral.advocate_id;
  const queries: Array<Record<string, string>> = [
    { attributed: 'false' }, { attributed: 'true' }, { advocate_id: String(john) }, { code: 'john123' }, { status: 'partial_refund' },
    { from: '2026-12-01', to: '2026-12-01' }, { from: '2026-12-02' },
  ];
  for (const query of queries) {
    const page = await owner.get(`/dashboard/conversions?${new URLSearchParams(query)}`);
    assert.deepEqual(idsOn(page.text), await apiIds({ ...query, limit: 50 }), JSON.stringify(query));
  }
  assert.deepEqual(idsOn((await owner.get('/dashboard/conversions?attributed=false')).text).length, 2);
  const row = text((await owner.get('/dashboard/conversions?status=partial_refund')).text);
  assert.match(row, /L-3 Dec 1, 2026, 10:00 AM UTC b3@buyer\.example John Smith JOHN123 referral code partial refund \$30\.00 \$5\.00/);

  const first = await owner.get('/dashboard/conversions?limit=2');
  const api = (await c.call('GET', '/api/v1/conversions', undefined, { query: { limit: 2 } })).body.data;
  const older = /href="\/dashboard\/conversions\?limit=2&amp;cursor=([^"]+)">Older/.exec(first.text);
  assert.equal(older?.[1], api.next_cursor);
  const second = await owner.get(`/dashboard/conversions?limit=2&cursor=${older![1]}`);
  assert.deepEqual(idsOn(second.text), await apiIds({ limit: 2, cursor: older![1]! }));

  const bad = await owner.get('/dashboard/conversions?advocate_id=abc&from=yesterday');
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="f-advocate_id-error">must be a positive integer</);
  assert.match(bad.text, /id="f-from-error">must be a date such as 2026-04-14/);
});

test('recording a refund: partial with its reason, then the rest; too much is refused and writes nothing', async (t) => {
  const { c, owner } = await setUp(t);
  await c.post('/api/v1/track/conversion', { email: 'a@buyer.example', order_id: 'F-1', order_value: 80, referral_code: 'V2AVMRDJ' });
  const id = await conversionId(c, 'F-1');
  const api = async () => (await c.call('GET', `/api/v1/conversions/${id}`)).body.data.conversion;

  // The form as the page carries it: sent twice (a double click), it records one refund.
  const formId = /name="form_id" value="([0-9a-f-]{36})"/.exec((await owner.get(`/dashboard/conversions/${id}`)).text)![1]!;
  const partial = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '20.00', refund_reason: 'one jar broken', form_id: formId });
  assert.equal(partial.status, 303);
  assert.equal(partial.location, `/dashboard/conversions/${id}`);
  const again = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '20.00', refund_reason: 'one jar broken', form_id: formId });
  assert.equal(again.status, 303);
  assert.match((await owner.get(again.location!)).text, /class="notice" role="status">This refund was already recorded: nothing changed</);
  let conv = await api();
  assert.deepEqual([conv.refunded, conv.status, conv.rewards[0].amount], [20, 'partial_refund', 6]);
  let page = (await owner.get(`/dashboard/conversions/${id}`)).text;
  assert.match(section(page, 'refunds-h'), /Dec 1, 2026, 10:00 AM UTC \$20\.00 \$20\.00 partial one jar broken — \(dashboard\)/);
  assert.doesNotMatch(section(page, 'refunds-h'), /Dec 1, 2026, 10:00 AM UTC \$20\.00 \$40\.00/, 'one refund, not two');
  assert.match(section(page, 'refunds-h'), /at most \$60\.00 more/);
  const commissions = section(page, 'commissions-h');
  assert.match(commissions, /1 Sarah Jones pending \$8\.00 \$6\.00 — \$6\.00 approved on Dec 31, 2026/);
  assert.match(commissions, /refund adjustment \(-\$2\.00\) by system — one jar broken/);

  const tooMuch = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '60.01', refund_reason: 'x' });
  assert.equal(tooMuch.status, 400);
  assert.match(tooMuch.text, /id="f-refund_amount-error">refunds may total at most 80</);
  const malformed = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: 'ten' });
  assert.equal(malformed.status, 400);
  assert.match(malformed.text, /id="f-refund_amount-error">/);
  const none = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '' });
  assert.equal(none.status, 400);
  assert.match(none.text, /id="f-refund_amount-error">is required</);
  conv = await api();
  assert.deepEqual([conv.refunded, conv.status], [20, 'partial_refund'], 'nothing written');

  const rest = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '', is_full_refund: 'true', refund_reason: 'order cancelled' });
  assert.equal(rest.status, 303);
  conv = await api();
  assert.deepEqual([conv.refunded, conv.status, conv.rewards[0].status], [80, 'refunded', 'reversed']);
  page = (await owner.get(`/dashboard/conversions/${id}`)).text;
  assert.match(section(page, 'refunds-h'), /\$60\.00 \$80\.00 full order cancelled/, 'the rest: 60.00 refunded now');
  assert.doesNotMatch(page, /Record refund/, 'nothing is left to refund');
});

test('a viewer cannot record a refund; another brand\'s conversion is a 404', async (t) => {
  const { c, owner } = await setUp(t);
  await c.post('/api/v1/track/conversion', { email: 'a@buyer.example', order_id: 'V-1', order_value: 80, referral_code: 'V2AVMRDJ' });
  const id = await conversionId(c, 'V-1');
  const viewer = await signedIn(c, { role: 'viewer' });
  const page = await viewer.get(`/dashboard/conversions/${id}`);
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /Record refund/);
  assert.equal((await viewer.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '5' })).status, 403);
  assert.equal((await c.call('GET', `/api/v1/conversions/${id}`)).body.data.conversion.refunded, 0);

  const other = await c.addBrand({ codes: [['OTHER1', 'Otto Other', 'otto@other.example']] });
  const theirs = await c.post('/api/v1/track/conversion', { email: 'x@buyer.example', order_id: 'THEIRS', order_value: 50, referral_code: 'OTHER1' }, { brand: other });
  const theirId = theirs.body.data.conversion_id;
  assert.equal((await owner.get(`/dashboard/conversions/${theirId}`)).status, 404);
  assert.equal((await owner.post(`/dashboard/conversions/${theirId}/refunds`, { refund_amount: '5' })).status, 404);
  assert.equal((await owner.post(`/dashboard/conversions/${theirId}/refunds`, { refund_amount: '', is_full_refund: 'true' })).status, 404);
  assert.equal((await c.call('GET', `/api/v1/conversions/${theirId}`, undefined, { brand: other })).body.data.conversion.refunded, 0);
  assert.doesNotMatch((await owner.get('/dashboard/conversions')).text, /THEIRS/);
  assert.equal((await owner.get('/dashboard/conversions/0')).status, 404);
});

test('commissions per level: the referrer\'s level-2 commission beside the advocate\'s, both after a refund', async (t) => {
  const { c, owner } = await setUp(t);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { level2_reward_type: 'percentage', level2_reward_value: 5 })).status, 200);
  const sarah = (await c.call('GET', '/api/v1/referrals/V2AVMRDJ')).body.data.referral.advocate_id;
  const tess = (await c.call('GET', '/api/v1/referrals/TESTCODE')).body.data.referral.advocate_id;
  await c.call('PATCH', `/api/v1/advocates/${tess}`, { referred_by: sarah });
  await c.post('/api/v1/track/conversion', { email: 'a@buyer.example', order_id: 'L2-1', order_value: 200, referral_code: 'TESTCODE' });
  const id = await conversionId(c, 'L2-1');
  const refund = await owner.post(`/dashboard/conversions/${id}/refunds`, { refund_amount: '50', refund_reason: 'late delivery' });
  assert.equal(refund.status, 303);
  const page = await owner.get(refund.location!);
  assert.match(page.text, /class="notice" role="status">Refund recorded: \$50\.00 refunded in all \(partial refund\)</);
  const rewards = (await c.call('GET', `/api/v1/conversions/${id}`)).body.data.conversion.rewards;
  assert.deepEqual(rewards.map((r: { level: number; amount: number }) => [r.level, r.amount]), [[1, 15], [2, 7.5]]);
  const commissions = section(page.text, 'commissions-h');
  assert.match(commissions, /1 Tess Tester pending \$20\.00 \$15\.00 — \$15\.00/);
  assert.match(commissions, /2 Sarah Jones pending \$10\.00 \$7\.50 — \$7\.50/);
  assert.equal((commissions.match(/late delivery/g) ?? []).length, 2, 'the reason in each level\'s history');
  const tessPage = await owner.get(`/dashboard/advocates/${tess}`);
  assert.match(text(tessPage.text), /Referred by: Sarah Jones \(sarah@advocate\.example\)\. This advocate's conversions also earn Sarah Jones a level-2 commission \(by the rules of this advocate's campaign\)\./);
});
