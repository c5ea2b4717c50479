// The dashboard's tenant isolation matrix: brand A's owner, given brand B's ids in every route that takes one (GET
// and POST, in the path or the form), gets a 404 (a viewer a 403) and nothing of either brand changes; no page A
// can open shows anything of B. Every dashboard route is listed once in ROUTES (a new page adds its rows there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import { signedIn, type DashboardClient } from '../support/dashboard.ts';
import { brandTableNames } from '../support/fixtures.ts';
import { expandQueued } from '../support/webhookFixtures.ts';

/** What brand B has that A's owner must never reach: its ids, and strings that appear nowhere in A. */
interface BrandB {
  brand: TestBrand;
  advocateId: number;
  code: string;
  conversionId: number;
  commissionId: number;
  approvedCommissionId: number;
  keyId: number;
  userId: number;
  webhookId: number;
  deliveryId: number;
  campaignId: number;
  catalogueRewardId: number;
  redemptionId: number;
  mappingId: number;
  testimonialId: number;
  boardId: number;
  ideaId: number;
  questId: number;
  /** texts only B has (names, emails, codes, orders, key and brand names) */
  marks: string[];
}

type Ids = BrandB;
interface Route {
  method: 'GET' | 'POST';
  path: (b: Ids) => string;
  form?: (b: Ids) => Record<string, string | string[]>;
  /** A's owner with B's ids: the status, and nothing of A or B changes (unless `changesA`: the brand comes from the session) */
  status: number;
  /** a form without an id of B: it changes A (the session's brand) and must leave B alone */
  changesA?: boolean;
}

