// The dashboard's campaign pages over HTTP: the list as GET /api/v1/campaigns answers it, a new campaign and an edit
// through the API's schemas and use cases (a refusal beside its field, nothing written), archive and bring back (the
// default campaign refused with the API's message), the advocates of a campaign paged by the API's cursor, moving an
// advocate from their page (the next real conversion earns at the new campaign's rate), a viewer who reads and changes
// nothing, another brand's campaign a 404; and the figures block's slot.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { convert } from '../support/commissions.ts';
import { fieldError, noticeAfter, rowWith, signedIn, textOf as text } from '../support/dashboard.ts';
import { advocateId } from '../support/fixtures.ts';
import { campaignFiguresBlock } from '../../src/dashboard/pages/campaign.ts';
import type { PageCtx } from '../../src/dashboard/page.ts';

interface Campaign { id: number; name: string; status: string; is_default: boolean; advocate_count: number; [rule: string]: unknown }

const campaigns = async (c: TestCollector): Promise<Campaign[]> => (await c.call('GET', '/api/v1/campaigns')).body.data.campaigns;
const campaign = async (c: TestCollector, id: number): Promise<Campaign> => (await c.call('GET', `/api/v1/campaigns/${id}`)).body.data.campaign;
const commissionAmount = async (c: TestCollector, id: number): Promise<number> => (await c.call('GET', `/api/v1/commissions/${id}`)).body.data.commission.amount;

/** Partners: 20 % for the advocate, 15.00 off for the customer, 14 days' cooling (through the API). */
async function partners(c: TestCollector, name = 'Partners 20%'): Promise<Campaign> {
  const res = await c.call('POST', '/api/v1/campaigns', { name, referrer_reward_type: 'percentage', referrer_reward_value: 20,
    referee_discount_type: 'fixed', referee_discount_value: 15, cooling_period_days: 14 });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.campaign;
}

async function setUp(t: TestContext) {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

/** Every rule field of the campaign form, as a browser posts it (the form sends them all). */
const ruleForm = (rules: Record<string, string> = {}) => ({
  attribution_window_days: '30', referee_discount_type: 'percentage', referee_discount_value: '10',
  referrer_reward_type: 'percentage', referrer_reward_value: '10', level2_reward_type: 'none', level2_reward_value: '0',
  cooling_period_days: '30', ...rules,
});

test('the list shows each campaign as GET /api/v1/campaigns answers it (status, default, rules, advocates), linked from the navigation', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateId(c, 'TESTCODE')}`, { campaign_id: p.id })).status, 200);
  const page = await owner.get('/dashboard/campaigns');
  assert.equal(page.status, 200);
  assert.match(page.text, /<a href="\/dashboard\/campaigns" aria-current="page">Campaigns<\/a>/, 'the nav entry');
  assert.match((await owner.get('/dashboard')).text, /<a href="\/dashboard\/campaigns">Campaigns<\/a>/, 'in the navigation of every page');
  const api = await campaigns(c);
  assert.deepEqual(api.map((x) => [x.name, x.advocate_count]), [['Default', 2], ['Partners 20%', 1]]);
  const byDefault = api[0]!;
  assert.match(rowWith(page, `/dashboard/campaigns/${byDefault.id}"`),
    /^Default active default advocate earns 10 % · customer gets 10 % off · level 2: none · approved after 30 days · window 30 days 2 \w+ \d+, \d{4}, /);
  assert.match(rowWith(page, `/dashboard/campaigns/${p.id}"`),
    /^Partners 20% active advocate earns 20 % · customer gets \$15\.00 off · level 2: none · approved after 14 days · window 30 days 1 /);
  // The new campaign form starts with the default campaign's rules.
  assert.match(page.text, /<h2 id="new-campaign-title">New campaign<\/h2>/);
  assert.match(page.text, /id="f-referrer_reward_value" name="referrer_reward_value" type="text" value="10"/);
  assert.match(page.text, /id="f-cooling_period_days" name="cooling_period_days" type="text" value="30"/);
});

