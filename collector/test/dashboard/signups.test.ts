// The dashboard's parts of self sign-up (issue 14) over HTTP: a campaign's sign-up setting on its form (PATCH
// /campaigns/:id's schema: a bad value beside its field, nothing written) and its address on the campaign's page; the
// sign-ups waiting (the advocates list's status=pending) approved by an owner (then active; anything not pending is a
// 409 that changes nothing; a viewer a 403); an advocate's last visit to the portal on their page.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, signedIn, textOf } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { joinCampaign, joinPathOf, signUpCampaign } from '../support/signups.ts';

const START = Date.parse('2026-12-01T10:00:00Z');

async function setUp(t: TestContext) {
  const clock = { ms: START };
  const c = await startTestCollector({ now: () => new Date(clock.ms) });
  t.after(() => c.close());
  return { c, clock, owner: await signedIn(c) };
}

const MINUTE_MS = 60_000;

/** The brand's advocate with this email (the API's search), by id. */
async function advocateId(c: TestCollector, email: string): Promise<number> {
  const found = (await c.call('GET', '/api/v1/advocates', undefined, { query: { search: email } })).body.data.advocates.find((a: { email: string }) => a.email === email);
  assert.ok(found, email);
  return found.id;
}

const advocateOf = async (c: TestCollector, id: number) => (await c.call('GET', `/api/v1/advocates/${id}`)).body.data.advocate;

test('a campaign\'s self sign-up is set on its form; its page shows the sign-up address; a bad value names the field', async (t) => {
  const { c, owner } = await setUp(t);
  const id = await signUpCampaign(c, 'closed', { name: 'Friends' });
  const page = await owner.get(`/dashboard/campaigns/${id}`);
  assert.match(page.text, /<select id="f-signup" name="signup"[^>]*>[\s\S]*?<option value="closed" selected>/);
  assert.match(textOf(page.text), /Self sign-up closed/);
  const saved = await owner.post(`/dashboard/campaigns/${id}`, { name: 'Friends', signup: 'approval' });
  assert.match(await noticeAfter(owner, saved), /Friends is saved/);
  assert.equal((await c.call('GET', `/api/v1/campaigns/${id}`)).body.data.campaign.signup, 'approval');
  const after = await owner.get(`/dashboard/campaigns/${id}`);
  assert.match(after.text, /<option value="approval" selected>/);
  assert.match(after.text, new RegExp(`<dd>with approval: <a href="${joinPathOf(c.brand, id)}">http://localhost:\\d+${joinPathOf(c.brand, id)}</a></dd>`));

  const bad = await owner.post(`/dashboard/campaigns/${id}`, { name: 'Friends', signup: 'sometimes' });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'signup'), 'must be closed, approval or open');
  assert.equal((await c.call('GET', `/api/v1/campaigns/${id}`)).body.data.campaign.signup, 'approval', 'nothing written');

  // A new campaign from the list's form, open at once.
  const created = await owner.post('/dashboard/campaigns', { name: 'Open house', signup: 'open' });
  assert.equal(created.status, 303, created.text.slice(0, 300));
  const newId = Number(/\/dashboard\/campaigns\/(\d+)$/.exec(created.location ?? '')?.[1]);
  assert.equal((await c.call('GET', `/api/v1/campaigns/${newId}`)).body.data.campaign.signup, 'open');
});

