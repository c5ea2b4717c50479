// The client's typed calls against a real collector: cursor iteration across pages, the referral loop (an advocate, a
// conversion with its code, the refund that reverses its commission), and the answers each family hands back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReferloopError, type Advocate } from '../src/index.ts';
import { clientOf, collectorAndClient } from './support/collector.ts';

test('iterate walks every advocate across pages by cursor; list answers one page', async (t) => {
  const { c } = await collectorAndClient(t);
  const pages: string[] = [];
  const rl = clientOf(c.url, c.brand, {
    fetch: (input, init) => {
      if (String(input).includes('/advocates?')) pages.push(new URL(String(input)).searchParams.get('cursor') ?? 'first');
      return fetch(input, init);
    },
  });
  for (let i = 1; i <= 7; i++) await rl.advocates.create({ email: `walker${i}@example.com`, name: `Walker ${i}` });

  const first = await rl.advocates.list({ limit: 3 });
  assert.equal(first.advocates.length, 3);
  assert.equal(first.has_more, true);
  assert.equal(typeof first.next_cursor, 'string');
  assert.deepEqual(first.advocates.map((a) => a.name), ['Walker 7', 'Walker 6', 'Walker 5'], 'newest first');

  pages.length = 0;
  const all: Advocate[] = [];
  for await (const advocate of rl.advocates.iterate({ limit: 3 })) all.push(advocate);
  assert.equal(all.length, 10, 'the 7 created and the 3 seeded');
  assert.equal(new Set(all.map((a) => a.id)).size, 10, 'each once');
  assert.deepEqual(all.map((a) => a.id), [...all.map((a) => a.id)].sort((x, y) => y - x));
  assert.deepEqual(all.slice(-3).map((a) => a.referral_code), ['JOHN123', 'TESTCODE', 'V2AVMRDJ']);
  assert.equal(pages.length, 4, 'pages of 3, 3, 3 and 1');
  assert.equal(pages[0], 'first');

  // From a cursor: the rest of the walk; filters travel with each page.
  const rest: Advocate[] = [];
  for await (const advocate of rl.advocates.iterate({ limit: 3, cursor: first.next_cursor! })) rest.push(advocate);
  assert.deepEqual(rest.map((a) => a.id), all.slice(3).map((a) => a.id));
  const found: string[] = [];
  for await (const advocate of rl.advocates.iterate({ search: 'walker', limit: 2 })) found.push(advocate.email);
  assert.equal(found.length, 7);
});

