// Self sign-up (issue 14) at /portal/join/BRAND/CAMPAIGN over HTTP: a campaign's `signup` setting (closed by default,
// approval: pending advocates, open: active ones who see their link at once) through the campaign API; the page is a
// 404 for a closed, archived, unknown or another brand's campaign; bad input names its field and writes nothing; an
// email the brand already has gets a pending sign-up's answer word for word and changes nothing; a press from another
// site's page is a 403; every post counts on the client IP's sign_up budget; advocate.signed_up is delivered with the
// advocate as the API answers it.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RATE_LIMITS, type Config } from '../../src/config.ts';
import { eventDataSchemas, zWebhookEvent } from '../../src/schemas/answers/webhooks.ts';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { fieldError, textOf } from '../support/dashboard.ts';
import { startReceiver } from '../support/receiver.ts';
import { joinCampaign, joinPathOf, postJoin, signUpCampaign } from '../support/signups.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';
import { assertError, count, row } from '../support/fixtures.ts';

async function setUp(t: TestContext, config: Partial<Config> = {}): Promise<TestCollector> {
  const c = await startTestCollector({ config });
  t.after(() => c.close());
  return c;
}

const advocateByEmail = async (c: TestCollector, email: string) => {
  const list = (await c.call('GET', '/api/v1/advocates', undefined, { query: { search: email } })).body.data.advocates as Array<{ id: number; email: string }>;
  const found = list.find((a) => a.email === email);
  return found && (await c.call('GET', `/api/v1/advocates/${found.id}`)).body.data.advocate;
};

test('sign-up is closed unless set: the campaign API answers signup, takes approval or open, names the field for anything else', async (t) => {
  const c = await setUp(t);
  const campaigns = (await c.call('GET', '/api/v1/campaigns')).body.data.campaigns;
  assert.deepEqual(campaigns.map((x: { signup: string }) => x.signup), ['closed'], 'the default campaign, as migration 024 left it');
  const created = await c.call('POST', '/api/v1/campaigns', { name: 'Friends' });
  assert.equal(created.body.data.campaign.signup, 'closed', 'a new campaign is closed unless told');
  const id = created.body.data.campaign.id;
  assertError(await c.call('PATCH', `/api/v1/campaigns/${id}`, { signup: 'sometimes' }), 400, 'invalid_request', 'signup');
  assertError(await c.call('POST', '/api/v1/campaigns', { name: 'Other', signup: true }), 400, 'invalid_request', 'signup');
  assert.equal((await c.call('GET', `/api/v1/campaigns/${id}`)).body.data.campaign.signup, 'closed', 'the refused PATCH changed nothing');

  // Closed: the page and its form are a 404, and nothing is written.
  const before = await count(c, 'advocates');
  for (const campaignId of [campaigns[0].id, id]) {
    const page = await fetch(c.url + joinPathOf(c.brand, campaignId));
    assert.equal(page.status, 404);
    assert.match(textOf(await page.text()), /no sign-up page at this address/);
    assert.equal((await postJoin(c, joinPathOf(c.brand, campaignId), { name: 'Nina', email: 'nina@example.com' })).status, 404);
  }
  assert.equal(await count(c, 'advocates'), before);

  const opened = await c.call('PATCH', `/api/v1/campaigns/${id}`, { signup: 'approval' });
  assert.equal(opened.status, 200, JSON.stringify(opened.body));
  assert.equal(opened.body.data.campaign.signup, 'approval');
  const page = await fetch(c.url + joinPathOf(c.brand, id));
  assert.equal(page.status, 200);
  const text = await page.text();
  assert.match(text, /<label for="f-name">Your name<\/label>/);
  assert.match(text, /<label for="f-email">Your email<\/label>/);
  assert.match(text, new RegExp(`<form [^>]*method="post" action="${joinPathOf(c.brand, id)}"`));

  // Archived, it takes nobody, whatever its setting.
  assert.equal((await c.call('POST', `/api/v1/campaigns/${id}/archive`)).status, 200);
  assert.equal((await fetch(c.url + joinPathOf(c.brand, id))).status, 404);
  assert.equal((await postJoin(c, joinPathOf(c.brand, id), { name: 'Nina', email: 'nina@example.com' })).status, 404);
  assert.equal(await count(c, 'advocates'), before);
});

