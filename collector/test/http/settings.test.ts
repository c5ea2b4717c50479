// GET/PATCH/PUT /api/v1/settings over real HTTP: the defaults, each field in API form and as stored, values read
// by their type, the errors naming the field, the read-only plan, and the tracking endpoints using a change at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { DAY_MS, PATHS, assertError, row, testClock } from '../support/fixtures.ts';

const stored = (c: Awaited<ReturnType<typeof startTestCollector>>, brandId = c.brand.brand_id) =>
  row(c, 'SELECT c.*, b.* FROM brands b JOIN campaigns c ON c.brand_id = b.id AND c.is_default = 1 WHERE b.id = ?', brandId);

test('GET answers the defaults of SPEC in API form, with the read-only brand_id, name and plan', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.call('GET', '/api/v1/settings');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  assert.deepEqual(res.body.data.settings, {
    brand_id: c.brand.brand_id,
    name: 'Test brand',
    plan: 'premier',
    currency: 'USD',
    allowed_origins: ['http://shop.test'],
    attribution_model: 'first_touch',
    attribution_window_days: 30,
    referee_discount_type: 'percentage',
    referee_discount_value: 10,
    referrer_reward_type: 'percentage',
    referrer_reward_value: 10,
    cooling_period_days: 30,
    level2_reward_type: 'none',
    level2_reward_value: 0,
    allow_negative_points: false,
    min_payout: 0,
    visit_retention_days: null,
    respect_gpc: false,
    sso_auto_enrol: true,
  });
});

test('PATCH changes each field it names, answers the new settings and stores cents, basis points and points', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await c.call('PATCH', '/api/v1/settings', {
    attribution_model: 'last_touch',
    attribution_window_days: 7,
    currency: 'eur',
    referee_discount_type: 'fixed',
    referee_discount_value: '4.99',
    referrer_reward_type: 'points',
    referrer_reward_value: '250',
    cooling_period_days: 0,
    level2_reward_type: 'percentage',
    level2_reward_value: 12.5,
    allow_negative_points: 'true',
    allowed_origins: ['https://Shop.Example/checkout?x=1', 'http://localhost:3000', 'https://shop.example'],
    min_payout: '25.50',
    visit_retention_days: '90',
    respect_gpc: true,
    sso_auto_enrol: 'false',
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const s = res.body.data.settings;
  assert.deepEqual({ ...s, brand_id: undefined, name: undefined }, {
    brand_id: undefined, name: undefined,
    plan: 'premier',
    currency: 'EUR',
    allowed_origins: ['https://shop.example', 'http://localhost:3000'],
    attribution_model: 'last_touch',
    attribution_window_days: 7,
    referee_discount_type: 'fixed',
    referee_discount_value: 4.99,
    referrer_reward_type: 'points',
    referrer_reward_value: 250,
    cooling_period_days: 0,
    level2_reward_type: 'percentage',
    level2_reward_value: 12.5,
    allow_negative_points: true,
    min_payout: 25.5,
    visit_retention_days: 90,
    respect_gpc: true,
    sso_auto_enrol: false,
  });
  const b = await stored(c);
  assert.deepEqual(
    [b.referee_discount_value, b.referrer_reward_value, b.level2_reward_value, b.allow_negative_points, b.currency, b.allowed_origins, b.min_payout,
      b.visit_retention_days, b.respect_gpc, b.sso_auto_enrol],
    [499, 250, 1250, 1, 'EUR', '["https://shop.example","http://localhost:3000"]', 2550, 90, 1, 0],
  );
  assert.deepEqual((await c.call('GET', '/api/v1/settings')).body.data.settings, s, 'GET answers what PATCH answered');

  // A second patch changes only what it names: a value alone is read by the type already in force.
  const second = await c.call('PATCH', '/api/v1/settings', { referrer_reward_value: 300, attribution_window_days: '90' });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.deepEqual([second.body.data.settings.referrer_reward_type, second.body.data.settings.referrer_reward_value,
    second.body.data.settings.attribution_window_days, second.body.data.settings.currency], ['points', 300, 90, 'EUR']);
});

test('PUT is the same partial update; the GET answer sent back changes nothing and unknown fields are warned about', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const before = (await c.call('GET', '/api/v1/settings')).body.data.settings;
  const res = await c.call('PUT', '/api/v1/settings', { ...before, cooling_period_days: 14, colour: 'blue' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.data.settings, { ...before, cooling_period_days: 14 });
  assert.deepEqual(res.body.warnings, ['unknown field "brand_id" was ignored', 'unknown field "name" was ignored',
    'unknown field "colour" was ignored']);
  assert.equal((await stored(c)).cooling_period_days, 14);
});

test('changing a *_type without its *_value is a 400 naming the value field, and nothing is saved', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const [type, value, to] of [
    ['referee_discount_type', 'referee_discount_value', 'fixed'],
    ['referrer_reward_type', 'referrer_reward_value', 'points'],
    ['level2_reward_type', 'level2_reward_value', 'fixed'],
  ] as const) {
    assertError(await c.call('PATCH', '/api/v1/settings', { [type]: to, cooling_period_days: 3 }), 400, 'invalid_request', value);
  }
  const b = await stored(c);
  assert.deepEqual([b.referee_discount_type, b.referrer_reward_type, b.level2_reward_type, b.cooling_period_days],
    ['percentage', 'percentage', 'none', 30]);
  // The same type as now is no change; turning level 2 off needs no value.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { referrer_reward_type: 'percentage' })).status, 200);
  await c.call('PATCH', '/api/v1/settings', { level2_reward_type: 'points', level2_reward_value: 5 });
  const off = await c.call('PATCH', '/api/v1/settings', { level2_reward_type: 'none' });
  assert.deepEqual([off.body.data.settings.level2_reward_type, off.body.data.settings.level2_reward_value], ['none', 0]);
});