test('creating a campaign writes what the form says; a refused form names the field with the API\'s message and writes nothing', async (t) => {
  const { c, owner } = await setUp(t);
  await owner.get('/dashboard/campaigns');
  const created = await owner.post('/dashboard/campaigns', {
    name: 'Creators', ...ruleForm({ referrer_reward_type: 'fixed', referrer_reward_value: '7.50', level2_reward_type: 'points', level2_reward_value: '25',
      cooling_period_days: '7', attribution_window_days: '60' }),
  });
  assert.equal(created.status, 303, created.text.slice(0, 400));
  const id = Number(/^\/dashboard\/campaigns\/(\d+)$/.exec(created.location ?? '')?.[1]);
  assert.ok(id > 0, created.location ?? '');
  const api = await campaign(c, id);
  assert.deepEqual([api.name, api.status, api.is_default, api.referrer_reward_type, api.referrer_reward_value, api.level2_reward_type,
    api.level2_reward_value, api.cooling_period_days, api.attribution_window_days, api.referee_discount_value, api.advocate_count],
  ['Creators', 'active', false, 'fixed', 7.5, 'points', 25, 7, 60, 10, 0]);
  const shown = await owner.get(created.location!);
  assert.match(shown.text, /<h1>Creators<\/h1>/);
  assert.match(text(shown.text), /Campaign Creators created/);

  const before = JSON.stringify(await campaigns(c));
  const taken = await owner.post('/dashboard/campaigns', { name: 'Creators', ...ruleForm() });
  assert.equal(taken.status, 409);
  assert.equal(fieldError(taken, 'name'), 'is taken');
  assert.match(text(taken.text), /A campaign named "Creators" exists/);
  const over = await owner.post('/dashboard/campaigns', { name: 'Too generous', ...ruleForm({ referrer_reward_value: '120' }) });
  assert.equal(over.status, 400);
  assert.equal(fieldError(over, 'referrer_reward_value'), 'is a percentage: at most 100');
  assert.match(over.text, /value="Too generous"/, 'the form keeps what was typed');
  assert.match(over.text, /id="f-referrer_reward_value" name="referrer_reward_value" type="text" value="120"/);
  const bad = await owner.post('/dashboard/campaigns', { name: '', ...ruleForm({ cooling_period_days: 'soon', referee_discount_type: 'gift' }) });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'name'), 'must not be empty');
  assert.equal(fieldError(bad, 'cooling_period_days'), 'must be a whole number of days');
  assert.equal(fieldError(bad, 'referee_discount_type'), 'must be percentage or fixed');
  assert.equal(JSON.stringify(await campaigns(c)), before, 'nothing written');
});

