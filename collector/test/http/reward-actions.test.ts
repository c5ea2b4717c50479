// Reward actions (issue 12, 003_*'s reward_action_type): a referred enrolment, clicks reached and shares reached earn
// their campaign's reward as commissions with the same lifecycle; each earns once per enrolment or milestone, also
// when visits arrive at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockedCollector } from '../support/commissions.ts';
import type { TestCollector } from '../support/collector.ts';
import { advocateId, assertError, DAY_MS, PATHS } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

const API = '/api/v1';

async function campaign(c: TestCollector, rules: Record<string, unknown>) {
  const res = await c.call('POST', `${API}/campaigns`, { name: `C ${Math.random()}`, ...rules });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.campaign as { id: number; [k: string]: unknown };
}

async function moveTo(c: TestCollector, code: string, campaignId: number): Promise<number> {
  const id = await advocateId(c, code);
  assert.equal((await c.call('PATCH', `${API}/advocates/${id}`, { campaign_id: campaignId })).status, 200);
  return id;
}

const commissionsOf = async (c: TestCollector, advocate: number, action?: number) =>
  ((await c.call('GET', `${API}/commissions`, undefined, { query: { advocate_id: String(advocate), limit: '100' } })).body.data.commissions as
    Array<{ id: number; reward_action_type: number; amount: number; kind: string; status: string; conversion_id: number | null; campaign_id: number; referral_record_uuid: string }>)
    .filter((x) => action === undefined || x.reward_action_type === action);

const visit = (c: TestCollector, code: string) => c.post(PATHS.visit, { referral_code: code });

test('a campaign sets its action rewards; they are answered, validated by type, and copied from the default when not given', async (t) => {
  const { c } = await clockedCollector(t);
  const p = await campaign(c, { enrolment_reward_type: 'fixed', enrolment_reward_value: 5, clicks_reward_type: 'points', clicks_reward_value: 50,
    clicks_threshold: 100, clicks_reward_repeats: true, shares_reward_type: 'fixed', shares_reward_value: '2.50', shares_threshold: 10 });
  assert.equal(p.enrolment_reward_value, 5);
  assert.equal(p.clicks_reward_value, 50);
  assert.equal(p.clicks_reward_repeats, true);
  assert.equal(p.shares_reward_value, 2.5);
  assert.equal(p.shares_reward_repeats, false);
  const defaults = (await c.call('GET', `${API}/campaigns`)).body.data.campaigns[0];
  assert.equal(defaults.enrolment_reward_type, 'none');
  assert.equal(defaults.clicks_threshold, 100);
  assertError(await c.call('POST', `${API}/campaigns`, { name: 'Bad', clicks_reward_type: 'points', clicks_reward_value: 1.5 }), 400, 'invalid_request', 'clicks_reward_value');
  assertError(await c.call('POST', `${API}/campaigns`, { name: 'Bad', enrolment_reward_type: 'percentage' }), 400, 'invalid_request', 'enrolment_reward_type');
  assertError(await c.call('POST', `${API}/campaigns`, { name: 'Bad', shares_threshold: 0 }), 400, 'invalid_request', 'shares_threshold');
  assertError(await c.call('PATCH', `${API}/campaigns/${p.id}`, { enrolment_reward_type: 'points' }), 400, 'invalid_request', 'enrolment_reward_value');
  assert.equal((await c.call('GET', `${API}/campaigns/${p.id}`)).body.data.campaign.enrolment_reward_type, 'fixed', 'nothing written');
  // /settings answers as before: the action rules are a campaign's own.
  assert.equal('enrolment_reward_type' in (await c.call('GET', `${API}/settings`)).body.data.settings, false);
});

test('a referred enrolment earns the referrer their campaign\'s enrolment reward, once, through the commission lifecycle', async (t) => {
  const { c, clock } = await clockedCollector(t);
  const p = await campaign(c, { enrolment_reward_type: 'fixed', enrolment_reward_value: 5, cooling_period_days: 7 });
  const sarah = await moveTo(c, 'V2AVMRDJ', p.id);
  const hook = await subscribeEndpoint(c, ['commission.created', 'referral_record.created']);
  const res = await c.call('POST', `${API}/advocates`, { email: 'new@advocate.example', name: 'New One', referred_by: sarah });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const [earned, ...more] = await commissionsOf(c, sarah, 2);
  assert.equal(more.length, 0);
  assert.equal(earned!.amount, 5);
  assert.equal(earned!.kind, 'cash');
  assert.equal(earned!.status, 'pending');
  assert.equal(earned!.conversion_id, null);
  assert.equal(earned!.campaign_id, p.id);
  const record = (await c.call('GET', `${API}/referral-records/${earned!.referral_record_uuid}`)).body.data.referral_record;
  assert.equal(record.reward_action_type, 2);
  assert.deepEqual(record.referred_customer, { email: 'new@advocate.example', advocate_id: res.body.data.advocate.id });
  assert.equal(record.order, null);
  assert.equal(record.reward_earned, 5);
  assert.equal(record.reward_type, 'commission');
  const events = await storedEvents(c, { endpointId: hook.id });
  assert.deepEqual(events.map((e) => e.type), ['commission.created', 'referral_record.created']);

  // The default campaign has no enrolment reward: an advocate referred by someone in it earns nothing.
  const john = await advocateId(c, 'JOHN123');
  assert.equal((await c.call('POST', `${API}/advocates`, { email: 'other@advocate.example', name: 'Other', referred_by: john })).status, 201);
  assert.equal((await commissionsOf(c, john, 2)).length, 0);

  // The same lifecycle: approved when the cooling period ends.
  clock.advance(7 * DAY_MS + 1000);
  assert.equal((await c.call('GET', `${API}/commissions/${earned!.id}`)).body.data.commission.status, 'approved');
});

