// Which advocate a conversion belongs to (SPEC "Attribution"): one test per rule, a test that each rule
// wins over the next, the attribution window through the injected clock, and first/last touch on visits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { DAY_MS, HOUR_MS, PATHS, advocateId, count, row, testClock } from '../support/fixtures.ts';

const EMAIL = 'client@example.com';
let orders = 0;
/** A conversion of EMAIL with only the attribution hints given. */
const convert = (c: TestCollector, hints: Record<string, unknown> = {}) =>
  c.post(PATHS.conversion, { customer_email: EMAIL, order_id: `A-${++orders}`, order_value: 100, ...hints });
const claim = async (c: TestCollector, code: string, email = EMAIL): Promise<number> => {
  const res = await c.post(PATHS.claim, { referral_code: code, customer_email: email, raw_value: 100 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.claim_id as number;
};
const visit = async (c: TestCollector, code: string, visitorId: string, existing?: string) => {
  const res = await c.post(PATHS.visit, { referral_code: code, visitor_id: visitorId, ...(existing ? { existing_code: existing } : {}) });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
};
function assertAttributed(res: { status: number; body: any }, source: string, code: string, claimId: number | null) {
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.data.attribution, source);
  assert.equal(res.body.data.referral_code, code);
  assert.equal(res.body.data.claim_id, claimId);
}

async function fresh(t: { after(fn: () => Promise<void>): void }, clock = testClock()) {
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  return { c, clock };
}

test('rule 1: claim_id links that claim and its advocate, whatever the email', async (t) => {
  const { c } = await fresh(t);
  const id = await claim(c, 'JOHN123');
  const res = await convert(c, { customer_email: 'someone-else@example.com', claim_id: id });
  assertAttributed(res, 'claim_id', 'JOHN123', id);
  assert.equal((await row(c, 'SELECT status FROM claims WHERE id = ?', id)).status, 'converted');
  assert.equal((await row(c, 'SELECT advocate_id FROM rewards')).advocate_id, await advocateId(c, 'JOHN123'));
});

test('rule 2: referral_code, case-insensitive', async (t) => {
  const { c } = await fresh(t);
  assertAttributed(await convert(c, { referral_code: 'testcode' }), 'referral_code', 'TESTCODE', null);
});

test('rule 3: the first coupons_applied code that is a referral code of the brand', async (t) => {
  const { c } = await fresh(t);
  const res = await convert(c, { coupons_applied: [{ code: 'SUMMER-SALE', discount_amount: 3 }, { code: 'testcode', discount_amount: 10 }] });
  assertAttributed(res, 'coupon', 'TESTCODE', null);
  assert.equal(res.body.data.discount_applied, 10);
  assert.equal(res.body.data.total_discount, 13);
  const unknown = await convert(c, { coupons_applied: [{ code: 'SUMMER-SALE' }] });
  assert.equal(unknown.status, 201);
  assert.equal(unknown.body.data.attribution, null, 'a coupon that is no referral code attributes nothing');
});

test('rule 4: the newest pending claim of the email, trimmed and lower-cased', async (t) => {
  const { c, clock } = await fresh(t);
  const older = await claim(c, 'JOHN123', '  Client@Example.com ');
  clock.advance(HOUR_MS);
  const newer = await claim(c, 'TESTCODE', 'CLIENT@example.COM');
  const res = await convert(c, { customer_email: ' CLIENT@EXAMPLE.COM ' });
  assertAttributed(res, 'email', 'TESTCODE', newer);
  assert.equal((await row(c, 'SELECT status FROM claims WHERE id = ?', older)).status, 'pending');
  // The converted claim is no longer pending: the next order of that email falls back to the older claim.
  assertAttributed(await convert(c), 'email', 'JOHN123', older);
});

test('rule 5: the newest visit of visitor_id', async (t) => {
  const { c, clock } = await fresh(t);
  await visit(c, 'V2AVMRDJ', 'vis-1');
  clock.advance(HOUR_MS);
  await visit(c, 'JOHN123', 'vis-1');
  await visit(c, 'TESTCODE', 'vis-2');
  assertAttributed(await convert(c, { visitor_id: 'vis-1' }), 'visitor', 'JOHN123', null);
});

test('no rule matches: 201, attribution null, no reward, nothing linked', async (t) => {
  const { c } = await fresh(t);
  await claim(c, 'JOHN123', 'another@example.com');
  await visit(c, 'JOHN123', 'vis-other');
  const res = await convert(c, { visitor_id: 'vis-unknown' });
  assert.equal(res.status, 201);
  assert.equal(res.body.data.attribution, null);
  assert.equal(res.body.data.referral_code, null);
  assert.equal(res.body.data.claim_id, null);
  assert.equal(res.body.data.reward, null);
  assert.equal((await row(c, 'SELECT advocate_id FROM conversions')).advocate_id, null);
  assert.equal(await count(c, 'rewards'), 0);
});

test('claim_id wins over referral_code', async (t) => {
  const { c } = await fresh(t);
  const id = await claim(c, 'JOHN123');
  assertAttributed(await convert(c, { claim_id: id, referral_code: 'TESTCODE' }), 'claim_id', 'JOHN123', id);
});

test('referral_code wins over a coupon code', async (t) => {
  const { c } = await fresh(t);
  assertAttributed(await convert(c, { referral_code: 'TESTCODE', coupons_applied: [{ code: 'JOHN123' }] }), 'referral_code', 'TESTCODE', null);
});

test('a coupon code wins over the pending claim of the email (which stays pending)', async (t) => {
  const { c } = await fresh(t);
  const johns = await claim(c, 'JOHN123');
  assertAttributed(await convert(c, { coupons_applied: [{ code: 'TESTCODE' }] }), 'coupon', 'TESTCODE', null);
  assert.equal((await row(c, 'SELECT status FROM claims WHERE id = ?', johns)).status, 'pending');
});

test('the pending claim of the email wins over the visit of visitor_id', async (t) => {
  const { c, clock } = await fresh(t);
  const johns = await claim(c, 'JOHN123');
  clock.advance(HOUR_MS);
  await visit(c, 'V2AVMRDJ', 'vis-1');
  assertAttributed(await convert(c, { visitor_id: 'vis-1' }), 'email', 'JOHN123', johns);
});

test('a rule names the advocate; the pending claim of that advocate for the email is linked too', async (t) => {
  const { c } = await fresh(t);
  const tess = await claim(c, 'TESTCODE');
  await visit(c, 'TESTCODE', 'vis-1');
  assertAttributed(await convert(c, { visitor_id: 'vis-1', customer_email: 'nobody@example.com' }), 'visitor', 'TESTCODE', null);
  // By code, Tess's pending claim of EMAIL is the one converted.
  assertAttributed(await convert(c, { referral_code: 'TESTCODE' }), 'referral_code', 'TESTCODE', tess);
});

test('window: a claim older than attribution_window_days no longer attributes by email', async (t) => {
  const { c, clock } = await fresh(t);
  const id = await claim(c, 'JOHN123');
  clock.advance(29 * DAY_MS);
  assertAttributed(await convert(c), 'email', 'JOHN123', id);

  await claim(c, 'TESTCODE', 'later@example.com');
  clock.advance(30 * DAY_MS + 1000);
  const late = await convert(c, { customer_email: 'later@example.com' });
  assert.equal(late.status, 201);
  assert.equal(late.body.data.attribution, null);
});

test('window: a visit older than the window no longer attributes; the brand setting is honoured', async (t) => {
  const { c, clock } = await fresh(t);
  await visit(c, 'JOHN123', 'vis-1');
  clock.advance(30 * DAY_MS - 1000);
  assertAttributed(await convert(c, { visitor_id: 'vis-1', customer_email: 'a@example.com' }), 'visitor', 'JOHN123', null);
  clock.advance(2000);
  assert.equal((await convert(c, { visitor_id: 'vis-1', customer_email: 'b@example.com' })).body.data.attribution, null);

  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, attributionWindowDays: 7 });
  await visit(c, 'TESTCODE', 'vis-2');
  clock.advance(6 * DAY_MS);
  assertAttributed(await convert(c, { visitor_id: 'vis-2', customer_email: 'c@example.com' }), 'visitor', 'TESTCODE', null);
  clock.advance(2 * DAY_MS);
  assert.equal((await convert(c, { visitor_id: 'vis-2', customer_email: 'd@example.com' })).body.data.attribution, null);
});

test('first_touch: a second link on the same device keeps the first advocate, also for the conversion', async (t) => {
  const { c, clock } = await fresh(t);
  await visit(c, 'V2AVMRDJ', 'vis-1');
  clock.advance(HOUR_MS);
  const second = await visit(c, 'JOHN123', 'vis-1', 'V2AVMRDJ');
  assert.deepEqual([second.store_code, second.code], [false, 'V2AVMRDJ']);
  assertAttributed(await convert(c, { visitor_id: 'vis-1' }), 'visitor', 'V2AVMRDJ', null);
});

test('last_touch: a second link on the same device takes over, also for the conversion', async (t) => {
  const { c, clock } = await fresh(t);
  const brand = (await c.deps.q.brands.getBrand(c.brand.brand_id))!;
  await c.deps.q.brands.saveSettings({ ...brand, attributionModel: 'last_touch' });
  await visit(c, 'V2AVMRDJ', 'vis-1');
  clock.advance(HOUR_MS);
  const second = await visit(c, 'JOHN123', 'vis-1', 'V2AVMRDJ');
  assert.deepEqual([second.store_code, second.code], [true, 'JOHN123']);
  assertAttributed(await convert(c, { visitor_id: 'vis-1' }), 'visitor', 'JOHN123', null);
});