test('editing a campaign\'s rules goes through PATCH /campaigns/:id; a bad value shows the API\'s message and writes nothing', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  const page = await owner.get(`/dashboard/campaigns/${p.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<h1>Partners 20%<\/h1>/);
  assert.match(page.text, /id="f-referee_discount_value" name="referee_discount_value" type="text" value="15.00"/, 'a fixed amount with its cents');
  const saved = await owner.post(`/dashboard/campaigns/${p.id}`, {
    name: 'Partners 25%', ...ruleForm({ referrer_reward_value: '25', referee_discount_type: 'fixed', referee_discount_value: '15', cooling_period_days: '10' }),
  });
  assert.match(await noticeAfter(owner, saved), /Partners 25% is saved/);
  let api = await campaign(c, p.id);
  assert.deepEqual([api.name, api.referrer_reward_value, api.referee_discount_type, api.referee_discount_value, api.cooling_period_days],
    ['Partners 25%', 25, 'fixed', 15, 10]);

  const before = JSON.stringify(api);
  const bad = await owner.post(`/dashboard/campaigns/${p.id}`, { name: 'Partners 99%', ...ruleForm({ referrer_reward_type: 'points', referrer_reward_value: '2.5' }) });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'referrer_reward_value'), 'is a number of points: must be a whole number');
  assert.match(bad.text, /<div class="error" role="alert"><p>referrer_reward_value: is a number of points: must be a whole number<\/p><\/div>/, "the API's message at the form's top");
  assert.match(bad.text, /value="Partners 99%"/);
  const window = await owner.post(`/dashboard/campaigns/${p.id}`, { name: 'Partners 25%', ...ruleForm({ attribution_window_days: '0' }) });
  assert.equal(window.status, 400);
  assert.equal(fieldError(window, 'attribution_window_days'), 'must be at least 1');
  const named = await owner.post(`/dashboard/campaigns/${p.id}`, { name: 'Default', ...ruleForm() });
  assert.equal(named.status, 409);
  assert.equal(fieldError(named, 'name'), 'is taken');
  api = await campaign(c, p.id);
  assert.equal(JSON.stringify(api), before, 'nothing written');
});

test('archive (after a confirmation) and bring back; the default campaign is refused with the API\'s message', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  const page = await owner.get(`/dashboard/campaigns/${p.id}`);
  assert.match(page.text, /data-confirm="Archive Partners 20%\? It takes no new advocate; its 0 advocates stay in it and keep its rules\."/);
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/campaigns/${p.id}/status`, { status: 'archived' })), /Partners 20% is archived/);
  assert.equal((await campaign(c, p.id)).status, 'archived');
  const archived = await owner.get(`/dashboard/campaigns/${p.id}`);
  assert.match(archived.text, /<span class="status status-archived">archived<\/span>/);
  assert.match(archived.text, />Bring back<\/button>/);
  // An archived campaign is offered to no advocate.
  const sarah = await advocateId(c, 'V2AVMRDJ');
  assert.doesNotMatch((await owner.get(`/dashboard/advocates/${sarah}`)).text, /<option value="\d+">Partners 20%<\/option>/);
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/campaigns/${p.id}/status`, { status: 'active' })), /Partners 20% is active again/);
  assert.equal((await campaign(c, p.id)).status, 'active');

  const byDefault = (await campaigns(c)).find((x) => x.is_default)!;
  const defaultPage = await owner.get(`/dashboard/campaigns/${byDefault.id}`);
  assert.match(defaultPage.text, /This is the brand's default campaign/);
  assert.doesNotMatch(defaultPage.text, />Archive<\/button>/, 'no archive button on the default campaign');
  const refused = await owner.post(`/dashboard/campaigns/${byDefault.id}/status`, { status: 'archived' });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /<div class="error" role="alert"><p>The default campaign cannot be archived: its advocates and every new one belong to it<\/p>/);
  assert.equal((await campaign(c, byDefault.id)).status, 'active', 'nothing written');
  const badStatus = await owner.post(`/dashboard/campaigns/${p.id}/status`, { status: 'paused' });
  assert.equal(badStatus.status, 400);
  assert.match(badStatus.text, /status: must be active or archived/);
});

test('a campaign\'s advocates: the API\'s list with campaign_id, paged by its cursor', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  for (const code of ['V2AVMRDJ', 'TESTCODE', 'JOHN123']) {
    assert.equal((await c.call('PATCH', `/api/v1/advocates/${await advocateId(c, code)}`, { campaign_id: p.id })).status, 200);
  }
  const other = await partners(c, 'Others');
  assert.equal((await c.call('POST', '/api/v1/advocates', { name: 'Olga Other', email: 'olga@advocate.example', campaign_id: other.id })).status, 201);

  const first = await owner.get(`/dashboard/campaigns/${p.id}?limit=2`);
  assert.equal(first.status, 200);
  assert.match(first.text, /<h2 id="advocates-h">Advocates: 3<\/h2>/);
  const apiFirst = (await c.call('GET', '/api/v1/advocates', undefined, { query: { campaign_id: p.id, limit: 2 } })).body.data;
  for (const a of apiFirst.advocates) assert.match(rowWith(first, `/dashboard/advocates/${a.id}"`), new RegExp(`^${a.name} ${a.email} ${a.referral_codes.join(', ')} active`));
  assert.doesNotMatch(first.text, /Olga Other/, 'only this campaign\'s');
  const older = new RegExp(`href="/dashboard/campaigns/${p.id}\\?limit=2&amp;cursor=([^"]+)">Older`).exec(first.text);
  assert.ok(older, 'an Older link');
  assert.equal(older[1], apiFirst.next_cursor);
  const second = await owner.get(`/dashboard/campaigns/${p.id}?limit=2&cursor=${older[1]}`);
  const apiSecond = (await c.call('GET', '/api/v1/advocates', undefined, { query: { campaign_id: p.id, limit: 2, cursor: older[1]! } })).body.data.advocates;
  assert.equal(apiSecond.length, 1);
  assert.ok(second.text.includes(`/dashboard/advocates/${apiSecond[0].id}"`));
  assert.match(second.text, /No older entries/);
  assert.match(second.text, /First page/);
  assert.equal((await owner.get(`/dashboard/campaigns/${p.id}?cursor=nonsense`)).status, 400);
});

