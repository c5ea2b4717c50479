// The settings pages over real HTTP: the programme form equal to GET /api/v1/settings and saved through the API's
// schema and use case (refusals name the field, nothing written), allowed origins, API keys (shown once, used,
// revoked: a 401), the script tag and checkout form, and a viewer who reads everything and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, TEST_ORIGIN, type TestCollector } from '../support/collector.ts';
import { signedIn, type DashboardPage } from '../support/dashboard.ts';
import { count, PATHS, publishableHeaders, row, rows } from '../support/fixtures.ts';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The value the labelled <input name=…> of the page shows (ui.ts's input: id f-NAME). */
function inputValue(page: DashboardPage, name: string): string | undefined {
  const m = new RegExp(`<input id="f-${name}" name="${name}"[^>]*value="([^"]*)"`).exec(page.text);
  return m ? unescape(m[1]!) : undefined;
}

/** The selected option of a <select name=…>. */
function selected(page: DashboardPage, name: string): string | undefined {
  const m = new RegExp(`<select [^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(page.text);
  return m ? /<option value="([^"]*)" selected>/.exec(m[1]!)?.[1] : undefined;
}

/** The message shown beside a field (ui.ts: <span class="field-error" id="f-NAME-error">). */
function fieldError(page: DashboardPage, name: string): string | undefined {
  const m = new RegExp(`<span class="field-error" id="f-${name}-error">([^<]*)</span>`).exec(page.text);
  return m ? unescape(m[1]!) : undefined;
}

/** A fresh collector (closed after the test) and an owner of its brand, signed in. */
async function ownerOfNewCollector(t: { after(fn: () => unknown): void }) {
  const c = await startTestCollector();
  t.after(() => c.close());
  return { c, owner: await signedIn(c) };
}

const apiSettings = async (c: TestCollector) => (await c.call('GET', '/api/v1/settings')).body.data.settings;
const brandRow = (c: TestCollector) => row(c, 'SELECT c.*, b.* FROM brands b JOIN campaigns c ON c.brand_id = b.id AND c.is_default = 1 WHERE b.id = ?', c.brand.brand_id);

/** The whole programme form as an owner would post it after changing `changes`. */
function programmeForm(page: DashboardPage, changes: Record<string, string>): Record<string, string> {
  const form: Record<string, string> = {};
  for (const name of ['attribution_window_days', 'referee_discount_value', 'referrer_reward_value', 'level2_reward_value', 'cooling_period_days', 'min_payout', 'currency', 'visit_retention_days']) {
    form[name] = inputValue(page, name)!;
  }
  for (const name of ['attribution_model', 'referee_discount_type', 'referrer_reward_type', 'level2_reward_type', 'allow_negative_points', 'respect_gpc']) {
    form[name] = selected(page, name)!;
  }
  return { ...form, ...changes };
}

test('the programme form shows every field of GET /api/v1/settings as the API takes it', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  await c.call('PATCH', '/api/v1/settings', {
    referee_discount_type: 'fixed', referee_discount_value: 5, referrer_reward_type: 'percentage', referrer_reward_value: 12.5,
    level2_reward_type: 'points', level2_reward_value: 40, min_payout: 25, cooling_period_days: 14, attribution_model: 'last_touch',
    attribution_window_days: 60, allow_negative_points: true, currency: 'EUR', visit_retention_days: 400, respect_gpc: true,
  });
  const s = await apiSettings(c);
  const page = await owner.get('/dashboard/settings');
  assert.equal(page.status, 200);
  assert.deepEqual({
    attribution_model: selected(page, 'attribution_model'),
    attribution_window_days: Number(inputValue(page, 'attribution_window_days')),
    referee_discount_type: selected(page, 'referee_discount_type'),
    referee_discount_value: Number(inputValue(page, 'referee_discount_value')),
    referrer_reward_type: selected(page, 'referrer_reward_type'),
    referrer_reward_value: Number(inputValue(page, 'referrer_reward_value')),
    level2_reward_type: selected(page, 'level2_reward_type'),
    level2_reward_value: Number(inputValue(page, 'level2_reward_value')),
    cooling_period_days: Number(inputValue(page, 'cooling_period_days')),
    min_payout: Number(inputValue(page, 'min_payout')),
    currency: inputValue(page, 'currency'),
    allow_negative_points: selected(page, 'allow_negative_points') === 'true',
    visit_retention_days: Number(inputValue(page, 'visit_retention_days')),
    respect_gpc: selected(page, 'respect_gpc') === 'true',
  }, {
    attribution_model: s.attribution_model, attribution_window_days: s.attribution_window_days,
    referee_discount_type: s.referee_discount_type, referee_discount_value: s.referee_discount_value,
    referrer_reward_type: s.referrer_reward_type, referrer_reward_value: s.referrer_reward_value,
    level2_reward_type: s.level2_reward_type, level2_reward_value: s.level2_reward_value,
    cooling_period_days: s.cooling_period_days, min_payout: s.min_payout, currency: s.currency,
    allow_negative_points: s.allow_negative_points, visit_retention_days: s.visit_retention_days, respect_gpc: s.respect_gpc,
  });
  // Every field the API answers is on the form, or shown read-only.
  const shown = new Set([...page.text.matchAll(/ name="([a-z0-9_]+)"/g)].map((m) => m[1]));
  const readOnly = new Set(['brand_id', 'name', 'plan', 'allowed_origins']);
  assert.deepEqual(Object.keys(s).filter((k) => !shown.has(k) && !readOnly.has(k)), []);
  // Money with its cents, percentages and points as the API answers them.
  assert.equal(inputValue(page, 'referee_discount_value'), '5.00');
  assert.equal(inputValue(page, 'referrer_reward_value'), '12.5');
  assert.equal(inputValue(page, 'level2_reward_value'), '40');
  assert.equal(inputValue(page, 'min_payout'), '25.00');
  assert.match(page.text, new RegExp(`<code>${s.brand_id}</code>`));
  assert.match(page.text, /<dt>Plan<\/dt><dd>premier/);
  for (const origin of s.allowed_origins) assert.ok(page.text.includes(`<code>${origin}</code>`), origin);
  assert.match(page.text, /href="\/dashboard\/users"/, 'owners get the link to the dashboard users');
  assert.match(page.text, /href="\/dashboard\/settings\/keys"/);
  assert.match(page.text, /href="\/dashboard\/settings\/embed"/);
});

test('saving the programme changes what it says, and the next conversion uses it', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const before = await apiSettings(c);
  const page = await owner.get('/dashboard/settings');
  const saved = await owner.post('/dashboard/settings', programmeForm(page, {
    referrer_reward_type: 'fixed', referrer_reward_value: '7.50', level2_reward_type: 'percentage', level2_reward_value: '2.5',
    min_payout: '20', attribution_window_days: '45', allow_negative_points: 'true', visit_retention_days: '90', respect_gpc: 'true',
  }));
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/dashboard/settings');
  assert.deepEqual(await apiSettings(c), {
    ...before, referrer_reward_type: 'fixed', referrer_reward_value: 7.5, level2_reward_type: 'percentage', level2_reward_value: 2.5,
    min_payout: 20, attribution_window_days: 45, allow_negative_points: true, visit_retention_days: 90, respect_gpc: true,
  });
  const b = await brandRow(c);
  assert.deepEqual([b.referrer_reward_value, b.level2_reward_value, b.min_payout], [750, 250, 2000], 'cents and basis points');
  const after = await owner.get('/dashboard/settings');
  assert.match(after.text, /<p class="notice" role="status">The programme is saved: the next conversion of an advocate in the default campaign uses it\.<\/p>/);
  assert.equal(inputValue(after, 'referrer_reward_value'), '7.50');

  const conversion = await c.post(PATHS.conversion, { customer_email: 'buyer@example.com', order_id: 'O-1', order_value: 200, referral_code: 'V2AVMRDJ' });
  assert.equal(conversion.status, 201, JSON.stringify(conversion.body));
  assert.equal(conversion.body.data.reward.amount, 7.5, 'the fixed reward the form set, not 10 % of 200');

  // Level 2 off: its value may be left empty.
  const off = await owner.post('/dashboard/settings', programmeForm(after, { level2_reward_type: 'none', level2_reward_value: '' }));
  assert.equal(off.status, 303);
  assert.deepEqual([(await apiSettings(c)).level2_reward_type, (await apiSettings(c)).level2_reward_value], ['none', 0]);
  // An empty retention keeps visits (null).
  const keep = await owner.post('/dashboard/settings', programmeForm(await owner.get('/dashboard/settings'), { visit_retention_days: '' }));
  assert.equal(keep.status, 303);
  assert.equal((await apiSettings(c)).visit_retention_days, null);
});

test('a refused programme names the field with the API\'s message, keeps what was typed, and writes nothing', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const page = await owner.get('/dashboard/settings');
  const before = await brandRow(c);
  const cases: Array<[Record<string, string>, string, string]> = [
    [{ referrer_reward_value: '150' }, 'referrer_reward_value', 'is a percentage: at most 100'],
    [{ attribution_window_days: '0' }, 'attribution_window_days', 'must be at least 1'],
    [{ attribution_window_days: 'soon' }, 'attribution_window_days', 'must be a whole number of days'],
    [{ min_payout: '12.345' }, 'min_payout', 'must have at most two decimal places'],
    [{ min_payout: '' }, 'min_payout', 'must be a plain decimal number such as 108.00'],
    [{ currency: 'XYZ' }, 'currency', 'is not an ISO 4217 currency code'],
    [{ referrer_reward_type: 'points', referrer_reward_value: '2.5' }, 'referrer_reward_value', 'is a number of points: must be a whole number'],
    [{ referee_discount_type: 'bogus' }, 'referee_discount_type', 'must be percentage or fixed'],
    [{ cooling_period_days: '400' }, 'cooling_period_days', 'must be at most 365'],
    [{ visit_retention_days: '0' }, 'visit_retention_days', 'must be at least 1'],
  ];
  for (const [changes, name, message] of cases) {
    const refused = await owner.post('/dashboard/settings', programmeForm(page, changes));
    assert.equal(refused.status, 400, name);
    assert.equal(fieldError(refused, name), message, name);
    assert.match(refused.text, new RegExp(`id="f-${name}"[^>]*aria-invalid="true"`), name);
    assert.match(refused.text, /<div class="error" role="alert">/);
    const typed = changes[name]!;
    if (name.endsWith('_type')) assert.ok(!refused.text.includes('value="bogus" selected'), 'an unknown option is not selected');
    else assert.equal(inputValue(refused, name), typed, `${name}: what was typed is kept`);
  }
  // Several at once: each beside its field.
  const both = await owner.post('/dashboard/settings', programmeForm(page, { attribution_window_days: '999', currency: 'dollars' }));
  assert.equal(fieldError(both, 'attribution_window_days'), 'must be at most 365');
  assert.equal(fieldError(both, 'currency'), 'must be a three-letter ISO 4217 code such as USD');
  assert.deepEqual(await brandRow(c), before, 'nothing written');
});

test('allowed origins: add (normalised by the API\'s schema), refuse a bad one, remove; the tracker follows', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  await owner.get('/dashboard/settings');
  const added = await owner.post('/dashboard/settings/origins', { origin: 'https://Shop.Example/checkout?x=1' });
  assert.equal(added.status, 303);
  assert.deepEqual((await apiSettings(c)).allowed_origins, [TEST_ORIGIN, 'https://shop.example']);
  const page = await owner.get('/dashboard/settings');
  assert.match(page.text, /https:\/\/shop\.example is allowed/);
  assert.match(page.text, /<code>https:\/\/shop\.example<\/code>/);
  const visit = (origin: string) => c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' }, { headers: publishableHeaders(c.brand, origin) });
  assert.equal((await visit('https://shop.example')).status, 200);

  const again = await owner.post('/dashboard/settings/origins', { origin: 'https://shop.example' });
  assert.equal(again.status, 303);
  assert.deepEqual((await apiSettings(c)).allowed_origins, [TEST_ORIGIN, 'https://shop.example'], 'no duplicate');

  const before = await brandRow(c);
  for (const [origin, message] of [['ftp://files.example', '"ftp://files.example" is not an http or https origin'], ['shop', '"shop" is not a URL such as https://shop.example']]) {
    const bad = await owner.post('/dashboard/settings/origins', { origin: origin! });
    assert.equal(bad.status, 400);
    assert.equal(fieldError(bad, 'origin'), message);
    assert.equal(inputValue(bad, 'origin'), origin);
  }
  assert.deepEqual(await brandRow(c), before);

  const removed = await owner.post('/dashboard/settings/origins/remove', { origin: 'https://shop.example' });
  assert.equal(removed.status, 303);
  assert.deepEqual((await apiSettings(c)).allowed_origins, [TEST_ORIGIN]);
  assert.equal((await visit('https://shop.example')).status, 403, 'the tracker is refused from a removed origin');
  const unknown = await owner.post('/dashboard/settings/origins/remove', { origin: 'https://never.example' });
  assert.equal(unknown.status, 404);
  assert.equal(fieldError(unknown, 'origin'), 'is not among the allowed origins');
});

test('two owners adding origins at the same moment both keep theirs (the list is read inside the commit queue)', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const other = await signedIn(c);
  await Promise.all([owner.get('/dashboard/settings'), other.get('/dashboard/settings')]);
  const added = await Promise.all([
    owner.post('/dashboard/settings/origins', { origin: 'https://a.example' }),
    other.post('/dashboard/settings/origins', { origin: 'https://b.example' }),
  ]);
  assert.deepEqual(added.map((r) => r.status), [303, 303]);
  assert.deepEqual([...(await apiSettings(c)).allowed_origins].sort(), [TEST_ORIGIN, 'https://a.example', 'https://b.example'].sort());
});

test('allowed origins: the API\'s limit of 50 is shown beside the field, nothing written', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const fifty = Array.from({ length: 50 }, (_, i) => `https://s${i}.example`);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: fifty })).status, 200);
  const refused = await owner.post('/dashboard/settings/origins', { origin: 'https://one-more.example' });
  assert.equal(refused.status, 400);
  assert.equal(fieldError(refused, 'origin'), 'at most 50 origins');
  assert.deepEqual((await apiSettings(c)).allowed_origins, fifty);
});

test('a secret key: made with a name, shown once on the answer only, works, listed by prefix and last use, revoked: a 401', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const list = await owner.get('/dashboard/settings/keys');
  assert.equal(list.status, 200);
  assert.match(list.text, /<td>default<\/td><td>secret<\/td>/);
  assert.match(list.text, /<td>tracker<\/td><td>publishable<\/td>/);

  const made = await owner.post('/dashboard/settings/keys', { name: 'zapier', kind: 'secret' });
  assert.equal(made.status, 201);
  assert.equal(made.location, null, 'answered at once, not through a redirect');
  assert.equal(made.headers.get('set-cookie'), null, 'nor through a notice cookie');
  assert.equal(made.headers.get('cache-control'), 'no-store');
  const key = /<pre class="copy" id="new-key">(rl_sk_[A-Za-z0-9_-]{32})<\/pre>/.exec(made.text)?.[1];
  assert.ok(key, 'the key is on the page');
  assert.match(made.text, /<button type="button" class="secondary" data-copy="new-key" hidden>Copy the key<\/button>/);
  assert.ok(made.text.includes(`Authorization: Bearer ${key}`), 'with a first call to copy');
  const stored = await row(c, 'SELECT * FROM api_keys WHERE name = ?', 'zapier');
  assert.equal(stored.kind, 'secret');
  assert.ok(!JSON.stringify(await rows(c, 'SELECT * FROM api_keys')).includes(key), 'never stored in the clear');

  const call = () => c.request('GET', '/api/v1/settings', { headers: { Authorization: `Bearer ${key}` } });
  assert.equal((await call()).status, 200, 'the new key works against the API');
  await c.deps.queue.drained();

  const listed = await owner.get('/dashboard/settings/keys');
  assert.ok(!listed.text.includes(key), 'never shown again');
  const zapierRow = new RegExp(`<td>zapier</td><td>secret</td><td><code class="key-prefix">${stored.key_hint}</code></td><td><time [^>]*>[^<]*</time></td><td><time datetime="([^"]+)"`).exec(listed.text);
  assert.ok(zapierRow, 'listed by name, kind, prefix, created and last use');
  assert.equal(zapierRow[1], (await row(c, 'SELECT last_used_at FROM api_keys WHERE id = ?', stored.id)).last_used_at);

  const revoked = await owner.post(`/dashboard/settings/keys/${stored.id}/revoke`, {});
  assert.equal(revoked.status, 303);
  assert.equal(revoked.location, '/dashboard/settings/keys');
  assert.equal((await call()).status, 401, 'the next call is a 401');
  const after = await owner.get('/dashboard/settings/keys');
  assert.ok(after.text.includes(`The key &quot;zapier&quot; (${stored.key_hint}) is revoked: its next call is a 401.`));
  assert.ok(!after.text.includes(`/dashboard/settings/keys/${stored.id}/revoke`), 'no revoke button for a revoked key');
  assert.match(after.text, /data-confirm="Revoke the secret key &quot;default&quot;/, 'revoking asks first');
  assert.equal((await c.call('GET', '/api/v1/settings')).status, 200, 'the brand\'s other keys still work');
});

test('a key name is checked as the CLI checks it, a taken one is a 409 beside the field; nothing written', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const keys = await count(c, 'api_keys');
  const taken = await owner.post('/dashboard/settings/keys', { name: 'default', kind: 'secret' });
  assert.equal(taken.status, 409);
  assert.match(fieldError(taken, 'name') ?? '', /^is the name of active key \d+ \(rl_sk_…[A-Za-z0-9_-]{4}\): revoke it or choose another name$/);
  assert.equal(inputValue(taken, 'name'), 'default');
  const bad = await owner.post('/dashboard/settings/keys', { name: 'no<tags>', kind: 'secret' });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'name'), '1 to 64 letters, digits, spaces or . _ : / @ + -');
  const empty = await owner.post('/dashboard/settings/keys', { name: '  ', kind: 'secret' });
  assert.equal(fieldError(empty, 'name'), '1 to 64 letters, digits, spaces or . _ : / @ + -');
  const kind = await owner.post('/dashboard/settings/keys', { name: 'x', kind: 'admin' });
  assert.equal(fieldError(kind, 'kind'), 'must be secret or publishable');
  assert.equal(await count(c, 'api_keys'), keys);
});