test('an owner approves a pending sign-up from the pending list: active, gone from the list; twice is a 409; a viewer cannot', async (t) => {
  const { c, owner } = await setUp(t);
  const campaign = await signUpCampaign(c, 'approval');
  await joinCampaign(c, campaign, { name: 'Nina Patel', email: 'nina@example.com' });
  await joinCampaign(c, campaign, { name: 'Omar Haddad', email: 'omar@example.com' });
  const nina = await advocateId(c, 'nina@example.com');
  const omar = await advocateId(c, 'omar@example.com');

  const list = await owner.get('/dashboard/advocates');
  assert.match(list.text, /<a href="\/dashboard\/advocates\?status=pending">Sign-ups waiting for approval<\/a>/);
  const pending = await owner.get('/dashboard/advocates?status=pending');
  assert.equal(pending.status, 200);
  assert.match(rowWith(pending, `/dashboard/advocates/${nina}"`), /Nina Patel nina@example.com .* pending Approve/);
  assert.match(pending.text, new RegExp(`<form class="inline" method="post" action="/dashboard/advocates/${nina}/approve">`));
  assert.ok(!pending.text.includes('john@advocate.example'), 'active advocates are not listed');

  const approved = await owner.post(`/dashboard/advocates/${nina}/approve`, {});
  assert.equal(approved.location, '/dashboard/advocates?status=pending');
  assert.match(await noticeAfter(owner, approved), /Nina Patel is approved: active/);
  assert.equal((await advocateOf(c, nina)).status, 'active');
  const check = await c.post('/api/v1/track/check-eligibility', { referral_code: (await advocateOf(c, nina)).referral_code, customer_email: 'buyer@example.com' });
  assert.deepEqual(check.body, { eligible: true }, 'her code attributes now');
  const left = await owner.get('/dashboard/advocates?status=pending');
  assert.ok(!left.text.includes('nina@example.com') && left.text.includes('omar@example.com'));

  const twice = await owner.post(`/dashboard/advocates/${nina}/approve`, {});
  assert.equal(twice.status, 409);
  assert.match(textOf(twice.text), /Nina Patel is active, not pending: there is nothing to approve/);
  const john = await advocateId(c, 'john@advocate.example');
  assert.equal((await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' })).status, 200);
  assert.equal((await owner.post(`/dashboard/advocates/${john}/approve`, {})).status, 409, 'a blocked advocate is not approved');
  assert.equal((await advocateOf(c, john)).status, 'blocked');

  const viewer = await signedIn(c, { role: 'viewer' });
  const viewerList = await viewer.get('/dashboard/advocates?status=pending');
  assert.ok(viewerList.text.includes('omar@example.com') && !viewerList.text.includes('/approve"'), 'a viewer sees no Approve button');
  assert.equal((await viewer.post(`/dashboard/advocates/${omar}/approve`, {})).status, 403);
  assert.equal((await advocateOf(c, omar)).status, 'pending');
  // The advocate's own page has the button too.
  const page = await owner.get(`/dashboard/advocates/${omar}`);
  assert.match(page.text, new RegExp(`action="/dashboard/advocates/${omar}/approve"`));
  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/advocates/${omar}/approve`, {})), /Omar Haddad is approved/);
});

test('an advocate\'s page shows when they were last seen in the portal: never, then their last visit', async (t) => {
  const { c, clock, owner } = await setUp(t);
  const john = await advocateId(c, 'john@advocate.example');
  const sarah = await advocateId(c, 'sarah@advocate.example');
  const lastSeen = async (id: number) => textOf(/<p>Last seen in the portal: (.*?)<\/p>/s.exec((await owner.get(`/dashboard/advocates/${id}`)).text)?.[1] ?? '');
  assert.equal(await lastSeen(john), 'never');

  const portal = await inPortal(c, john);
  assert.equal(await lastSeen(john), 'Dec 1, 2026, 10:00 AM UTC');
  clock.ms = START + 5 * MINUTE_MS;
  assert.equal((await portal.get('/portal')).status, 200);
  // The visit is noted by a commit-queue job the page does not wait for.
  for (let i = 0; i < 50 && await c.deps.q.portal.lastSeen(c.brand.brand_id, john) !== new Date(clock.ms).toISOString(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(await lastSeen(john), 'Dec 1, 2026, 10:05 AM UTC');
  assert.equal(await lastSeen(sarah), 'never', 'another advocate\'s visit is not theirs');
});
