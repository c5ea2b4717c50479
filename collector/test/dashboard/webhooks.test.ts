// The Webhooks pages over real HTTP, with a real receiver on a local port that verifies every delivery with the
// Standard Webhooks library: register an endpoint (the secret shown once, sealed in the database, never on another
// page), its events and status in the list, refusals beside their fields with nothing written, a delivery's request
// headers, body and answer as sent and received, disable/enable, rotate (two signatures), test event, resend, a 410
// that disables and says why, remove; the deliveries paged by cursor and filtered; a viewer reads and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { signedIn, type DashboardClient, type DashboardPage } from '../support/dashboard.ts';
import { count, PATHS, row, rows, testClock } from '../support/fixtures.ts';
import { startReceiver, verifies, type Receiver } from '../support/receiver.ts';
import { expandQueued } from '../support/webhookFixtures.ts';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The message shown beside a field (ui.ts: <span class="field-error" id="f-NAME-error">), or the events fieldset's. */
function fieldError(page: DashboardPage, name: string): string | undefined {
  const m = new RegExp(`<(?:span|p) class="field-error" id="(?:f|new|edit)-${name}-error">([^<]*)</`).exec(page.text);
  return m ? unescape(m[1]!) : undefined;
}

/** The text of the copy block `id` (settingsSnippets.ts copyBlock: <pre class="copy" id=…>). */
const copied = (page: DashboardPage, id: string): string | undefined => {
  const m = new RegExp(`<pre class="copy" id="${id}">([^<]*)</pre>`).exec(page.text);
  return m ? unescape(m[1]!) : undefined;
};

/** The <pre class="copy"> blocks of a page, unescaped, in order. */
const blocks = (page: DashboardPage): string[] => [...page.text.matchAll(/<pre class="copy">([^<]*)<\/pre>/g)].map((m) => unescape(m[1]!));

interface Setup {
  c: TestCollector;
  owner: DashboardClient;
  receiver: Receiver;
  clock: ReturnType<typeof testClock>;
}

/** A collector that may send to this machine (REFERLOOP_WEBHOOK_ALLOW_PRIVATE=1), its owner, and a receiver on the same clock. */
async function setup(t: { after(fn: () => unknown): void }, allowPrivate = true): Promise<Setup> {
  // The receiver judges webhook-timestamp by the collector's clock (the library allows 5 minutes).
  const clock = testClock(new Date().toISOString());
  const c = await startTestCollector({ now: clock.now, config: { webhooks: { allowPrivate, timeoutMs: 5_000 } } });
  const receiver = await startReceiver({ now: clock.now });
  t.after(async () => {
    await c.close();
    await receiver.close();
  });
  return { c, owner: await signedIn(c), receiver, clock };
}

/** The form of "Register an endpoint" posted; answers the page and the secret it shows. */
async function register(s: Setup, form: Record<string, string | string[]>): Promise<{ page: DashboardPage; secret: string; id: number }> {
  await s.owner.get('/dashboard/webhooks');
  const page = await s.owner.post('/dashboard/webhooks', form);
  assert.equal(page.status, 201, page.text.slice(0, 500));
  const secret = copied(page, 'webhook-secret');
  assert.ok(secret, 'the secret is on the answer');
  const id = Number(/href="\/dashboard\/webhooks\/(\d+)"/.exec(page.text)?.[1]);
  return { page, secret, id };
}