test('400 naming the field: percentages over 100, fractional points, bad currency, days out of range, bad origins, bad types', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const patch = (body: Record<string, unknown>) => c.call('PATCH', '/api/v1/settings', body);
  assertError(await patch({ referee_discount_value: 100.01 }), 400, 'invalid_request', 'referee_discount_value');
  assertError(await patch({ referrer_reward_type: 'percentage', referrer_reward_value: '150' }), 400, 'invalid_request', 'referrer_reward_value');
  assertError(await patch({ level2_reward_type: 'percentage', level2_reward_value: 101 }), 400, 'invalid_request', 'level2_reward_value');
  assertError(await patch({ referrer_reward_type: 'points', referrer_reward_value: 2.5 }), 400, 'invalid_request', 'referrer_reward_value');
  assertError(await patch({ referee_discount_value: -5 }), 400, 'invalid_request', 'referee_discount_value');
  assertError(await patch({ referee_discount_value: '1.234' }), 400, 'invalid_request', 'referee_discount_value');
  for (const currency of ['US', 'usd1', 'XYZ', 12]) assertError(await patch({ currency }), 400, 'invalid_request', 'currency');
  assertError(await patch({ attribution_window_days: 0 }), 400, 'invalid_request', 'attribution_window_days');
  assertError(await patch({ attribution_window_days: 366 }), 400, 'invalid_request', 'attribution_window_days');
  assertError(await patch({ cooling_period_days: 1.5 }), 400, 'invalid_request', 'cooling_period_days');
  assertError(await patch({ cooling_period_days: -1 }), 400, 'invalid_request', 'cooling_period_days');
  assertError(await patch({ attribution_model: 'linear' }), 400, 'invalid_request', 'attribution_model');
  assertError(await patch({ referrer_reward_type: 'cash', referrer_reward_value: 1 }), 400, 'invalid_request', 'referrer_reward_type');
  assertError(await patch({ allow_negative_points: 'yes' }), 400, 'invalid_request', 'allow_negative_points');
  assertError(await patch({ allowed_origins: ['ftp://shop.example'] }), 400, 'invalid_request', 'allowed_origins.0');
  assertError(await patch({ allowed_origins: ['javascript:alert(1)'] }), 400, 'invalid_request', 'allowed_origins.0');
  assertError(await patch({ allowed_origins: ['https://ok.example', 'not a url'] }), 400, 'invalid_request', 'allowed_origins.1');
  // Every problem of one request is named at once.
  const both = await patch({ referee_discount_type: 'fixed', referrer_reward_value: 120 });
  assertError(both, 400, 'invalid_request', 'referee_discount_value');
  assertError(both, 400, 'invalid_request', 'referrer_reward_value');
  assert.equal((await stored(c)).currency, 'USD');
  assert.equal((await stored(c)).referrer_reward_value, 1000, 'nothing was saved');
  // 100 % itself is allowed.
  assert.equal((await patch({ referee_discount_value: 100 })).body.data.settings.referee_discount_value, 100);
});

