// The portal's scoping matrix (issue 14): John, in the portal of brand A, given the ids of Sarah (another advocate of
// A) and of brand B in every portal route that takes one (in the path, the query or the form), gets a 404 where the id
// names something of theirs, and otherwise his own page or his own change: nothing of Sarah's and nothing of B's is
// shown or changed, whatever the request names. Every portal route is listed once in ROUTES (a new page adds its rows).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import type { DashboardClient } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { apiData, formIdOf, PORTAL_TEST_START } from '../support/portalPages.ts';
import { advocateId, brandTableNames, HOUR_MS, PATHS } from '../support/fixtures.ts';

/** What John must never reach: Sarah's and brand B's ids, and texts only they have. */
interface Others {
  b: TestBrand;
  sarah: number;
  bea: number;
  sarahRedemption: number;
  bRedemption: number;
  bReward: number;
  bBoard: number;
  bIdea: number;
  /** a board and an idea of A's (Sarah's idea: a board is the brand's, its ideas are for every advocate to vote on) */
  aBoard: number;
  sarahIdea: number;
  aReward: number;
  aCampaign: number;
  bCampaign: number;
  /** the paid_at (ms) of Sarah's payout and of B's */
  sarahPayoutAt: number;
  bPayoutAt: number;
  /** texts only Sarah or B have */
  marks: string[];
}

interface Route {
  method: 'GET' | 'POST';
  path: (o: Others) => string;
  /** the form, with a fresh form id of John's when the route's use case runs once per form */
  form?: (o: Others, formId: string) => Record<string, string>;
  status: number;
  /** the request changes John's own data (the advocate is the session's, whatever the form names) */
  changesJohn?: boolean;
  /** a column of Sarah's rows the request may change as John's own act does (a vote counted on her idea) */
  counts?: string;
}

const ROUTES: Route[] = [
  { method: 'GET', path: () => '/portal', status: 200 },
  { method: 'GET', path: () => '/portal/links', status: 200 },
  { method: 'POST', path: () => '/portal/links', form: (o) => ({ advocate_id: String(o.sarah), landing_page: 'https://shop.example/', utm_source: 'x' }), status: 400 },
  // commissions and payouts: another's in the query is no filter of John's; another's payout moment is a 404
  { method: 'GET', path: (o) => `/portal/commissions?advocate_id=${o.sarah}`, status: 200 },
  { method: 'GET', path: (o) => `/portal/commissions?advocate_id=${o.bea}&status=paid`, status: 200 },
  { method: 'GET', path: (o) => `/portal/payouts?advocate_id=${o.sarah}`, status: 200 },
  { method: 'GET', path: (o) => `/portal/payouts/${o.sarahPayoutAt}`, status: 404 },
  { method: 'GET', path: (o) => `/portal/payouts/${o.bPayoutAt}`, status: 404 },
  { method: 'GET', path: () => '/portal/payout-details', status: 200 },
  { method: 'POST', path: () => '/portal/payout-details', form: (o) => ({ advocate_id: String(o.sarah), payment_method: 'paypal', payment_details: 'john-own@pay.example' }), status: 303, changesJohn: true },
  // points and rewards: B's reward and redemption, Sarah's redemption; a redeem naming Sarah redeems for John
  { method: 'GET', path: () => '/portal/rewards', status: 200 },
  { method: 'GET', path: (o) => `/portal/rewards/redemptions/${o.sarahRedemption}`, status: 404 },
  { method: 'GET', path: (o) => `/portal/rewards/redemptions/${o.bRedemption}`, status: 404 },
  { method: 'POST', path: (o) => `/portal/rewards/${o.bReward}/redeem`, form: (_o, formId) => ({ form_id: formId }), status: 404 },
  { method: 'POST', path: (o) => `/portal/rewards/${o.aReward}/redeem`, form: (o, formId) => ({ form_id: formId, advocate_id: String(o.sarah) }), status: 303, changesJohn: true },
  // quests: read only
  { method: 'GET', path: () => '/portal/quests', status: 200 },
  // testimonial: posted as John, whoever the form names
  { method: 'GET', path: () => '/portal/testimonial', status: 200 },
  { method: 'POST', path: () => '/portal/testimonial', form: (o, formId) => ({ form_id: formId, advocate_id: String(o.sarah), rating: '4', text: 'John\'s own words' }), status: 303, changesJohn: true },
  // ideas: B's board and idea; a vote naming Sarah is John's
  { method: 'GET', path: () => '/portal/ideas', status: 200 },
  { method: 'GET', path: (o) => `/portal/ideas/boards/${o.bBoard}`, status: 404 },
  { method: 'POST', path: (o) => `/portal/ideas/boards/${o.bBoard}/ideas`, form: (_o, formId) => ({ form_id: formId, title: 'Into B' }), status: 404 },
  { method: 'POST', path: (o) => `/portal/ideas/${o.bIdea}/vote`, form: () => ({}), status: 404 },
  { method: 'GET', path: (o) => `/portal/ideas/boards/${o.aBoard}`, status: 200 },
  { method: 'POST', path: (o) => `/portal/ideas/boards/${o.aBoard}/ideas`, form: (o, formId) => ({ form_id: formId, advocate_id: String(o.sarah), title: 'John\'s own idea' }), status: 303, changesJohn: true },
  { method: 'POST', path: (o) => `/portal/ideas/${o.sarahIdea}/vote`, form: (o) => ({ advocate_id: String(o.sarah) }), status: 303, changesJohn: true, counts: 'feedback_ideas.vote_count' },
  // the public pages: B's brand with A's campaign, and the reverse
  { method: 'GET', path: (o) => `/portal/join/${o.b.brand_id}/${o.aCampaign}`, status: 404 },
  { method: 'POST', path: (o) => `/portal/join/${o.b.brand_id}/${o.aCampaign}`, form: () => ({ name: 'Mixed Up', email: 'mixed@up.example' }), status: 404 },
];