test('another brand\'s key cannot be revoked from here (404), and stays working', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const other = await c.addBrand();
  const otherKey = (await row(c, "SELECT id FROM api_keys WHERE brand_id = ? AND kind = 'secret'", other.brand_id)).id;
  const res = await owner.post(`/dashboard/settings/keys/${otherKey}/revoke`, {});
  assert.equal(res.status, 404);
  assert.equal((await row(c, 'SELECT revoked_at FROM api_keys WHERE id = ?', otherKey)).revoked_at, null);
  assert.equal((await c.call('GET', '/api/v1/settings', undefined, { brand: other })).status, 200);
  assert.equal((await owner.post('/dashboard/settings/keys/abc/revoke', {})).status, 400);
  const list = await owner.get('/dashboard/settings/keys');
  assert.ok(!list.text.includes(`/keys/${otherKey}/revoke`), 'another brand\'s keys are not listed');
});

test('the script tag and checkout form; a new publishable key answers the complete tag, which the tracker accepts', async (t) => {
  const { c, owner } = await ownerOfNewCollector(t);
  const page = await owner.get('/dashboard/settings/embed');
  assert.equal(page.status, 200);
  const hint = (await row(c, "SELECT key_hint FROM api_keys WHERE brand_id = ? AND kind = 'publishable'", c.brand.brand_id)).key_hint;
  const tag = /<pre class="copy" id="script-tag">([^<]*)<\/pre>/.exec(page.text)?.[1];
  assert.equal(unescape(tag ?? ''), `<script async src="http://localhost:${c.deps.config.port}/al.js" data-brand="${c.brand.brand_id}" data-key="YOUR_PUBLISHABLE_KEY"></script>`);
  assert.ok(page.text.includes(`<code>${hint}</code>`), 'the active publishable key by its prefix');
  assert.ok(!page.text.includes(c.brand.publishable_key), 'never the key itself');
  const form = unescape(/<pre class="copy" id="checkout-form">([^<]*)<\/pre>/.exec(page.text)?.[1] ?? '');
  assert.match(form, /<input type="hidden" name="referral_code" data-al="code">/);
  assert.match(form, /<input type="hidden" name="visitor_id" data-al="visitor_id">/);
  for (const id of ['script-tag', 'checkout-form', 'conversion-call']) assert.match(page.text, new RegExp(`data-copy="${id}" hidden>`), id);

  const made = await owner.post('/dashboard/settings/embed/key', { name: 'landing pages', kind: 'secret' });
  assert.equal(made.status, 201);
  const key = /<pre class="copy" id="new-key">(rl_pk_[A-Za-z0-9_-]{32})<\/pre>/.exec(made.text)?.[1];
  assert.ok(key, 'always a publishable key from the tag\'s form');
  const ready = unescape(/<pre class="copy" id="new-key-tag">([^<]*)<\/pre>/.exec(made.text)?.[1] ?? '');
  assert.equal(ready, `<script async src="http://localhost:${c.deps.config.port}/al.js" data-brand="${c.brand.brand_id}" data-key="${key}"></script>`);
  const visit = await c.post(PATHS.visit, { referral_code: 'V2AVMRDJ' }, { headers: { ...publishableHeaders(c.brand), 'X-API-Key': key } });
  assert.equal(visit.status, 200, 'the tag\'s key works from an allowed origin');
  const again = await owner.get('/dashboard/settings/embed');
  assert.ok(!again.text.includes(key));
  assert.match(again.text, /<strong>landing pages<\/strong>/);

  const dup = await owner.post('/dashboard/settings/embed/key', { name: 'tracker' });
  assert.equal(dup.status, 409);
  assert.match(dup.text, /<title>Script tag and checkout form/, 'refused on the page that sent it');
  assert.match(fieldError(dup, 'name') ?? '', /^is the name of active key/);
});