test('approval: the sign-up is a pending advocate of the campaign with a code that does not attribute yet; no session opens', async (t) => {
  const c = await setUp(t);
  const campaign = await signUpCampaign(c, 'approval');
  const answer = await joinCampaign(c, campaign, { name: '  Nina Patel ', email: ' Nina@Example.com' });
  assert.match(textOf(answer.text), /Thank you: we have your sign-up/);
  assert.equal(answer.headers.get('set-cookie'), null, 'no portal session, no cookie');
  const nina = await advocateByEmail(c, 'nina@example.com');
  assert.ok(nina, 'the advocate exists, its email normalised');
  assert.deepEqual([nina.name, nina.status, nina.campaign_id], ['Nina Patel', 'pending', campaign]);
  assert.match(nina.referral_code, /^[A-Z0-9_-]+$/);
  assert.ok(!answer.text.includes(nina.referral_code), 'a pending sign-up is not shown a code');
  const check = await c.post('/api/v1/track/check-eligibility', { referral_code: nina.referral_code, customer_email: 'buyer@example.com' });
  assert.equal(check.body.eligible, false, JSON.stringify(check.body));
});

test('open: the sign-up is active at once and the page shows their link, as the brand\'s first origin with ?ref=', async (t) => {
  const c = await setUp(t);
  const campaign = await signUpCampaign(c, 'open');
  const answer = await joinCampaign(c, campaign, { name: 'Omar Haddad', email: 'omar@example.com' });
  const omar = await advocateByEmail(c, 'omar@example.com');
  assert.deepEqual([omar.status, omar.campaign_id], ['active', campaign]);
  assert.match(answer.text, new RegExp(`value="http://shop\\.test/\\?ref=${omar.referral_code}"`));
  assert.match(textOf(answer.text), new RegExp(`Your code: ${omar.referral_code}`));
  assert.equal(answer.headers.get('set-cookie'), null, 'no portal session: the email is not proven');
  const check = await c.post('/api/v1/track/check-eligibility', { referral_code: omar.referral_code, customer_email: 'buyer@example.com' });
  assert.equal(check.body.eligible, true, JSON.stringify(check.body));
});

test('bad input names its field and writes nothing; a press from another site\'s page is a 403', async (t) => {
  const c = await setUp(t);
  const campaign = await signUpCampaign(c, 'open');
  const path = joinPathOf(c.brand, campaign);
  const before = await count(c, 'advocates');
  const codes = await count(c, 'referral_codes');
  const noName = await postJoin(c, path, { name: '  ', email: 'nina@example.com' });
  assert.equal(noName.status, 400);
  assert.equal(fieldError({ ...noName, location: null }, 'name'), 'must not be empty');
  assert.match(noName.text, /value="nina@example.com"/, 'what was typed is kept');
  const badEmail = await postJoin(c, path, { name: 'Nina', email: 'not-an-email' });
  assert.equal(badEmail.status, 400);
  assert.equal(fieldError({ ...badEmail, location: null }, 'email'), 'must be an email address');
  assert.equal(fieldError({ ...badEmail, location: null }, 'name'), undefined);
  const missing = await postJoin(c, path, {});
  assert.equal(missing.status, 400);
  assert.ok(fieldError({ ...missing, location: null }, 'name') && fieldError({ ...missing, location: null }, 'email'));
  const long = await postJoin(c, path, { name: 'N'.repeat(256), email: 'nina@example.com' });
  assert.equal(long.status, 400);
  assert.match(fieldError({ ...long, location: null }, 'name') ?? '', /at most 255/);
  const crossSite = await postJoin(c, path, { name: 'Nina', email: 'nina@example.com' }, { Origin: 'https://evil.example' });
  assert.equal(crossSite.status, 403);
  assert.equal(await count(c, 'advocates'), before, 'nothing written');
  assert.equal(await count(c, 'referral_codes'), codes);
  assert.equal(await advocateByEmail(c, 'nina@example.com'), undefined);
});

test('another brand\'s campaign, an unknown brand or campaign: the same 404, nothing written in either brand', async (t) => {
  const c = await setUp(t);
  const other = await c.addBrand();
  const theirs = await signUpCampaign(c, 'open', { brand: other });
  const mine = await signUpCampaign(c, 'open');
  const before = await count(c, 'advocates');
  for (const path of [
    joinPathOf(c.brand, theirs), joinPathOf(other, mine), `/portal/join/00000000-0000-4000-8000-000000000000/${mine}`,
    `/portal/join/${c.brand.brand_id}/999999`, `/portal/join/${c.brand.brand_id}/abc`, `/portal/join/${c.brand.brand_id}/0${mine}`,
  ]) {
    assert.equal((await fetch(c.url + path)).status, 404, path);
    const posted = await postJoin(c, path, { name: 'Nina', email: 'nina@example.com' });
    assert.equal(posted.status, 404, path);
    assert.ok(!posted.text.includes(other.brand_id) || path.includes(other.brand_id), 'nothing of the other brand shown');
  }
  assert.equal(await count(c, 'advocates'), before);
  // Each brand's own address works, and makes that brand's advocate.
  await joinCampaign(c, theirs, { name: 'Nina', email: 'nina@example.com' }, other);
  assert.equal((await row(c, 'SELECT brand_id FROM advocates WHERE email = ?', 'nina@example.com')).brand_id, other.brand_id);
  assert.equal(await advocateByEmail(c, 'nina@example.com'), undefined, 'not an advocate of the first brand');
});