/** The routes no matrix row can take an id into: the entry and sign-out (portal.test.ts and sso-entry.test.ts test them). */
const ENTRY_ROUTES = new Set(['GET /enter/:token', 'POST /enter/:token', 'POST /sso', 'POST /sign-out']);

/** Every row of the brand's tables that names `advocate` (or is the advocate), as text: equal before and after, unchanged. */
async function advocateRows(c: TestCollector, brandId: string, advocate: number, counts?: string): Promise<string> {
  const [countTable, countColumn] = counts?.split('.') ?? [];
  const tables = await c.deps.db.prepare({
    sqlite: `SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
      AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) i WHERE i.name = 'advocate_id')
      AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) i WHERE i.name = 'brand_id') ORDER BY m.name`,
    pg: `SELECT t.table_name FROM information_schema.tables t WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
      AND EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'advocate_id')
      AND EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'brand_id')
      ORDER BY t.table_name`,
  }, { pluck: true }).all() as string[];
  const out: Record<string, string[]> = {
    advocate: [JSON.stringify(await c.deps.db.prepare('SELECT * FROM advocates WHERE brand_id = ? AND id = ?').get(brandId, advocate))],
  };
  for (const t of tables.filter((x) => x !== 'portal_sessions')) {
    out[t] = (await c.deps.db.prepare(`SELECT * FROM ${t} WHERE brand_id = ? AND advocate_id = ?`).all(brandId, advocate) as Array<Record<string, unknown>>)
      .map((r) => JSON.stringify(t === countTable ? { ...r, [countColumn!]: 'counted' } : r)).sort();
  }
  return JSON.stringify(out);
}