// Every dashboard route. GETs with an id take B's; lists take B's ids as filters; POSTs carry B's ids in the path and form.
const ROUTES: Route[] = [
  // overview, lists, pages of one record
  { method: 'GET', path: () => '/dashboard', status: 200 },
  { method: 'GET', path: () => '/dashboard?range=custom&from=2026-11-01&to=2026-12-01', status: 200 },
  { method: 'GET', path: () => '/dashboard/advocates', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/advocates?search=${b.code}`, status: 200 },
  { method: 'GET', path: () => '/dashboard/advocates/new', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/advocates/${b.advocateId}`, status: 404 },
  { method: 'GET', path: (b) => `/dashboard/advocates/${b.advocateId}/records`, status: 404 },
  { method: 'GET', path: () => '/dashboard/conversions', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/conversions?advocate_id=${b.advocateId}`, status: 200 },
  { method: 'GET', path: (b) => `/dashboard/conversions?code=${b.code}`, status: 200 },
  { method: 'GET', path: (b) => `/dashboard/conversions/${b.conversionId}`, status: 404 },
  { method: 'GET', path: () => '/dashboard/commissions', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/commissions?advocate_id=${b.advocateId}`, status: 200 },
  { method: 'GET', path: (b) => `/dashboard/commissions/${b.commissionId}`, status: 404 },
  { method: 'GET', path: () => '/dashboard/payouts', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/payouts?after=${b.advocateId - 1}`, status: 200 },
  { method: 'GET', path: () => '/dashboard/payouts/payout.csv', status: 200 },
  { method: 'GET', path: () => '/dashboard/settings', status: 200 },
  { method: 'GET', path: () => '/dashboard/settings/keys', status: 200 },
  { method: 'GET', path: () => '/dashboard/settings/embed', status: 200 },
  { method: 'GET', path: () => '/dashboard/users', status: 200 },
  { method: 'GET', path: () => '/dashboard/account', status: 200 },
  { method: 'GET', path: () => '/dashboard/campaigns', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/campaigns/${b.campaignId}`, status: 404 },
  // advocates
  { method: 'POST', path: () => '/dashboard/advocates', form: (b) => ({ brand_id: b.brand.brand_id, name: 'Ann Able', email: 'ann@a.example' }), status: 303, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}`, form: () => ({ name: 'Hijacked', email: 'hijack@a.example' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/status`, form: () => ({ status: 'blocked' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/approve`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/portal-link`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/codes`, form: () => ({ referral_code: 'HIJACK1' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/codes/${b.code}/status`, form: () => ({ status: 'inactive' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/points`, form: () => ({ amount: '50', description: 'hijack' }), status: 404 },
  // campaigns: B's campaign in the path, or as the campaign an advocate (B's, or A's) is moved to; a new one is A's
  { method: 'POST', path: () => '/dashboard/campaigns', form: (b) => ({ brand_id: b.brand.brand_id, name: 'A only campaign' }), status: 303, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/campaigns/${b.campaignId}`, form: () => ({ name: 'Hijacked', referrer_reward_value: '50' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/campaigns/${b.campaignId}/status`, form: () => ({ status: 'archived' }), status: 404 },
  // the rewards catalogue: B's reward and redemption in the path; a new reward is A's
  { method: 'GET', path: () => '/dashboard/rewards', status: 200 },
  { method: 'POST', path: () => '/dashboard/rewards', form: (b) => ({ brand_id: b.brand.brand_id, name: 'A only reward', points_cost: '10', type: 'custom' }), status: 303, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/rewards/${b.catalogueRewardId}/status`, form: () => ({ status: 'archived' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/rewards/redemptions/${b.redemptionId}/fulfil`, form: () => ({ fulfilment: 'HIJACKED' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/rewards/redemptions/${b.redemptionId}/cancel`, form: () => ({}), status: 404 },
  // quests: B's quest in the path, B's catalogue reward as a new quest's reward; a new quest is A's
  { method: 'GET', path: () => '/dashboard/quests', status: 200 },
  { method: 'GET', path: () => '/dashboard/quests/new', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/quests/${b.questId}`, status: 404 },
  { method: 'GET', path: (b) => `/dashboard/quests/${b.questId}?advocate_id=${b.advocateId}`, status: 404 },
  { method: 'POST', path: () => '/dashboard/quests', form: (b) => ({ brand_id: b.brand.brand_id, title: 'A only quest', 'tasks.0.title': 'A task', 'tasks.0.points': '5' }), status: 303, changesA: true },
  { method: 'POST', path: () => '/dashboard/quests', form: (b) => ({ title: 'A quest', 'tasks.0.title': 'A task', 'tasks.0.points': '5', 'reward.type': 'catalogue', 'reward.reward_id': String(b.catalogueRewardId) }), status: 400 },
  { method: 'POST', path: (b) => `/dashboard/quests/${b.questId}/status`, form: () => ({ status: 'archived' }), status: 404 },
  // single sign-on: B's mapping in the path, B's advocate in a new mapping's form
  { method: 'GET', path: () => '/dashboard/sso', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/sso?advocate_id=${b.advocateId}`, status: 200 },
  { method: 'POST', path: () => '/dashboard/sso', form: (b) => ({ advocate_id: String(b.advocateId), external_customer_id: 'a_cus_for_b' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/sso/${b.mappingId}/delete`, form: () => ({}), status: 404 },
  // testimonials and feedback boards: B's testimonial, board and idea in the path; a new board is A's
  { method: 'GET', path: () => '/dashboard/testimonials', status: 200 },
  { method: 'GET', path: () => '/dashboard/testimonials?status=all', status: 200 },
  { method: 'POST', path: (b) => `/dashboard/testimonials/${b.testimonialId}/status`, form: () => ({ status: 'approved' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/testimonials/${b.testimonialId}/status`, form: () => ({ status: 'rejected' }), status: 404 },
  { method: 'GET', path: () => '/dashboard/feedback', status: 200 },
  { method: 'POST', path: () => '/dashboard/feedback/boards', form: (b) => ({ brand_id: b.brand.brand_id, name: 'A only board' }), status: 303, changesA: true },
  { method: 'GET', path: (b) => `/dashboard/feedback/boards/${b.boardId}`, status: 404 },
  { method: 'GET', path: (b) => `/dashboard/feedback/boards/${b.boardId}?sort=votes&status=open`, status: 404 },
  { method: 'GET', path: (b) => `/dashboard/feedback/ideas/${b.ideaId}`, status: 404 },
  { method: 'POST', path: (b) => `/dashboard/feedback/ideas/${b.ideaId}/status`, form: () => ({ status: 'declined' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/advocates/${b.advocateId}/campaign`, form: (b) => ({ campaign_id: String(b.campaignId) }), status: 404 },
  { method: 'POST', path: () => `/dashboard/advocates/${A_ADVOCATE_ID.value}/campaign`, form: (b) => ({ campaign_id: String(b.campaignId) }), status: 400 },
  // conversions
  { method: 'POST', path: (b) => `/dashboard/conversions/${b.conversionId}/refunds`, form: () => ({ refund_amount: '5', refund_reason: 'hijack' }), status: 404 },
  // commissions: B's ids alone, and one of B's among A's (all or none)
  { method: 'POST', path: () => '/dashboard/commissions/status', form: (b) => ({ commission_ids: [String(b.commissionId)], status: 'approved' }), status: 404 },
  { method: 'POST', path: () => '/dashboard/commissions/status', form: (b) => ({ commission_ids: [String(b.commissionId)], status: 'rejected', reason: 'hijack' }), status: 404 },
  { method: 'POST', path: () => '/dashboard/commissions/status', form: (b) => ({ commission_ids: [String(A_COMMISSION_ID.value), String(b.commissionId)], status: 'approved' }), status: 404 },
  // payouts
  { method: 'POST', path: () => '/dashboard/payouts/mark-paid', form: (b) => ({ pay: String(b.approvedCommissionId), note: 'hijack' }), status: 404 },
  // settings: the brand is the session's, whatever the form says
  { method: 'POST', path: () => '/dashboard/settings', form: (b) => ({ brand_id: b.brand.brand_id, cooling_period_days: '3' }), status: 303, changesA: true },
  { method: 'POST', path: () => '/dashboard/settings/origins', form: (b) => ({ brand_id: b.brand.brand_id, origin: 'https://a-only.example' }), status: 303, changesA: true },
  { method: 'POST', path: () => '/dashboard/settings/origins/remove', form: () => ({ origin: 'https://b-only.example' }), status: 404 },
  { method: 'POST', path: () => '/dashboard/settings/keys', form: (b) => ({ brand_id: b.brand.brand_id, name: 'a-new-key', kind: 'secret' }), status: 201, changesA: true },
  { method: 'POST', path: () => '/dashboard/settings/embed/key', form: (b) => ({ brand_id: b.brand.brand_id, name: 'a-embed-key' }), status: 201, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/settings/keys/${b.keyId}/revoke`, form: () => ({}), status: 404 },
  // webhooks: B's endpoint and delivery in the path; a new endpoint is the session's brand's
  { method: 'GET', path: () => '/dashboard/webhooks', status: 200 },
  { method: 'GET', path: (b) => `/dashboard/webhooks/${b.webhookId}`, status: 404 },
  { method: 'GET', path: (b) => `/dashboard/webhooks/${b.webhookId}/deliveries/${b.deliveryId}`, status: 404 },
  { method: 'POST', path: () => '/dashboard/webhooks', form: (b) => ({ brand_id: b.brand.brand_id, url: 'https://a-only.example/hook', events: ['*'] }), status: 201, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}`, form: () => ({ url: 'https://hijack.example/hook', events: ['*'] }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/disable`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/enable`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/rotate`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/test`, form: () => ({ event: 'conversion.created' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/deliveries/${b.deliveryId}/resend`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/webhooks/${b.webhookId}/delete`, form: () => ({}), status: 404 },
  // dashboard users
  { method: 'POST', path: () => '/dashboard/users', form: (b) => ({ brand_id: b.brand.brand_id, email: 'invitee@a.example', role: 'viewer' }), status: 201, changesA: true },
  { method: 'POST', path: (b) => `/dashboard/users/${b.userId}/link`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/users/${b.userId}/role`, form: () => ({ role: 'viewer' }), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/users/${b.userId}/disable`, form: () => ({}), status: 404 },
  { method: 'POST', path: (b) => `/dashboard/users/${b.userId}/enable`, form: () => ({}), status: 404 },
  // the session's own user
  { method: 'POST', path: () => '/dashboard/account/password', form: (b) => ({ brand_id: b.brand.brand_id, user_id: String(b.userId), password: 'a long new password', password_repeat: 'a long new password' }), status: 303, changesA: true },
];

/** One of A's pending commissions, for the mixed batch (known once A's data exists). */
const A_COMMISSION_ID = { value: 0 };
/** One of A's advocates, moved (refused) to B's campaign. */
const A_ADVOCATE_ID = { value: 0 };

/**
 * All of a brand's rows but its sessions (their last_seen_at moves as pages are read), the outbox's queued changes
 * expanded first (a webhook page expands every brand's, which moves them into webhook_deliveries and changes nothing
 * they say).
 */
async function snapshot(c: TestCollector, brandId: string): Promise<string> {
  await expandQueued(c);
  const rows: Record<string, unknown> = { brand: await c.deps.db.prepare('SELECT * FROM brands WHERE id = ?').get(brandId) };
  for (const t of await brandTableNames(c)) {
    if (t === 'dashboard_sessions') continue;
    // Sorted here: some tables are WITHOUT ROWID.
    rows[t] = (await (c.deps.db.prepare(`SELECT * FROM ${t} WHERE brand_id = ?`).all(brandId))).map((r) => JSON.stringify(r)).sort();
  }
  return JSON.stringify(rows);
}

const api = async (c: TestCollector, brand: TestBrand, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${c.url}/api/v1${path}`, {
    method, headers: { Authorization: `Bearer ${brand.secret_key}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json() as { data: any };
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
};

/** A brand's conversions: one whose commission is approved at once (for payouts), one left pending. */
async function sales(c: TestCollector, brand: TestBrand, code: string, prefix: string): Promise<{ conversionId: number; pending: number; approved: number }> {
  const first = await c.post('/api/v1/track/conversion', { customer_email: `${prefix}-buyer1@shop.example`, order_id: `${prefix}-ORDER-1`, order_value: 120, referral_code: code }, { brand });
  const second = await c.post('/api/v1/track/conversion', { customer_email: `${prefix}-buyer2@shop.example`, order_id: `${prefix}-ORDER-2`, order_value: 80, referral_code: code }, { brand });
  assert.equal(first.status, 201);
  assert.equal(second.status, 201);
  const commissions = (await api(c, brand, 'GET', `/commissions?status=pending`)).commissions as Array<{ id: number; order_id: string }>;
  const approved = commissions.find((x) => x.order_id === `${prefix}-ORDER-2`)!.id;
  await api(c, brand, 'PATCH', `/commissions/${approved}/status`, { status: 'approved' });
  return { conversionId: first.body.data.id, pending: commissions.find((x) => x.order_id === `${prefix}-ORDER-1`)!.id, approved };
}

async function twoBrands(t: { after(fn: () => unknown): void }): Promise<{ c: TestCollector; b: BrandB; owner: DashboardClient }> {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T12:00:00Z') });
  t.after(() => c.close());
  const bBrand = await c.addBrand({ origins: ['https://b-only.example'], codes: [['BONLYCODE', 'Bea Bexley', 'bea@brand-b.example']] });
  const bAdvocate = await c.deps.db.prepare('SELECT advocate_id FROM referral_codes WHERE brand_id = ? AND code = ?', { pluck: true }).get(bBrand.brand_id, 'BONLYCODE') as number;
  const bSales = await sales(c, bBrand, 'BONLYCODE', 'BEEB');
  const aSales = await sales(c, c.brand, 'TESTCODE', 'AAAA');
  A_COMMISSION_ID.value = aSales.pending;
  A_ADVOCATE_ID.value = await c.deps.db.prepare('SELECT advocate_id FROM referral_codes WHERE brand_id = ? AND code = ?', { pluck: true }).get(c.brand.brand_id, 'TESTCODE') as number;
  const bKey = await api(c, bBrand, 'GET', '/keys').catch(() => null);
  const keyId = (bKey?.keys?.[0]?.key_id as number | undefined)
    ?? (await c.deps.db.prepare('SELECT id FROM api_keys WHERE brand_id = ? ORDER BY id LIMIT 1', { pluck: true }).get(bBrand.brand_id) as number);
  const bUser = await signedIn(c, { brand: bBrand, email: 'owner@brand-b.example' });
  const userId = await c.deps.db.prepare('SELECT id FROM dashboard_users WHERE brand_id = ? AND email = ?', { pluck: true }).get(bBrand.brand_id, bUser.email) as number;
  await c.deps.db.prepare(`UPDATE brands SET name = 'Bexley Brand B' WHERE id = ?`).run(bBrand.brand_id);
  // B's endpoint (its URL only B has) and a delivery of it (a test event; nothing listens there, it stays pending).
  const bWebhook = await api(c, bBrand, 'POST', '/webhooks', { url: 'https://b-only.example/hooks', events: ['*'] });
  const bDelivery = await api(c, bBrand, 'POST', `/webhooks/${bWebhook.webhook.id}/test`, {});
  // B's second campaign (its name only B has), with B's advocate in it.
  const bCampaign = await api(c, bBrand, 'POST', '/campaigns', { name: 'Bexley Partners', referrer_reward_value: 25 });
  await api(c, bBrand, 'PATCH', `/advocates/${bAdvocate}`, { campaign_id: bCampaign.campaign.id });
  // B's catalogue reward (its name only B has), redeemed by B's advocate.
  const bReward = await api(c, bBrand, 'POST', '/rewards', { name: 'Bexley Sticker', points_cost: 10, type: 'product', stock: 4 });
  await api(c, bBrand, 'POST', `/advocates/${bAdvocate}/points`, { amount: 50, type: 'award' });
  const bRedemption = await api(c, bBrand, 'POST', `/rewards/${bReward.reward.id}/redeem`, { advocate_id: bAdvocate });
  const bMapping = await api(c, bBrand, 'POST', '/sso/mappings', { advocate_id: bAdvocate, external_customer_id: 'b_cus_1', external_email: 'bea@brand-b.example' });
  // B's testimonial, board and idea (names only B has), the idea voted for by B's advocate.
  const bTestimonial = await api(c, bBrand, 'POST', '/testimonials', { name: 'Bexley Reviewer', email: 'bea@brand-b.example', rating: 5, text: 'Bexley praise' });
  const bBoard = await api(c, bBrand, 'POST', '/feedback/boards', { name: 'Bexley Board' });
  const bIdea = await api(c, bBrand, 'POST', `/feedback/boards/${bBoard.board.id}/ideas`, { advocate_id: bAdvocate, title: 'Bexley wish' });
  await api(c, bBrand, 'POST', `/feedback/ideas/${bIdea.idea.id}/votes`, { advocate_id: bAdvocate });
  // B's quest (its title only B has, its reward B's catalogue reward), completed by B's advocate.
  const bQuest = await api(c, bBrand, 'POST', '/quests', { title: 'Bexley Quest', tasks: [{ title: 'Bexley task', points: 5 }], reward: { type: 'catalogue', reward_id: bReward.reward.id } });
  const [bTask] = (await api(c, bBrand, 'GET', `/quests/${bQuest.quest.id}`)).tasks;
  await api(c, bBrand, 'POST', `/quests/${bQuest.quest.id}/complete`, { advocate_id: bAdvocate, task_id: bTask.id });
  const owner = await signedIn(c, { email: 'owner@brand-a.example' });
  return {
    c, owner,
    b: {
      brand: bBrand, advocateId: bAdvocate, code: 'BONLYCODE', conversionId: bSales.conversionId, commissionId: bSales.pending,
      approvedCommissionId: bSales.approved, keyId, userId, webhookId: bWebhook.webhook.id, deliveryId: bDelivery.delivery.id,
      campaignId: bCampaign.campaign.id, catalogueRewardId: bReward.reward.id, redemptionId: bRedemption.redemption.id, mappingId: bMapping.mapping.id,
      testimonialId: bTestimonial.testimonial.id, boardId: bBoard.board.id, ideaId: bIdea.idea.id,
      questId: bQuest.quest.id,
      marks: ['Bexley', 'bea@brand-b.example', 'BONLYCODE', 'BEEB-ORDER', 'BEEB-buyer', 'owner@brand-b.example', 'b-only.example', bBrand.brand_id],
    },
  };
}

const send = (client: DashboardClient, r: Route, b: BrandB) =>
  r.method === 'GET' ? client.get(r.path(b)) : client.post(r.path(b), r.form?.(b) ?? {});

test("brand A's owner with brand B's ids: 404 on every route that takes one, nothing of A or B changed, no page shows B", async (t) => {
  const { c, b, owner } = await twoBrands(t);
  const bBefore = await snapshot(c, b.brand.brand_id);
  for (const r of ROUTES) {
    const aBefore = await snapshot(c, c.brand.brand_id);
    const res = await send(owner, r, b);
    const what = `${r.method} ${r.path(b)} ${JSON.stringify(r.form?.(b) ?? {})}`;
    assert.equal(res.status, r.status, `${what}: ${res.text.slice(0, 300)}`);
    // What the request itself carries (a search term) may be echoed in its form; anything else of B may not appear.
    for (const mark of b.marks.filter((m) => !what.includes(m))) assert.equal(res.text.includes(mark), false, `${what} shows B's "${mark}"`);
    await c.deps.queue.drained();
    assert.equal(await snapshot(c, b.brand.brand_id), bBefore, `${what} changed brand B`);
    if (!r.changesA) assert.equal(await snapshot(c, c.brand.brand_id), aBefore, `${what} changed brand A`);
  }
  // B's own owner still sees all of it: the 404s were isolation, not missing data.
  const bOwner = await signedIn(c, { brand: b.brand, email: 'second@brand-b.example' });
  for (const path of [`/dashboard/advocates/${b.advocateId}`, `/dashboard/conversions/${b.conversionId}`, `/dashboard/commissions/${b.commissionId}`,
    `/dashboard/webhooks/${b.webhookId}`, `/dashboard/webhooks/${b.webhookId}/deliveries/${b.deliveryId}`, `/dashboard/campaigns/${b.campaignId}`]) {
    const res = await bOwner.get(path);
    assert.equal(res.status, 200, path);
  }
  assert.match((await bOwner.get('/dashboard/users')).text, /owner@brand-b\.example/);
  assert.match((await bOwner.get('/dashboard/testimonials')).text, /Bexley Reviewer/);
  assert.match((await bOwner.get(`/dashboard/feedback/boards/${b.boardId}`)).text, /Bexley wish/);
  assert.match((await bOwner.get(`/dashboard/feedback/ideas/${b.ideaId}`)).text, /Bea Bexley/);
  assert.match((await bOwner.get(`/dashboard/quests/${b.questId}`)).text, /Bexley task/);
});

test("brand A's viewer: every changing form is a 403 (their own password aside), nothing changed", async (t) => {
  const { c, b } = await twoBrands(t);
  const viewer = await signedIn(c, { role: 'viewer', email: 'viewer@brand-a.example' });
  const before = [await snapshot(c, c.brand.brand_id), await snapshot(c, b.brand.brand_id)];
  for (const r of ROUTES.filter((x) => x.method === 'POST' && !x.path(b).startsWith('/dashboard/account'))) {
    const res = await send(viewer, r, b);
    assert.equal(res.status, 403, `${r.path(b)}`);
  }
  assert.equal((await viewer.get('/dashboard/users')).status, 403);
  await c.deps.queue.drained();
  assert.deepEqual([await snapshot(c, c.brand.brand_id), await snapshot(c, b.brand.brand_id)], before);
});

test('the matrix lists every dashboard route the router serves', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const dir = new URL('../../src/dashboard/pages/', import.meta.url);
  const served = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (file === 'signIn.ts') continue;
    for (const m of readFileSync(new URL(file, dir), 'utf8').matchAll(/r\.(get|post)\(\s*[`'](\/[^`']*)[`']/g)) {
      served.add(`${m[1]!.toUpperCase()} ${m[2]!.replace(/\$\{verb\}/, 'VERB')}`);
    }
  }
  const ids: Ids = {
    brand: { brand_id: 'br_x' } as TestBrand, advocateId: 1, code: 'CODE', conversionId: 2, commissionId: 3, approvedCommissionId: 4, keyId: 5, userId: 6,
    webhookId: 7, deliveryId: 8, campaignId: 9, catalogueRewardId: 5, redemptionId: 6, mappingId: 7, marks: [],
    testimonialId: 5, boardId: 6, ideaId: 7, questId: 2,
  };
  const listed = new Set(ROUTES.map((r) => `${r.method} ${r.path(ids).replace('/dashboard', '').split('?')[0] || '/'}`
    .replace(/\/(1|2|3|5|6|7|9)(?=\/|$)/, '/:id').replace('/deliveries/8', '/deliveries/:deliveryId').replace('/CODE/', '/:code/')
    .replace(/\/(disable|enable)$/, '/VERB')));
  const missing = [...served].filter((route) => !listed.has(route));
  assert.deepEqual(missing, [], 'routes served but not in the isolation matrix');
});