test('an email the brand already has: a pending sign-up\'s answer word for word, nothing changed, no event', async (t) => {
  const c = await setUp(t);
  await subscribeEndpoint(c, ['*']);
  const approval = await signUpCampaign(c, 'approval');
  const open = await signUpCampaign(c, 'open');
  const fresh = await joinCampaign(c, approval, { name: 'Nina Patel', email: 'nina@example.com' });
  const john = await advocateByEmail(c, 'john@advocate.example');
  const events = (await storedEvents(c)).length;
  const advocates = await count(c, 'advocates');

  const again = await joinCampaign(c, approval, { name: 'Nina Patel', email: 'nina@example.com' });
  const known = await joinCampaign(c, approval, { name: 'Someone Else', email: 'JOHN@advocate.example' });
  const knownOpen = await joinCampaign(c, open, { name: 'Someone Else', email: 'john@advocate.example' });
  for (const answer of [again, known, knownOpen]) assert.equal(answer.text, fresh.text, 'the same page, word for word');
  assert.ok(!knownOpen.text.includes(john.referral_code), 'no link, no code of the advocate the email belongs to');
  assert.equal(await count(c, 'advocates'), advocates);
  assert.deepEqual(await advocateByEmail(c, 'john@advocate.example'), john, 'John is as he was (name, campaign, status)');
  assert.equal((await storedEvents(c)).length, events, 'no event');

  // Five presses at once with a new email: one advocate, one advocate.signed_up, five identical answers.
  const presses = await Promise.all(Array.from({ length: 5 }, () => joinCampaign(c, approval, { name: 'Rosa Diaz', email: 'rosa@example.com' })));
  for (const answer of presses) assert.equal(answer.text, fresh.text);
  assert.equal((await row(c, 'SELECT count(*) AS n FROM advocates WHERE email = ?', 'rosa@example.com')).n, 1);
  assert.equal((await storedEvents(c, { type: 'advocate.signed_up' })).filter((e) => e.body.data.email === 'rosa@example.com').length, 1);
});

test('every post counts on the client IP\'s sign_up budget: a 429 past it, another address still signs up', async (t) => {
  const c = await setUp(t, { rateLimits: { ...DEFAULT_RATE_LIMITS, sign_up: { limit: 2, windowMs: 3_600_000 } }, trustProxyHops: 1 });
  const campaign = await signUpCampaign(c, 'approval');
  const path = joinPathOf(c.brand, campaign);
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });
  assert.equal((await postJoin(c, path, { name: 'One', email: 'one@example.com' }, from('203.0.113.7'))).status, 200);
  assert.equal((await postJoin(c, path, { name: '', email: 'two@example.com' }, from('203.0.113.7'))).status, 400, 'a refused one counts too');
  const third = await postJoin(c, path, { name: 'Three', email: 'three@example.com' }, from('203.0.113.7'));
  assert.equal(third.status, 429);
  assert.match(textOf(third.text), /Too many sign-ups from this IP/);
  assert.equal(await advocateByEmail(c, 'three@example.com'), undefined, 'the refused sign-up wrote nothing');
  assert.equal((await fetch(c.url + path, { headers: from('203.0.113.7') })).status, 200, 'the page itself is not limited');
  assert.equal((await postJoin(c, path, { name: 'Four', email: 'four@example.com' }, from('198.51.100.4'))).status, 200);
});

test('advocate.signed_up is delivered after advocate.created and referral_code.created, with the advocate as the API answers it', async (t) => {
  const c = await setUp(t, { webhooks: { allowPrivate: true, timeoutMs: 5_000 } });
  const receiver = await startReceiver({ now: c.deps.now });
  t.after(() => receiver.close());
  const endpoint = await c.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['advocate.signed_up'] });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  await subscribeEndpoint(c, ['*']);
  const campaign = await signUpCampaign(c, 'approval');
  await joinCampaign(c, campaign, { name: 'Nina Patel', email: 'nina@example.com' });
  const nina = await advocateByEmail(c, 'nina@example.com');
  const all = (await storedEvents(c)).filter((e) => e.type.startsWith('advocate.') || e.type === 'referral_code.created');
  assert.deepEqual([...new Set(all.map((e) => e.type))], ['advocate.created', 'referral_code.created', 'advocate.signed_up']);

  while (await c.deps.deliverer.deliverDue() > 0);
  assert.equal(receiver.requests.length, 1);
  const event = zWebhookEvent.parse(JSON.parse(receiver.requests[0]!.body));
  assert.equal(event.type, 'advocate.signed_up');
  assert.ok(eventDataSchemas['advocate.signed_up'].safeParse(event.data).success);
  assert.deepEqual(event.data, nina);
  assert.deepEqual([nina.status, nina.campaign_id, nina.email], ['pending', campaign, 'nina@example.com']);
});