test('the referral loop through typed calls: an advocate, a conversion with its code, the refund that reverses the commission', async (t) => {
  const { rl } = await collectorAndClient(t);
  const advocate = await rl.advocates.create({ email: 'ada@advocate.example', name: 'Ada Lovelace', referral_code: 'ada10' });
  assert.equal(advocate.referral_code, 'ADA10');
  assert.deepEqual(advocate.referral_codes.map((code) => [code.code, code.status]), [['ADA10', 'active']]);
  assert.equal(advocate.pending_earnings, 0);

  assert.deepEqual(await rl.track.checkEligibility({ referral_code: 'ADA10', customer_email: 'ada@advocate.example' }),
    { eligible: false, error: 'self_referral', message: 'Advocates cannot use their own referral code.' });
  assert.deepEqual(await rl.track.checkEligibility({ referral_code: 'ADA10', email: 'buyer@example.com' }), { eligible: true });

  const conversion = await rl.track.conversion({
    customer_email: 'buyer@example.com', order_id: 'ADA-1', order_value: '120.00', referral_code: 'ADA10',
  });
  assert.equal(conversion.attribution, 'referral_code');
  assert.equal(conversion.order_value, 120);
  assert.equal(conversion.referral_code, 'ADA10');
  assert.equal(conversion.reward?.status, 'pending');
  assert.equal(conversion.reward?.amount, 12, '10% of the order');

  const again = await rl.track.conversion({ customer_email: 'buyer@example.com', order_id: 'ADA-1', order_value: 120, referral_code: 'ADA10' });
  assert.equal(again.duplicate, true, 'a new request with the same order_id (another Idempotency-Key) is the duplicate answer');
  assert.equal(again.id, conversion.id);

  assert.equal((await rl.advocates.get(advocate.id)).pending_earnings, 12);
  const [commission] = (await rl.commissions.list({ advocate_id: advocate.id })).commissions;
  assert.equal(commission?.conversion_id, conversion.id);
  assert.equal(commission?.status, 'pending');

  const refund = await rl.track.refund({ order_id: 'ADA-1', refund_amount: 120, is_full_refund: true, refund_id: 'ADA-1-R1' });
  assert.equal(refund.status, 'refunded');
  assert.equal(refund.total_refunded, 120);
  assert.ok('reward' in refund, 'a first refund, not a repeat: it says what became of the reward');
  assert.deepEqual(refund.reward, { id: commission!.id, status: 'reversed', amount: 0 });

  const reversed = await rl.commissions.get(commission!.id);
  assert.equal(reversed.status, 'reversed');
  assert.deepEqual(reversed.history.map((h) => [h.event, h.delta]), [['created', 12], ['reversed', -12]]);
  const stored = await rl.conversions.get(conversion.id);
  assert.equal(stored.refunded, 120);
  assert.deepEqual(stored.rewards.map((r) => r.status), ['reversed']);
  assert.equal((await rl.advocates.get(advocate.id)).pending_earnings, 0);
});

test('each family answers its resource unwrapped; an unknown id is a ReferloopError 404', async (t) => {
  const { c, rl } = await collectorAndClient(t, { config: { webhooks: { allowPrivate: true, timeoutMs: 5_000 } } });
  const settings = await rl.settings.get();
  assert.equal(settings.brand_id, c.brand.brand_id);
  assert.equal((await rl.settings.update({ cooling_period_days: 14 })).cooling_period_days, 14);

  const sarah = (await rl.advocates.list({ search: 'sarah' })).advocates[0]!;
  assert.equal((await rl.advocates.update(sarah.id, { tier: 'gold' })).tier, 'gold');
  const added = await rl.advocates.addCode(sarah.id, { code: 'SARAH5' });
  assert.equal(added.code, 'SARAH5');
  assert.equal(added.advocate_name, 'Sarah Jones');
  assert.equal((await rl.referrals.deactivate('sarah5')).status, 'inactive');
  assert.equal((await rl.referrals.setStatus('SARAH5', { status: 'active' })).status, 'active');
  assert.equal((await rl.referrals.stats('V2AVMRDJ')).clicks, 0);
  const points = await rl.advocates.points(sarah.id, { amount: 50, description: 'welcome' });
  assert.equal(points.new_balance, 50);
  const ledger = await rl.advocates.pointsLedger(sarah.id);
  assert.deepEqual([ledger.balance, ledger.total, ledger.transactions[0]?.id], [50, 1, points.transaction.id]);

  const claim = await rl.track.claim({ referral_code: 'V2AVMRDJ', customer_email: 'claimer@example.com', raw_value: 40 });
  assert.equal((await rl.claims.get(claim.claim_id)).email, 'claimer@example.com');
  assert.equal((await rl.claims.list({ code: 'v2avmrdj' })).claims.length, 1);
  const visit = await rl.track.visit({ referral_code: 'TESTCODE', landing_page: 'https://shop.example/?ref=TESTCODE' });
  assert.equal(visit.code, 'TESTCODE');
  assert.deepEqual((await rl.visits.list({ visitor_id: visit.visitor_id })).visits.map((v) => v.code), ['TESTCODE']);
  assert.deepEqual(await rl.commissions.approveDue(), { approved: 0, commissions: [], truncated: false, remaining: false });
  assert.deepEqual((await rl.payouts.get()).advocates, []);

  const webhook = await rl.webhooks.create({ url: 'http://127.0.0.1:9/hooks', events: ['commission.approved'], description: 'CRM' });
  assert.match(webhook.secret, /^whsec_/);
  assert.equal((await rl.webhooks.update(webhook.id, { description: null })).description, null);
  assert.deepEqual((await rl.webhooks.list()).webhooks.map((w) => w.id), [webhook.id]);
  const delivery = await rl.webhooks.test(webhook.id);
  assert.equal(delivery.event_type, 'conversion.created');
  assert.equal((await rl.webhooks.delivery(webhook.id, delivery.id)).payload.type, 'conversion.created');
  assert.deepEqual((await rl.webhooks.deliveries(webhook.id)).deliveries.map((d) => d.id), [delivery.id]);
  assert.match((await rl.webhooks.remove(webhook.id)).deleted_at, /^\d{4}-/);

  await assert.rejects(rl.webhooks.get(webhook.id), (e: unknown) => e instanceof ReferloopError && e.status === 404 && e.code === 'not_found');
  await assert.rejects(clientOf(c.url, { ...c.brand, secret_key: 'rl_sk_wrong' }).advocates.list(),
    (e: unknown) => e instanceof ReferloopError && e.status === 401 && e.code === 'invalid_api_key');
});