test('clicks reached: earned by the click that reaches the threshold, not before and not twice; with repeats at every multiple', async (t) => {
  const { c } = await clockedCollector(t);
  const once = await campaign(c, { clicks_reward_type: 'points', clicks_reward_value: 50, clicks_threshold: 3 });
  const sarah = await moveTo(c, 'V2AVMRDJ', once.id);
  // Two codes of one advocate count together.
  assert.equal((await c.call('POST', `${API}/advocates/${sarah}/codes`, { code: 'SARAH-TWO' })).status, 201);
  await visit(c, 'V2AVMRDJ');
  await visit(c, 'SARAH-TWO');
  assert.equal((await commissionsOf(c, sarah, 3)).length, 0, 'two clicks: not yet');
  await visit(c, 'V2AVMRDJ');
  const [earned, ...more] = await commissionsOf(c, sarah, 3);
  assert.equal(more.length, 0);
  assert.equal(earned!.kind, 'points');
  assert.equal(earned!.amount, 50);
  const record = (await c.call('GET', `${API}/referral-records/${earned!.referral_record_uuid}`)).body.data.referral_record;
  assert.equal(record.qualified_amount, 3);
  assert.equal(record.short_code, 'V2AVMRDJ');
  assert.equal(record.referred_customer, null);
  for (let i = 0; i < 4; i++) await visit(c, 'SARAH-TWO');
  assert.equal((await commissionsOf(c, sarah, 3)).length, 1, 'once: never again');

  const repeating = await campaign(c, { clicks_reward_type: 'fixed', clicks_reward_value: 1, clicks_threshold: 2, clicks_reward_repeats: true });
  const tess = await moveTo(c, 'TESTCODE', repeating.id);
  for (let i = 0; i < 5; i++) await visit(c, 'TESTCODE');
  assert.deepEqual((await commissionsOf(c, tess, 3)).map((x) => x.amount), [1, 1], 'at 2 and 4 clicks');
});

test('clicks reached under concurrent visits: exactly one reward at the threshold', async (t) => {
  const { c } = await clockedCollector(t);
  const p = await campaign(c, { clicks_reward_type: 'fixed', clicks_reward_value: 3, clicks_threshold: 20 });
  const john = await moveTo(c, 'JOHN123', p.id);
  assert.equal((await c.call('POST', `${API}/advocates/${john}/codes`, { code: 'JOHN-TWO' })).status, 201);
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => visit(c, i % 2 ? 'JOHN123' : 'JOHN-TWO')));
  assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.map((a) => a.status)));
  assert.equal((await commissionsOf(c, john, 3)).length, 1);
});

test('shares: POST /track/share counts on the code, and a shares reward is earned at its threshold', async (t) => {
  const { c } = await clockedCollector(t);
  const p = await campaign(c, { shares_reward_type: 'fixed', shares_reward_value: 2, shares_threshold: 2 });
  const tess = await moveTo(c, 'TESTCODE', p.id);
  const hook = await subscribeEndpoint(c, ['share.created']);
  const first = await c.post(PATHS.share, { referral_code: 'testcode', channel: 'WhatsApp' });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual({ ...first.body.data.share, id: 0, created_at: '' },
    { id: 0, referral_code: 'TESTCODE', advocate_id: tess, campaign_id: p.id, channel: 'whatsapp', created_at: '' });
  assert.equal((await commissionsOf(c, tess, 4)).length, 0);
  assert.equal((await c.post(PATHS.share, { referral_code: 'TESTCODE', channel: 'email' })).status, 201);
  const [earned] = await commissionsOf(c, tess, 4);
  assert.equal(earned?.amount, 2);
  assert.equal((await storedEvents(c, { endpointId: hook.id })).length, 2, 'share.created, asked for by name');
  assertError(await c.post(PATHS.share, { referral_code: 'NOPE', channel: 'email' }), 404, 'invalid_code', 'referral_code');
  assertError(await c.post(PATHS.share, { referral_code: 'TESTCODE' }), 400, 'invalid_request', 'channel');
  assertError(await c.post(PATHS.share, { referral_code: 'TESTCODE', channel: 'a b' }), 400, 'invalid_request', 'channel');
});
