// Campaigns (issue 12): a brand's default campaign holds what /settings calls the programme; two campaigns run side by
// side with their own rules; each advocate's conversions, claims and visits follow their campaign's rules as they are
// when recorded; moving an advocate or changing a campaign changes later referrals, never past ones.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { convert } from '../support/commissions.ts';
import { assertError, DAY_MS, PATHS, testClock } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

async function collector(t: TestContext): Promise<TestCollector> {
  const c = await startTestCollector();
  t.after(() => c.close());
  return c;
}

const advocateIdOf = async (c: TestCollector, code: string) => (await c.deps.q.advocates.findByCode(c.brand.brand_id, code))!.id;
const commission = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/commissions/${id}`)).body.data.commission;

async function partners(c: TestCollector, rules: Record<string, unknown> = {}) {
  const res = await c.call('POST', '/api/v1/campaigns', { name: 'Partners 20%', referrer_reward_type: 'percentage', referrer_reward_value: 20,
    cooling_period_days: 14, referee_discount_type: 'fixed', referee_discount_value: 15, ...rules });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.campaign as { id: number; [k: string]: unknown };
}

test("a brand has one campaign, its default, whose rules are /settings' programme fields", async (t) => {
  const c = await collector(t);
  const { campaigns } = (await c.call('GET', '/api/v1/campaigns')).body.data;
  assert.equal(campaigns.length, 1);
  const [only] = campaigns;
  assert.equal(only.is_default, true);
  assert.equal(only.status, 'active');
  assert.equal(only.advocate_count, 3, 'the three seeded advocates');
  const settings = (await c.call('GET', '/api/v1/settings')).body.data.settings;
  for (const field of ['attribution_window_days', 'referee_discount_type', 'referee_discount_value', 'referrer_reward_type', 'referrer_reward_value',
    'cooling_period_days', 'level2_reward_type', 'level2_reward_value']) assert.equal(only[field], settings[field], field);

  // PATCH /settings changes the default campaign, and a PATCH of the default campaign is what /settings then answers.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { referrer_reward_value: 12 })).status, 200);
  assert.equal((await c.call('GET', `/api/v1/campaigns/${only.id}`)).body.data.campaign.referrer_reward_value, 12);
  assert.equal((await c.call('PATCH', `/api/v1/campaigns/${only.id}`, { cooling_period_days: 3 })).status, 200);
  assert.equal((await c.call('GET', '/api/v1/settings')).body.data.settings.cooling_period_days, 3);
  assert.equal((await c.call('GET', '/api/v1/advocates/1')).body.data.advocate.campaign_id, only.id);
});

test("two campaigns side by side: each advocate's conversion earns at their campaign's rate, with its cooling period", async (t) => {
  const c = await collector(t);
  const p = await partners(c);
  assert.equal(p.is_default, false);
  assert.equal(p.referrer_reward_value, 20);
  assert.equal(p.attribution_window_days, 30, 'a rule not given starts as the default campaign has it');
  const tess = await advocateIdOf(c, 'TESTCODE');
  const moved = await c.call('PATCH', `/api/v1/advocates/${tess}`, { campaign_id: p.id });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal(moved.body.data.advocate.campaign_id, p.id);

  const friends = await commission(c, await convert(c, 'CAMP-1', 100, 'JOHN123'));
  const partner = await commission(c, await convert(c, 'CAMP-2', 100, 'TESTCODE'));
  assert.equal(friends.amount, 10, 'the default campaign: 10 %');
  assert.equal(partner.amount, 20, 'Partners: 20 %');
  const days = (x: { available_at: string; created_at: string }) => (Date.parse(x.available_at) - Date.parse(x.created_at)) / 86_400_000;
  assert.equal(days(friends), 30);
  assert.equal(days(partner), 14);

  const listed = (await c.call('GET', '/api/v1/advocates', undefined, { query: { campaign_id: p.id } })).body.data.advocates;
  assert.deepEqual(listed.map((a: { id: number }) => a.id), [tess]);
  assert.equal((await c.call('GET', `/api/v1/campaigns/${p.id}`)).body.data.campaign.advocate_count, 1);
});

test('moving an advocate, or changing their campaign, changes their next conversion and none before it', async (t) => {
  const c = await collector(t);
  const p = await partners(c);
  const john = await advocateIdOf(c, 'JOHN123');
  const before = await convert(c, 'MOVE-1', 200);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { campaign_id: p.id })).status, 200);
  const after = await convert(c, 'MOVE-2', 200);
  assert.equal((await commission(c, before)).amount, 20, 'earned at 10 % before the move, and still');
  assert.equal((await commission(c, after)).amount, 40, 'at 20 % after it');

  assert.equal((await c.call('PATCH', `/api/v1/campaigns/${p.id}`, { referrer_reward_type: 'fixed', referrer_reward_value: 7.5 })).status, 200);
  const later = await convert(c, 'MOVE-3', 200);
  assert.equal((await commission(c, later)).amount, 7.5);
  assert.equal((await commission(c, after)).amount, 40, 'a campaign change leaves earned commissions as they are');
});

test("a visit and a claim offer the discount of the advocate's campaign", async (t) => {
  const c = await collector(t);
  const p = await partners(c);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateIdOf(c, 'TESTCODE')}`, { campaign_id: p.id })).status, 200);
  const visit = await c.post(PATHS.visit, { referral_code: 'TESTCODE' });
  assert.deepEqual(visit.body.data.referee_discount, { type: 'fixed', value: 15 });
  const other = await c.post(PATHS.visit, { referral_code: 'JOHN123' });
  assert.deepEqual(other.body.data.referee_discount, { type: 'percentage', value: 10 });
  const claim = await c.post(PATHS.claim, { referral_code: 'TESTCODE', email: 'claimer@example.com', raw_value: 100 });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(claim.body.data.discount_applied, 15);
  assert.equal(claim.body.data.claim_value, 85);
});