test('campaigns through typed calls: a second campaign, an advocate moved into it earns at its rate', async (t) => {
  const { rl } = await collectorAndClient(t);
  const [byDefault] = await rl.campaigns.list();
  assert.equal(byDefault?.is_default, true);
  const partners = await rl.campaigns.create({ name: 'Partners 20%', referrer_reward_value: 20 });
  assert.equal((await rl.campaigns.get(partners.id)).referrer_reward_value, 20);
  const ada = await rl.advocates.create({ email: 'ada@advocate.example', name: 'Ada', referral_code: 'ADA20', campaign_id: partners.id });
  assert.equal(ada.campaign_id, partners.id);
  const conversion = await rl.track.conversion({ customer_email: 'buyer@example.com', order_id: 'CAMP-1', order_value: 50, referral_code: 'ADA20' });
  assert.equal((await rl.commissions.get(conversion.reward!.id)).amount, 10);
  assert.equal((await rl.campaigns.update(partners.id, { name: 'Partners 25%', referrer_reward_value: 25 })).name, 'Partners 25%');
  assert.equal((await rl.campaigns.archive(partners.id)).status, 'archived');
});

test('reward actions and referral records through typed calls: shares reach a threshold, each commission is one record, one entered', async (t) => {
  const { rl } = await collectorAndClient(t);
  const sharers = await rl.campaigns.create({ name: 'Sharers', shares_reward_type: 'fixed', shares_reward_value: 2, shares_threshold: 2 });
  const ada = await rl.advocates.create({ email: 'ada@advocate.example', name: 'Ada', referral_code: 'ADA20', campaign_id: sharers.id });
  assert.equal((await rl.track.share({ referral_code: 'ADA20', channel: 'email' })).channel, 'email');
  await rl.track.share({ referral_code: 'ADA20', channel: 'whatsapp' });
  const { referral_records: [earned] } = await rl.referralRecords.list({ advocate_id: ada.id });
  assert.deepEqual([earned?.reward_action_type, earned?.reward_earned, earned?.qualified_amount], [4, 2, 2]);
  assert.equal((await rl.referralRecords.get(earned!.uuid)).commission_id, earned!.commission_id);
  const entered = await rl.referralRecords.create({ referrer_advocate_id: ada.id, reward_action_type: 1, order_id: 'POS-1',
    referred_customer_email: 'walkin@example.com', reward_amount: '3.50' });
  assert.equal(entered.entered, true);
  const all: number[] = [];
  for await (const r of rl.referralRecords.iterate({ limit: 1 })) all.push(r.commission_id);
  assert.deepEqual(all, [entered.commission_id, earned!.commission_id]);
});