/** All of a brand's rows but the portal's sessions (their last_seen_at moves as pages are read), as text. */
async function brandRows(c: TestCollector, brandId: string): Promise<string> {
  const tables = await brandTableNames(c);
  const out: Record<string, string[]> = {};
  for (const t of tables.filter((x) => x !== 'portal_sessions')) {
    out[t] = (await c.deps.db.prepare(`SELECT * FROM ${t} WHERE brand_id = ?`).all(brandId)).map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(out);
}

/** A conversion through `code`, its commission approved and paid with `note`: the payout's moment (ms). */
async function paidSale(c: TestCollector, code: string, order: string, note: string, brand?: TestBrand): Promise<number> {
  const sale = await c.post(PATHS.conversion, { customer_email: `${order.toLowerCase()}@buyer.example`, order_id: order, order_value: 100, referral_code: code }, { brand });
  assert.equal(sale.status, 201, JSON.stringify(sale.body));
  const advocate = await advocateId(c, code, brand);
  const [commission] = (await apiData(c, 'GET', `/commissions?advocate_id=${advocate}`, undefined, brand)).commissions as Array<{ id: number }>;
  await apiData(c, 'PUT', `/commissions/${commission!.id}/status`, { status: 'approved' }, brand);
  await apiData(c, 'POST', '/payouts', { commission_ids: [commission!.id], note }, brand);
  const paid = await apiData(c, 'GET', `/commissions/${commission!.id}`, undefined, brand);
  return Date.parse((paid.commission ?? paid).paid_at);
}

async function setUp(t: TestContext): Promise<{ c: TestCollector; john: number; o: Others; portal: DashboardClient }> {
  // Each payout at a moment of its own: a payout's page is found by its moment.
  const clock = { ms: PORTAL_TEST_START.getTime() };
  const c = await startTestCollector({ now: () => new Date(clock.ms) });
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const b = await c.addBrand({ codes: [['BONLYCODE', 'Bea Bexley', 'bea@brand-b.example']] });
  const bea = await advocateId(c, 'BONLYCODE', b);
  // Each of the three has a payout, points, a redemption, a testimonial and an idea, with texts only they have.
  const sarahPayoutAt = await paidSale(c, 'V2AVMRDJ', 'SARAH-ORDER-1', 'Sarah payout note');
  clock.ms += HOUR_MS;
  const bPayoutAt = await paidSale(c, 'BONLYCODE', 'BEEB-ORDER-1', 'Bexley payout note', b);
  clock.ms += HOUR_MS;
  await paidSale(c, 'JOHN123', 'JOHN-ORDER-1', 'John payout note');
  await apiData(c, 'PATCH', `/advocates/${sarah}`, { payment_method: 'paypal', payment_details: 'sarah-secret@pay.example' });
  const aReward = (await apiData(c, 'POST', '/rewards', { name: 'Shop Mug', points_cost: 10, type: 'product', stock: 10 })).reward.id as number;
  const bReward = (await apiData(c, 'POST', '/rewards', { name: 'Bexley Sticker', points_cost: 10, type: 'product', stock: 4 }, b)).reward.id as number;
  for (const [who, brand] of [[john, undefined], [sarah, undefined], [bea, b]] as const) {
    await apiData(c, 'POST', `/advocates/${who}/points`, { amount: 50, type: 'award' }, brand);
  }
  const sarahRedemption = (await apiData(c, 'POST', `/rewards/${aReward}/redeem`, { advocate_id: sarah })).redemption.id as number;
  const bRedemption = (await apiData(c, 'POST', `/rewards/${bReward}/redeem`, { advocate_id: bea }, b)).redemption.id as number;
  await apiData(c, 'POST', '/testimonials', { advocate_id: sarah, rating: 5, text: 'Sarah secret praise' });
  await apiData(c, 'POST', '/testimonials', { advocate_id: bea, rating: 5, text: 'Bexley praise' }, b);
  const aBoard = (await apiData(c, 'POST', '/feedback/boards', { name: 'Shop ideas' })).board.id as number;
  const bBoard = (await apiData(c, 'POST', '/feedback/boards', { name: 'Bexley Board' }, b)).board.id as number;
  const sarahIdea = (await apiData(c, 'POST', `/feedback/boards/${aBoard}/ideas`, { advocate_id: sarah, title: 'Gift wrapping' })).idea.id as number;
  const bIdea = (await apiData(c, 'POST', `/feedback/boards/${bBoard}/ideas`, { advocate_id: bea, title: 'Bexley wish' }, b)).idea.id as number;
  await apiData(c, 'POST', '/quests', { title: 'Bexley Quest', tasks: [{ title: 'Bexley task', points: 5 }] }, b);
  const aCampaign = (await apiData(c, 'GET', '/campaigns')).campaigns[0].id as number;
  const bCampaign = (await apiData(c, 'POST', '/campaigns', { name: 'Bexley Partners', referrer_reward_value: 25, signup: 'open' }, b)).campaign.id as number;
  const portal = await inPortal(c, john);
  return {
    c, john, portal,
    o: {
      b, sarah, bea, sarahRedemption, bRedemption, bReward, bBoard, bIdea, aBoard, sarahIdea, aReward, aCampaign, bCampaign, sarahPayoutAt, bPayoutAt,
      marks: ['SARAH-ORDER', 'Sarah payout note', 'sarah-secret@pay.example', 'Sarah secret praise', 'sarah@advocate.example', 'V2AVMRDJ',
        'Bexley', 'BONLYCODE', 'BEEB-ORDER', 'bea@brand-b.example', b.brand_id],
    },
  };
}

test("John in the portal with Sarah's and brand B's ids: a 404 where an id is theirs, only John's own otherwise, nothing of theirs shown or changed", async (t) => {
  const { c, john, o, portal } = await setUp(t);
  const sarahRows = (counts?: string) => advocateRows(c, c.brand.brand_id, o.sarah, counts);
  const bBefore = await brandRows(c, o.b.brand_id);
  for (const r of ROUTES) {
    const johnBefore = await advocateRows(c, c.brand.brand_id, john);
    const sarahBefore = await sarahRows(r.counts);
    const aBefore = await brandRows(c, c.brand.brand_id);
    // A fresh page of John's gives the form id and the CSRF token a browser would send.
    const formId = r.form ? formIdOf(await portal.get('/portal/testimonial')) : '';
    const what = `${r.method} ${r.path(o)} ${JSON.stringify(r.form?.(o, formId) ?? {})}`;
    const res = r.method === 'GET' ? await portal.get(r.path(o)) : await portal.post(r.path(o), r.form?.(o, formId) ?? {});
    assert.equal(res.status, r.status, `${what}: ${res.text.slice(0, 300)}`);
    const shown = res.status === 303 ? (await portal.get(res.location!)).text : res.text;
    for (const mark of o.marks.filter((m) => !what.includes(m))) assert.equal(shown.includes(mark), false, `${what} shows "${mark}"`);
    await c.deps.queue.drained();
    assert.equal(await sarahRows(r.counts), sarahBefore, `${what} changed Sarah's rows`);
    assert.equal(await brandRows(c, o.b.brand_id), bBefore, `${what} changed brand B`);
    if (r.changesJohn) assert.notEqual(await advocateRows(c, c.brand.brand_id, john), johnBefore, `${what} changed nothing of John's`);
    else assert.equal(await brandRows(c, c.brand.brand_id), aBefore, `${what} changed brand A`);
  }
  // The 404s were scoping, not missing data: Sarah and B's advocate see their own.
  const sarahPortal = await inPortal(c, o.sarah);
  assert.equal((await sarahPortal.get(`/portal/payouts/${o.sarahPayoutAt}`)).status, 200);
  assert.equal((await sarahPortal.get(`/portal/rewards/redemptions/${o.sarahRedemption}`)).status, 200);
  const beaPortal = await inPortal(c, o.bea, o.b);
  assert.equal((await beaPortal.get(`/portal/payouts/${o.bPayoutAt}`)).status, 200);
  assert.equal((await beaPortal.get(`/portal/rewards/redemptions/${o.bRedemption}`)).status, 200);
  assert.equal((await beaPortal.get(`/portal/ideas/boards/${o.bBoard}`)).status, 200);
  assert.equal((await c.deps.db.prepare('SELECT count(*) FROM advocates WHERE email = ?', { pluck: true }).get('mixed@up.example')), 0);
});

test('the matrix lists every portal route the router serves', () => {
  const dir = new URL('../../src/portal/pages/', import.meta.url);
  const served = new Set<string>();
  for (const file of readdirSync(dir)) {
    for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/r\.(get|post)\(\s*[`'](\/[^`']*)[`']/g)) served.add(`${m[1]!.toUpperCase()} ${m[2]!}`);
  }
  assert.ok(served.size > 10, `the pages' routes are found (${served.size})`);
  const ids = { b: { brand_id: 'br_x' }, sarah: 1, bea: 1, sarahRedemption: 1, bRedemption: 1, bReward: 1, bBoard: 1, bIdea: 1, aBoard: 1, sarahIdea: 1,
    aReward: 1, aCampaign: 2, bCampaign: 2, sarahPayoutAt: 3, bPayoutAt: 3, marks: [] } as unknown as Others;
  const listed = new Set(ROUTES.map((r) => `${r.method} ${(r.path(ids).replace('/portal', '').split('?')[0] || '/')
    .replace('/join/br_x/2', '/join/:brand/:campaign').replace('/payouts/3', '/payouts/:at').replace(/\/1(?=\/|$)/g, '/:id')}`));
  const missing = [...served].filter((route) => !listed.has(route) && !ENTRY_ROUTES.has(route));
  assert.deepEqual(missing, [], 'portal routes served but not in the scoping matrix');
});