test('a viewer reads every settings page, has nothing to press, and any POST is a 403 that writes nothing', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const viewer = await signedIn(c, { role: 'viewer' });
  const settings = await viewer.get('/dashboard/settings');
  assert.equal(settings.status, 200);
  assert.match(settings.text, /Your role is viewer/);
  assert.match(settings.text, /<fieldset class="card" disabled>/);
  assert.ok(!settings.text.includes('href="/dashboard/users"'), 'the users page is for owners');
  for (const path of ['/dashboard/settings', '/dashboard/settings/keys', '/dashboard/settings/embed']) {
    const page = path === '/dashboard/settings' ? settings : await viewer.get(path);
    assert.equal(page.status, 200, path);
    const forms = [...page.text.matchAll(/<form [^>]*action="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(forms, ['/dashboard/sign-out'], `${path}: no form but sign-out`);
  }
  const keys = await count(c, 'api_keys');
  const brand = await brandRow(c);
  const keyId = (await row(c, 'SELECT id FROM api_keys WHERE brand_id = ? ORDER BY id', c.brand.brand_id)).id;
  const posts: Array<[string, Record<string, string>]> = [
    ['/dashboard/settings', { referrer_reward_value: '50' }],
    ['/dashboard/settings/origins', { origin: 'https://evil.example' }],
    ['/dashboard/settings/origins/remove', { origin: TEST_ORIGIN }],
    ['/dashboard/settings/keys', { name: 'mine', kind: 'secret' }],
    ['/dashboard/settings/embed/key', { name: 'mine' }],
    [`/dashboard/settings/keys/${keyId}/revoke`, {}],
  ];
  for (const [path, form] of posts) assert.equal((await viewer.post(path, form)).status, 403, path);
  assert.equal(await count(c, 'api_keys'), keys);
  assert.deepEqual(await brandRow(c), brand);
  assert.equal((await row(c, 'SELECT revoked_at FROM api_keys WHERE id = ?', keyId)).revoked_at, null);
});