test('archiving: an archived campaign takes no advocate, its own keep its rules; the default cannot be archived', async (t) => {
  const c = await collector(t);
  const p = await partners(c);
  const tess = await advocateIdOf(c, 'TESTCODE');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${tess}`, { campaign_id: p.id })).status, 200);
  const archived = await c.call('POST', `/api/v1/campaigns/${p.id}/archive`, {});
  assert.equal(archived.status, 200);
  assert.equal(archived.body.data.campaign.status, 'archived');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'late@example.com', name: 'Late', campaign_id: p.id }), 400, 'invalid_request', 'campaign_id');
  assertError(await c.call('PATCH', `/api/v1/advocates/${await advocateIdOf(c, 'JOHN123')}`, { campaign_id: p.id }), 400, 'invalid_request', 'campaign_id');
  assert.equal((await commission(c, await convert(c, 'ARCH-1', 100, 'TESTCODE'))).amount, 20, 'its advocates keep its rules');
  const { campaigns } = (await c.call('GET', '/api/v1/campaigns')).body.data;
  const byDefault = campaigns.find((x: { is_default: boolean }) => x.is_default);
  assertError(await c.call('POST', `/api/v1/campaigns/${byDefault.id}/archive`, {}), 409, 'default_campaign', 'status');
  // Brought back, it takes advocates again.
  assert.equal((await c.call('PATCH', `/api/v1/campaigns/${p.id}`, { status: 'active' })).status, 200);
  assert.equal((await c.call('POST', '/api/v1/advocates', { email: 'late@example.com', name: 'Late', campaign_id: p.id })).status, 201);
});

test('bad campaigns are 400s naming the field, a taken name a 409, and nothing is written', async (t) => {
  const c = await collector(t);
  await partners(c);
  assertError(await c.call('POST', '/api/v1/campaigns', {}), 400, 'invalid_request', 'name');
  assertError(await c.call('POST', '/api/v1/campaigns', { name: 'Over', referrer_reward_value: 120 }), 400, 'invalid_request', 'referrer_reward_value');
  assertError(await c.call('POST', '/api/v1/campaigns', { name: 'Type only', referrer_reward_type: 'points' }), 400, 'invalid_request', 'referrer_reward_value');
  assertError(await c.call('POST', '/api/v1/campaigns', { name: 'Partners 20%' }), 409, 'campaign_name_taken', 'name');
  assertError(await c.call('PATCH', '/api/v1/campaigns/999', { name: 'X' }), 404, 'not_found');
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'x@example.com', name: 'X', campaign_id: 999 }), 400, 'invalid_request', 'campaign_id');
  assert.equal((await c.call('GET', '/api/v1/campaigns')).body.data.campaigns.length, 2);
});

test("another brand's campaign cannot be joined: a 400 naming campaign_id", async (t) => {
  const c = await collector(t);
  const b = await c.addBrand({ codes: [['BCODE', 'Bo', 'bo@b.example']] });
  const theirs = await c.call('POST', '/api/v1/campaigns', { name: 'B only' }, { brand: b });
  assert.equal(theirs.status, 201);
  assertError(await c.call('POST', '/api/v1/advocates', { email: 'y@example.com', name: 'Y', campaign_id: theirs.body.data.campaign.id }),
    400, 'invalid_request', 'campaign_id');
  assertError(await c.call('GET', `/api/v1/campaigns/${theirs.body.data.campaign.id}`), 404, 'not_found');
});

test("a claim attributes by email only inside its advocate's campaign's window, which may be longer or shorter than the default's", async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const short = await c.call('POST', '/api/v1/campaigns', { name: 'Short', attribution_window_days: 7 });
  const long = await c.call('POST', '/api/v1/campaigns', { name: 'Long', attribution_window_days: 60 });
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateIdOf(c, 'TESTCODE')}`, { campaign_id: short.body.data.campaign.id })).status, 200);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateIdOf(c, 'JOHN123')}`, { campaign_id: long.body.data.campaign.id })).status, 200);
  for (const [code, email] of [['TESTCODE', 'short@example.com'], ['JOHN123', 'long@example.com'], ['V2AVMRDJ', 'default@example.com']]) {
    assert.equal((await c.post(PATHS.claim, { referral_code: code, email })).status, 201);
  }
  clock.advance(10 * DAY_MS);
  // 10 days on: past Short's 7 days, inside the default's 30 and Long's 60.
  const attributed = async (email: string, order: string) =>
    (await c.post(PATHS.conversion, { customer_email: email, order_id: order, order_value: 50 })).body.data.attribution;
  assert.equal(await attributed('short@example.com', 'W-1'), null);
  assert.equal(await attributed('default@example.com', 'W-2'), 'email');
  clock.advance(35 * DAY_MS);
  // 45 days on: past the default's 30 days, inside Long's 60 (the look-up searches the longest window).
  assert.equal(await attributed('long@example.com', 'W-3'), 'email');
});

test('campaign.created and campaign.updated are sent with the campaign as GET answers it, also for a /settings change of the default one', async (t) => {
  const c = await collector(t);
  await subscribeEndpoint(c, ['campaign.created', 'campaign.updated']);
  const p = await partners(c);
  await c.call('POST', `/api/v1/campaigns/${p.id}/archive`, {});
  await c.call('PATCH', '/api/v1/settings', { referrer_reward_value: 11 });
  await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://shop.example'] });
  const events = await storedEvents(c);
  assert.deepEqual(events.map((e) => [e.type, e.body.data.name, e.body.data.status]), [
    ['campaign.created', 'Partners 20%', 'active'],
    ['campaign.updated', 'Partners 20%', 'archived'],
    ['campaign.updated', 'Default', 'active'],
  ], 'a settings change outside the programme sends nothing');
  assert.equal(events[2]!.body.data.referrer_reward_value, 11);
  const { campaign } = (await c.call('GET', `/api/v1/campaigns/${p.id}`)).body.data;
  assert.deepEqual(events[1]!.body.data, campaign);
});

test("level 2 follows the rules of the level-1 advocate's campaign, and each commission records that campaign", async (t) => {
  const c = await collector(t);
  const p = await partners(c, { level2_reward_type: 'percentage', level2_reward_value: 5 });
  const john = await advocateIdOf(c, 'JOHN123');
  const jane = await c.call('POST', '/api/v1/advocates', { email: 'jane@advocate.example', name: 'Jane', referral_code: 'JANE20', referred_by: john, campaign_id: p.id });
  assert.equal(jane.status, 201, JSON.stringify(jane.body));
  const order = await c.post(PATHS.conversion, { customer_email: 'l2@example.com', order_id: 'L2-1', order_value: 100, referral_code: 'JANE20' });
  assert.equal(order.status, 201);
  const levels = order.body.data.rewards.map((r: { level: number; advocate_id: number; amount: number }) => [r.level, r.advocate_id, r.amount]);
  assert.deepEqual(levels, [[1, jane.body.data.advocate.id, 20], [2, john, 5]], "Partners' 20 % and its level-2 5 %, though John is in the default campaign");
  for (const r of order.body.data.rewards) assert.equal((await commission(c, r.id)).campaign_id, p.id);
  const { campaigns } = (await c.call('GET', '/api/v1/campaigns')).body.data;
  const byDefault = campaigns.find((x: { is_default: boolean }) => x.is_default);
  const own = await commission(c, await convert(c, 'L2-2', 100, 'JOHN123'));
  assert.equal(own.campaign_id, byDefault.id);
  // The default campaign has no level 2: a default advocate's referrer earns nothing.
  const moved = await c.call('PATCH', `/api/v1/advocates/${jane.body.data.advocate.id}`, { campaign_id: byDefault.id });
  assert.equal(moved.status, 200);
  const after = await c.post(PATHS.conversion, { customer_email: 'l2b@example.com', order_id: 'L2-3', order_value: 100, referral_code: 'JANE20' });
  assert.deepEqual(after.body.data.rewards.map((r: { level: number }) => r.level), [1]);
});

test('two campaigns of the same name sent at once: one 201, one 409 campaign_name_taken, never a 500', async (t) => {
  const c = await collector(t);
  const both = await Promise.all([1, 2].map(() => c.call('POST', '/api/v1/campaigns', { name: 'Twins' })));
  assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
  assert.equal(both.find((r) => r.status === 409)!.body.code, 'campaign_name_taken');
  assert.equal((await c.call('GET', '/api/v1/campaigns')).body.data.campaigns.length, 2);
});

test("a settings change outside the programme leaves the default campaign's updated_at as it was", async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const campaignOf = async () => (await c.call('GET', '/api/v1/campaigns')).body.data.campaigns[0];
  const before = await campaignOf();
  clock.advance(DAY_MS);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://shop.example'] })).status, 200);
  assert.equal((await campaignOf()).updated_at, before.updated_at);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { cooling_period_days: 9 })).status, 200);
  assert.equal((await campaignOf()).updated_at, clock.now().toISOString());
});