test('the plan cannot be changed with the brand key: another plan is a 400 naming plan, the same plan is accepted', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await c.call('PATCH', '/api/v1/settings', { plan: 'starter', cooling_period_days: 1 }), 400, 'invalid_request', 'plan');
  assert.deepEqual([(await stored(c)).plan, (await stored(c)).cooling_period_days], ['premier', 30]);
  const same = await c.call('PATCH', '/api/v1/settings', { plan: 'premier', cooling_period_days: 1 });
  assert.equal(same.status, 200, JSON.stringify(same.body));
  assert.equal((await stored(c)).cooling_period_days, 1);
});

test('401 without a key, 403 with a publishable key; a brand changes only its own settings', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const other = await c.addBrand();
  assertError(await c.request('GET', '/api/v1/settings'), 401, 'missing_api_key');
  assertError(await c.request('PATCH', '/api/v1/settings', {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ cooling_period_days: 1 }),
  }), 401, 'missing_api_key');
  const publishable = await c.request('PATCH', '/api/v1/settings', {
    headers: { 'Content-Type': 'application/json', 'X-API-Key': c.brand.publishable_key, 'X-Brand-ID': c.brand.brand_id },
    body: JSON.stringify({ cooling_period_days: 1 }),
  });
  assert.equal(publishable.status, 403, JSON.stringify(publishable.body));

  const res = await c.call('PATCH', '/api/v1/settings', { cooling_period_days: 2, currency: 'GBP' }, { brand: other });
  assert.equal(res.status, 200);
  assert.equal(res.body.data.settings.brand_id, other.brand_id);
  assert.deepEqual([(await stored(c, other.brand_id)).cooling_period_days, (await stored(c, other.brand_id)).currency], [2, 'GBP']);
  assert.deepEqual([(await stored(c)).cooling_period_days, (await stored(c)).currency], [30, 'USD'], 'the first brand is untouched');
  assert.equal((await c.call('GET', '/api/v1/settings')).body.data.settings.currency, 'USD');
});

test('the next conversion uses the new cooling period and reward rule at once', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const first = await c.post(PATHS.conversion, { customer_email: 'a@example.com', order_id: 'S-1', order_value: 100, referral_code: 'JOHN123' });
  assert.equal(first.body.data.reward.available_at, new Date(clock.now().getTime() + 30 * DAY_MS).toISOString());
  assert.equal(first.body.data.reward.amount, 10);

  const patched = await c.call('PATCH', '/api/v1/settings', { cooling_period_days: 7, referrer_reward_type: 'fixed', referrer_reward_value: '3.50' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  const next = await c.post(PATHS.conversion, { customer_email: 'b@example.com', order_id: 'S-2', order_value: 100, referral_code: 'JOHN123' });
  assert.equal(next.status, 201, JSON.stringify(next.body));
  assert.equal(next.body.data.reward.available_at, new Date(clock.now().getTime() + 7 * DAY_MS).toISOString());
  assert.deepEqual([next.body.data.reward.kind, next.body.data.reward.amount], ['cash', 3.5]);
});

test('the next visit uses the new attribution model at once (first_touch keeps the code, last_touch replaces it)', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const visit = () => c.post(PATHS.visit, { referral_code: 'JOHN123', existing_code: 'V2AVMRDJ' });
  const first = await visit();
  assert.deepEqual([first.body.data.store_code, first.body.data.code], [false, 'V2AVMRDJ']);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { attribution_model: 'last_touch' })).status, 200);
  const last = await visit();
  assert.deepEqual([last.body.data.store_code, last.body.data.code], [true, 'JOHN123']);
});

test('the patch schema is usable from the CLI: numeric strings, "true"/"false" and a comma-separated origin list', async () => {
  const { zSettingsPatch } = await import('../../src/schemas/settings.ts');
  const parsed = zSettingsPatch.parse({
    cooling_period_days: '5', allow_negative_points: 'false', allowed_origins: 'https://a.example, https://b.example/x', referrer_reward_value: '7.5',
  });
  assert.deepEqual(parsed, {
    cooling_period_days: 5, allow_negative_points: false, allowed_origins: ['https://a.example', 'https://b.example'], referrer_reward_value: 750,
  });
});