test('moving an advocate from their page: the campaign is shown and linked, only active ones are offered, and the next real conversion earns at the new rate', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  const archived = await partners(c, 'Old campaign');
  assert.equal((await c.call('POST', `/api/v1/campaigns/${archived.id}/archive`, {})).status, 200);
  const byDefault = (await campaigns(c)).find((x) => x.is_default)!;
  const john = await advocateId(c, 'JOHN123');

  const page = await owner.get(`/dashboard/advocates/${john}`);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`<a href="/dashboard/campaigns/${byDefault.id}">Default</a> (the default campaign)`), 'its campaign, linked');
  assert.match(text(page.text), /advocate earns 10 % · customer gets 10 % off/);
  assert.match(page.text, /<label for="f-campaign_id">Move to campaign<\/label>/);
  assert.ok(page.text.includes(`<option value="${p.id}">Partners 20%</option>`));
  assert.ok(!page.text.includes(`<option value="${archived.id}"`), 'an archived campaign is not offered');
  assert.ok(!page.text.includes(`<option value="${byDefault.id}"`), 'nor the one it is in');

  const before = await convert(c, 'MOVE-1', 200);
  const moved = await owner.post(`/dashboard/advocates/${john}/campaign`, { campaign_id: String(p.id) });
  assert.equal(await noticeAfter(owner, moved), 'John Smith is in Partners 20%: their next conversions follow its rules');
  assert.equal(moved.location, `/dashboard/advocates/${john}`);
  assert.equal((await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate.campaign_id, p.id);
  const after = await convert(c, 'MOVE-2', 200);
  assert.equal(await commissionAmount(c, after), 40, "the next conversion: Partners' 20 %");
  assert.equal(await commissionAmount(c, before), 20, 'the one before the move stays at 10 %');
  const movedPage = await owner.get(`/dashboard/advocates/${john}`);
  assert.ok(movedPage.text.includes(`<a href="/dashboard/campaigns/${p.id}">Partners 20%</a>:`));
  assert.match(rowWith(await owner.get(`/dashboard/campaigns/${p.id}`), `/dashboard/advocates/${john}"`), /^John Smith john@advocate\.example JOHN123 active 0 2 \$60\.00 /);

  // Refusals re-render the page with the API's message beside the field, and nothing moves.
  const toArchived = await owner.post(`/dashboard/advocates/${john}/campaign`, { campaign_id: String(archived.id) });
  assert.equal(toArchived.status, 400);
  assert.equal(fieldError(toArchived, 'campaign_id'), `campaign ${archived.id} is archived: it takes no advocate`);
  assert.match(toArchived.text, /<h1>John Smith<\/h1>/);
  const unknown = await owner.post(`/dashboard/advocates/${john}/campaign`, { campaign_id: '999999' });
  assert.equal(unknown.status, 400);
  assert.equal(fieldError(unknown, 'campaign_id'), 'no campaign 999999 in this brand');
  const empty = await owner.post(`/dashboard/advocates/${john}/campaign`, { campaign_id: '' });
  assert.equal(empty.status, 400);
  assert.ok(fieldError(empty, 'campaign_id'));
  assert.equal((await c.call('GET', `/api/v1/advocates/${john}`)).body.data.advocate.campaign_id, p.id, 'nothing written');
});

test('a viewer reads the campaign pages with nothing to press; every change is a 403; another brand\'s campaign is a 404', async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const viewer = await signedIn(c, { role: 'viewer' });
  const list = await viewer.get('/dashboard/campaigns');
  assert.equal(list.status, 200);
  assert.match(list.text, /Partners 20%/);
  assert.doesNotMatch(list.text, /New campaign|Create the campaign/);
  const one = await viewer.get(`/dashboard/campaigns/${p.id}`);
  assert.equal(one.status, 200);
  assert.doesNotMatch(one.text, /Save the campaign|>Archive<\/button>|<form method="post" action="\/dashboard\/campaigns/);
  assert.doesNotMatch((await viewer.get(`/dashboard/advocates/${sarah}`)).text, /Move to campaign/);
  const before = JSON.stringify(await campaigns(c));
  for (const [path, form] of [
    ['/dashboard/campaigns', { name: 'Viewer made', ...ruleForm() }],
    [`/dashboard/campaigns/${p.id}`, { name: 'Viewer renamed', ...ruleForm() }],
    [`/dashboard/campaigns/${p.id}/status`, { status: 'archived' }],
    [`/dashboard/advocates/${sarah}/campaign`, { campaign_id: String(p.id) }],
  ] as const) {
    assert.equal((await viewer.post(path, form)).status, 403, path);
  }
  assert.equal(JSON.stringify(await campaigns(c)), before);
  assert.notEqual((await c.call('GET', `/api/v1/advocates/${sarah}`)).body.data.advocate.campaign_id, p.id);

  const b = await c.addBrand({ codes: [['BCODE', 'Bo Bexley', 'bo@b.example']] });
  const theirs = (await c.call('POST', '/api/v1/campaigns', { name: 'B only' }, { brand: b })).body.data.campaign as Campaign;
  assert.equal((await owner.get(`/dashboard/campaigns/${theirs.id}`)).status, 404);
  assert.equal((await owner.post(`/dashboard/campaigns/${theirs.id}`, { name: 'Hijacked', ...ruleForm() })).status, 404);
  assert.equal((await owner.post(`/dashboard/campaigns/${theirs.id}/status`, { status: 'archived' })).status, 404);
  const join = await owner.post(`/dashboard/advocates/${sarah}/campaign`, { campaign_id: String(theirs.id) });
  assert.equal(join.status, 400);
  assert.equal(fieldError(join, 'campaign_id'), `no campaign ${theirs.id} in this brand`);
  assert.doesNotMatch((await owner.get('/dashboard/campaigns')).text, /B only/);
  assert.equal((await owner.get('/dashboard/campaigns/abc')).status, 404);
  const after = (await c.call('GET', `/api/v1/campaigns/${theirs.id}`, undefined, { brand: b })).body.data.campaign;
  assert.deepEqual([after.name, after.status], ['B only', 'active']);
});