let orders = 0;
async function convert(c: TestCollector): Promise<void> {
  const n = ++orders;
  const r = await c.post(PATHS.conversion, { customer_email: `buyer${n}@example.com`, order_id: `DASH-WH-${n}`, order_value: 40, referral_code: 'V2AVMRDJ' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

test('register an endpoint: its secret shown once and sealed, its events in the list; the receiver verifies the delivery with it, and its page shows the request and the answer as they were', async (t) => {
  const s = await setup(t);
  const { c, owner, receiver } = s;
  const empty = await owner.get('/dashboard/webhooks');
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<a href="\/dashboard\/webhooks" aria-current="page">Webhooks<\/a>/, 'the nav entry');
  assert.match(empty.text, /No endpoint yet\./);
  assert.match(empty.text, /<input type="checkbox" name="events" value="\*" checked>/, 'every event but visits, checked by default');

  const { page, secret, id } = await register(s, { url: receiver.url, description: 'CRM sync', events: ['conversion.created', 'commission.created'] });
  assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.match(page.text, /shown this once/);
  receiver.secrets = [secret];

  const api = (await c.call('GET', '/api/v1/webhooks')).body.data.webhooks;
  assert.deepEqual(api.map((w: any) => [w.id, w.url, w.description, w.events, w.status]),
    [[id, receiver.url, 'CRM sync', ['commission.created', 'conversion.created'], 'enabled']]);
  const list = await owner.get('/dashboard/webhooks');
  assert.ok(list.text.includes(`<a href="/dashboard/webhooks/${id}"><code>${receiver.url}</code></a>`));
  assert.match(list.text, /<td>commission\.created, conversion\.created<\/td>/);
  assert.match(list.text, /<span class="status status-enabled">enabled<\/span>/);
  // Shown once: on no other page, and in the database only sealed.
  const endpointPage = await owner.get(`/dashboard/webhooks/${id}`);
  for (const p of [list, endpointPage]) assert.equal(p.text.includes(secret.slice(6)), false, 'the secret is shown again');
  const stored = await row(c, 'SELECT secret_sealed FROM webhook_endpoints WHERE id = ?', id);
  assert.equal(stored.secret_sealed.includes(secret.slice(6)), false);

  await convert(c);
  assert.equal(await c.deps.deliverer.deliverDue(), 2, 'conversion.created and commission.created');
  assert.equal(receiver.requests.length, 2);
  for (const r of receiver.requests) assert.deepEqual(r.verifiedBy, [secret], 'verified with the secret the page showed');

  const deliveries = await owner.get(`/dashboard/webhooks/${id}`);
  const sent = receiver.requests.find((r) => r.headers['webhook-id'] && JSON.parse(r.body).type === 'conversion.created')!;
  const listed = await c.call('GET', `/api/v1/webhooks/${id}/deliveries`);
  const conversionDelivery = listed.body.data.deliveries.find((d: any) => d.event_type === 'conversion.created');
  assert.equal(conversionDelivery.event_id, sent.webhookId);
  const rowHtml = new RegExp(`<td><a href="/dashboard/webhooks/${id}/deliveries/${conversionDelivery.id}">${conversionDelivery.id}</a></td>\\s*`
    + `<td><code>conversion\\.created</code><br><span class="muted">${sent.webhookId}</span></td>\\s*`
    + `<td><span class="status status-delivered">delivered</span></td>\\s*<td class="num">1</td>\\s*<td><code>200</code></td>\\s*`
    + `<td class="num">${conversionDelivery.last_duration_ms} ms</td>`);
  assert.match(deliveries.text, rowHtml);

  const detail = await owner.get(`/dashboard/webhooks/${id}/deliveries/${conversionDelivery.id}`);
  assert.equal(detail.status, 200);
  const [body, headers, answer] = blocks(detail);
  assert.equal(body, sent.body, 'the body shown is the body received, byte for byte');
  assert.equal(headers, `webhook-id: ${sent.headers['webhook-id']}\nwebhook-timestamp: ${sent.headers['webhook-timestamp']}\nwebhook-signature: v1,…\n`);
  assert.equal(answer, 'ok', "the receiver's answer");
  assert.match(detail.text, /<dt>Status<\/dt><dd><code>200<\/code><\/dd>/);
  assert.equal(detail.text.includes(sent.headers['webhook-signature']!.slice(3, 20)), false, 'no signature (nor secret) on the page');
  assert.equal(detail.text.includes(secret.slice(6)), false);
});

test("an endpoint's page lists a change's deliveries as soon as its request was answered: the page turns the outbox's queued row into them first", async (t) => {
  const { c, owner, receiver } = await setup(t);
  const created = await c.call('POST', '/api/v1/webhooks', { url: receiver.url, events: ['conversion.created'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.data.webhook.id as number;
  await convert(c);
  assert.deepEqual([await count(c, 'webhook_events'), await count(c, 'webhook_deliveries')], [1, 0], 'queued, no delivery yet (no deliverer runs here)');
  const page = await owner.get(`/dashboard/webhooks/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<td><code>conversion\.created<\/code><br><span class="muted">msg_[0-9a-f]{32}<\/span><\/td>\s*<td><span class="status status-pending">pending<\/span>/);
  assert.deepEqual([await count(c, 'webhook_events'), await count(c, 'webhook_deliveries')], [0, 1]);
});

test('a refused endpoint names the field with the API\'s message, keeps what was typed, and writes nothing', async (t) => {
  const s = await setup(t, false);
  const { c, owner } = s;
  await owner.get('/dashboard/webhooks');
  const cases: Array<[Record<string, string | string[]>, string, string]> = [
    [{ url: 'http://127.0.0.1:9/hook', events: ['*'] }, 'url', 'must be an https:// URL'],
    [{ url: 'https://10.0.0.7/hook', events: ['*'] }, 'url', 'must not point at a private address (10.0.0.7)'],
    [{ url: 'https://localhost/hook', events: ['*'] }, 'url', 'must not point at this machine (localhost)'],
    [{ url: '', events: ['*'] }, 'url', 'must not be empty'],
    [{ url: 'https://crm.example/hook' }, 'events', 'must name at least one event type'],
    [{ url: 'https://crm.example/hook', events: ['conversion.created', 'order.shipped'] }, 'events', 'unknown event type "order.shipped"'],
  ];
  for (const [form, name, message] of cases) {
    const refused = await owner.post('/dashboard/webhooks', { description: 'kept', ...form });
    assert.equal(refused.status, 400, `${JSON.stringify(form)}: ${refused.text.slice(0, 300)}`);
    assert.ok(fieldError(refused, name)?.startsWith(message), `${name}: ${fieldError(refused, name)}`);
    assert.match(refused.text, /<div class="error" role="alert">/);
    assert.match(refused.text, /<input id="f-description" name="description" type="text" value="kept"/, 'what was typed is kept');
    if (name === 'url') assert.ok(refused.text.includes(`name="url" type="url" value="${form.url}"`));
    if (form.events?.includes('conversion.created')) assert.match(refused.text, /value="conversion\.created" checked>/);
  }
  assert.equal(await count(c, 'webhook_endpoints'), 0, 'nothing written');
  assert.equal(await count(c, 'webhook_subscriptions'), 0);
});

test('disable and enable, rotate (the new secret once, both signing for a day), a test event, a resend with the same webhook-id, a 410 that disables and says why, remove', async (t) => {
  const s = await setup(t);
  const { c, owner, receiver } = s;
  const { id, secret } = await register(s, { url: receiver.url, events: ['*'] });
  const endpoint = `/dashboard/webhooks/${id}`;

  await owner.get(endpoint);
  const disabled = await owner.post(`${endpoint}/disable`, {});
  assert.equal(disabled.status, 303);
  assert.equal(disabled.location, endpoint);
  let page = await owner.get(endpoint);
  assert.match(page.text, /The endpoint is disabled/);
  assert.match(page.text, /<span class="status status-disabled">disabled<\/span> <span class="reason">disabled by an owner, the API or the CLI/);
  assert.match(page.text, /action="\/dashboard\/webhooks\/\d+\/enable"/);
  assert.equal((await c.call('GET', `/api/v1/webhooks/${id}`)).body.data.webhook.disabled_reason, 'operator');
  const refusedTest = await owner.post(`${endpoint}/test`, { event: 'advocate.created' });
  assert.equal(refusedTest.status, 409, 'a disabled endpoint gets no test event');
  assert.match(refusedTest.text, /is disabled \(operator\): enable it first/);
  assert.equal(await count(c, 'webhook_deliveries'), 0);
  assert.equal((await owner.post(`${endpoint}/enable`, {})).status, 303);
  assert.equal((await c.call('GET', `/api/v1/webhooks/${id}`)).body.data.webhook.status, 'enabled');

  // Rotate: the answer shows the new secret once; deliveries carry both signatures for 24 hours.
  await owner.get(endpoint);
  const rotated = await owner.post(`${endpoint}/rotate`, {});
  assert.equal(rotated.status, 200);
  const newSecret = copied(rotated, 'webhook-secret')!;
  assert.match(newSecret, /^whsec_/);
  assert.notEqual(newSecret, secret);
  assert.match(rotated.text, /The previous secret keeps signing beside this one until/);
  receiver.secrets = [secret, newSecret];

  // A test event: to the delivery's page, sent by the deliverer, verified with either secret.
  await owner.get(endpoint);
  const tested = await owner.post(`${endpoint}/test`, { event: 'payout.created' });
  assert.equal(tested.status, 303);
  const deliveryUrl = tested.location!;
  assert.match(deliveryUrl, new RegExp(`^/dashboard/webhooks/${id}/deliveries/\\d+$`));
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const first = receiver.requests.at(-1)!;
  assert.equal(JSON.parse(first.body).type, 'payout.created');
  assert.deepEqual(first.verifiedBy.sort(), [secret, newSecret].sort());
  assert.equal(first.headers['webhook-signature']!.split(' ').length, 2);

  // Resend: the same webhook-id and body again; the receiver now answers 500, and the page shows both attempts.
  receiver.answer = () => ({ status: 500, body: 'receiver is down for maintenance' });
  await owner.get(deliveryUrl);
  const resent = await owner.post(`${deliveryUrl}/resend`, {});
  assert.equal(resent.status, 303);
  assert.equal(resent.location, deliveryUrl);
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const second = receiver.requests.at(-1)!;
  assert.equal(second.webhookId, first.webhookId);
  assert.equal(second.body, first.body);
  const detail = await owner.get(deliveryUrl);
  assert.match(detail.text, /Delivery \d+ is sent again now, with the same webhook-id/);
  assert.match(detail.text, /<h3 id="attempt-1">Attempt 1: <span class="status status-delivered">delivered<\/span>/);
  assert.match(detail.text, /<h3 id="attempt-2">Attempt 2: <span class="status status-failed">failed<\/span>/);
  assert.match(detail.text, /<dt>Status<\/dt><dd><code>500<\/code><\/dd>/);
  const shown = blocks(detail);
  assert.equal(shown[0], first.body);
  assert.equal(shown.filter((b) => b.startsWith(`webhook-id: ${first.webhookId}\n`)).length, 2, 'both attempts name the same webhook-id');
  assert.ok(shown.includes(`webhook-id: ${second.webhookId}\nwebhook-timestamp: ${second.headers['webhook-timestamp']}\nwebhook-signature: v1,…\n`));
  assert.ok(shown.includes('receiver is down for maintenance'));
  assert.match(detail.text, /<dt>Next attempt<\/dt>/, 'a retry is scheduled');

  // A 410: the endpoint is disabled at once, and the list and its page say why.
  receiver.answer = () => ({ status: 410, body: 'gone' });
  s.clock.advance(6 * 60_000); // the third attempt: 5 min after the second (resent deliveries go on counting), with jitter
  assert.equal(await c.deps.deliverer.deliverDue(), 1);
  const list = await owner.get('/dashboard/webhooks');
  assert.match(list.text, /<span class="status status-disabled">disabled<\/span> <span class="reason">disabled at once: the receiver answered 410 Gone/);
  assert.equal((await c.call('GET', `/api/v1/webhooks/${id}`)).body.data.webhook.disabled_reason, 'gone');

  // Remove: back to the list with a notice; the endpoint and its deliveries are 404s from now on.
  await owner.get(endpoint);
  const removed = await owner.post(`${endpoint}/delete`, {});
  assert.equal(removed.status, 303);
  assert.equal(removed.location, '/dashboard/webhooks');
  const after = await owner.get('/dashboard/webhooks');
  assert.match(after.text, /is removed: nothing more is sent to it/);
  assert.match(after.text, /No endpoint yet\./);
  assert.equal((await owner.get(endpoint)).status, 404);
  assert.equal((await owner.get(deliveryUrl)).status, 404);
  assert.equal((await owner.post(`${endpoint}/enable`, {})).status, 404);
});

test('an endpoint\'s edit form changes its URL, description and events through PATCH\'s schema; a refusal writes nothing', async (t) => {
  const s = await setup(t);
  const { c, owner, receiver } = s;
  const { id } = await register(s, { url: receiver.url, description: 'first', events: ['*'] });
  const endpoint = `/dashboard/webhooks/${id}`;
  await owner.get(endpoint);
  const before = await row(c, 'SELECT * FROM webhook_endpoints WHERE id = ?', id);
  const none = await owner.post(endpoint, { url: receiver.url, description: 'second' });
  assert.equal(none.status, 400);
  assert.ok(fieldError(none, 'events')?.startsWith('must name at least one event type'));
  assert.match(none.text, /name="description" type="text" value="second"/);
  assert.deepEqual(await row(c, 'SELECT * FROM webhook_endpoints WHERE id = ?', id), before);

  const saved = await owner.post(endpoint, { url: `${receiver.url}/v2`, description: '', events: ['visit.created', 'claim.created'] });
  assert.equal(saved.status, 303);
  const w = (await c.call('GET', `/api/v1/webhooks/${id}`)).body.data.webhook;
  assert.deepEqual([w.url, w.description, w.events], [`${receiver.url}/v2`, null, ['claim.created', 'visit.created']]);
  assert.deepEqual((await rows(c, 'SELECT event_type FROM webhook_subscriptions WHERE endpoint_id = ? ORDER BY event_type', id)).map((r) => r.event_type),
    ['claim.created', 'visit.created']);
  // The next visit goes to it (the outbox's cache followed the change).
  const visit = await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' });
  assert.equal(visit.status, 200, JSON.stringify(visit.body));
  await expandQueued(c);
  assert.deepEqual((await rows(c, 'SELECT event_type FROM webhook_deliveries WHERE endpoint_id = ?', id)).map((r) => r.event_type), ['visit.created']);
});

test('deliveries: 25 a page by the API\'s cursor, filtered by status (a bad one named beside the field)', async (t) => {
  const s = await setup(t);
  const { c, owner, receiver } = s;
  const { id } = await register(s, { url: receiver.url, events: ['*'] });
  for (let i = 0; i < 30; i++) assert.equal((await c.call('POST', `/api/v1/webhooks/${id}/test`, {})).status, 202);
  const endpoint = `/dashboard/webhooks/${id}`;
  const idsOn = (p: DashboardPage) => [...p.text.matchAll(new RegExp(`<td><a href="/dashboard/webhooks/${id}/deliveries/(\\d+)">`, 'g'))].map((m) => Number(m[1]));
  const first = await owner.get(endpoint);
  const apiPage = (await c.call('GET', `/api/v1/webhooks/${id}/deliveries`, undefined, { query: { limit: 25 } })).body.data;
  assert.deepEqual(idsOn(first), apiPage.deliveries.map((d: any) => d.id));
  assert.equal(idsOn(first).length, 25);
  const older = /<a href="([^"]+)">Older<\/a>/.exec(first.text)![1]!;
  assert.equal(unescape(older), `${endpoint}?cursor=${apiPage.next_cursor}`);
  const second = await owner.get(unescape(older));
  assert.equal(idsOn(second).length, 5);
  assert.match(second.text, /No older entries/);
  assert.equal(Math.max(...idsOn(second)) < Math.min(...idsOn(first)), true, 'newest first');

  assert.equal(idsOn(await owner.get(`${endpoint}?status=delivered`)).length, 0);
  assert.equal(idsOn(await owner.get(`${endpoint}?status=pending`)).length, 25);
  const bad = await owner.get(`${endpoint}?status=lost`);
  assert.equal(bad.status, 200);
  assert.equal(fieldError(bad, 'status'), 'must be pending, delivered or failed');
});

test('a viewer reads the webhooks pages with nothing to press; every change they post is a 403 and writes nothing', async (t) => {
  const s = await setup(t);
  const { c, receiver } = s;
  const { id } = await register(s, { url: receiver.url, events: ['*'] });
  const test = await c.call('POST', `/api/v1/webhooks/${id}/test`, {});
  const deliveryId = test.body.data.delivery.id as number;
  const viewer = await signedIn(c, { role: 'viewer' });
  for (const path of ['/dashboard/webhooks', `/dashboard/webhooks/${id}`, `/dashboard/webhooks/${id}/deliveries/${deliveryId}`]) {
    const p = await viewer.get(path);
    assert.equal(p.status, 200, path);
    assert.doesNotMatch(p.text, /method="post" action="\/dashboard\/webhooks/, `${path}: a form to change something`);
  }
  assert.match((await viewer.get('/dashboard/webhooks')).text, /Your role is viewer/);
  const before = await rows(c, 'SELECT * FROM webhook_endpoints ORDER BY id');
  const deliveriesBefore = await count(c, 'webhook_deliveries');
  for (const [path, form] of [['/dashboard/webhooks', { url: receiver.url, events: '*' }], [`/dashboard/webhooks/${id}`, { url: receiver.url, events: '*' }],
    [`/dashboard/webhooks/${id}/disable`, {}], [`/dashboard/webhooks/${id}/rotate`, {}], [`/dashboard/webhooks/${id}/delete`, {}],
    [`/dashboard/webhooks/${id}/test`, {}], [`/dashboard/webhooks/${id}/deliveries/${deliveryId}/resend`, {}]] as const) {
    assert.equal((await viewer.post(path, form)).status, 403, path);
  }
  assert.deepEqual(await rows(c, 'SELECT * FROM webhook_endpoints ORDER BY id'), before);
  assert.equal(await count(c, 'webhook_deliveries'), deliveriesBefore);
});