test('the figures slot renders what it is given: counts, money in the brand\'s currency, a rate, the previous period; nothing without figures', () => {
  const p = { brand: { currency: 'EUR' } } as unknown as PageCtx;
  assert.equal(campaignFiguresBlock(p, undefined).value, '');
  const block = text(campaignFiguresBlock(p, {
    clicks: 1200, conversions: { current: 30, previous: 20 }, netRevenueCents: 123_450, conversionRate: 0.025, clawbackDueCents: 0,
  }).value);
  assert.equal(block, 'Figures Clicks 1,200 Referred conversions 30 previous period: 20 Conversions per click 2.5% Revenue net of refunds €1,234.50 Clawbacks still due €0.00');
});

test("a campaign's action rewards from its form: an enrolment reward and a clicks reward at 100, refused by field, then earned", async (t) => {
  const { c, owner } = await setUp(t);
  const p = await partners(c);
  const page = await owner.get(`/dashboard/campaigns/${p.id}`);
  for (const name of ['enrolment_reward_type', 'clicks_threshold', 'clicks_reward_repeats', 'shares_reward_value']) assert.match(page.text, new RegExp(`name="${name}"`), name);
  const actions = { enrolment_reward_type: 'fixed', enrolment_reward_value: '5', clicks_reward_type: 'points', clicks_reward_value: '50',
    clicks_threshold: '100', clicks_reward_repeats: 'false', shares_reward_type: 'none', shares_reward_value: '', shares_threshold: '10',
    shares_reward_repeats: 'true' };
  const bad = await owner.post(`/dashboard/campaigns/${p.id}`, { name: p.name, ...ruleForm(), ...actions, clicks_threshold: '0' });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'clicks_threshold'), 'must be at least 1');
  assert.equal((await campaign(c, p.id)).clicks_reward_type, 'none', 'nothing written');
  const saved = await owner.post(`/dashboard/campaigns/${p.id}`, { name: p.name, ...ruleForm(), ...actions });
  assert.equal(saved.status, 303, saved.text.slice(0, 400));
  const api = await campaign(c, p.id);
  assert.deepEqual([api.enrolment_reward_type, api.enrolment_reward_value, api.clicks_reward_type, api.clicks_reward_value, api.clicks_threshold,
    api.clicks_reward_repeats, api.shares_reward_type, api.shares_reward_repeats], ['fixed', 5, 'points', 50, 100, false, 'none', true]);
  // The form shows them as saved, and they are earned: Sarah, moved to the campaign, refers a new advocate.
  assert.match((await owner.get(`/dashboard/campaigns/${p.id}`)).text, /id="f-clicks_threshold" name="clicks_threshold" type="text" value="100"/);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${sarah}`, { campaign_id: p.id })).status, 200);
  assert.equal((await c.call('POST', '/api/v1/advocates', { email: 'new@advocate.example', name: 'New', referred_by: sarah })).status, 201);
  const records = (await c.call('GET', '/api/v1/referral-records', undefined, { query: { advocate_id: String(sarah), reward_action_type: '2' } })).body.data.referral_records;
  assert.deepEqual(records.map((r: { reward_earned: number }) => r.reward_earned), [5]);
});
