// POST /api/v1/convert, the signed webhook of 000_*, over real HTTP: HMAC-SHA256 of the raw body with the
// brand's secret key, the optional timestamp and its 300-second window, duplicates, and every error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotateSecretKey } from '../../src/services/brands.ts';
import { startTestCollector } from '../support/collector.ts';
import {
  CONVERT_WEBHOOK, HOUR_MS, PATHS, assertError, count, postSigned, row, secretHeaders, sign, tableText, testClock,
  webhookHeaders,
} from '../support/fixtures.ts';
import { transportErrorTests } from '../support/endpointErrors.ts';

const unixSeconds = (d: Date) => String(Math.floor(d.getTime() / 1000));

test('a signed webhook records a claim: 201 with claim_id, raw_value, claim_value, discount_applied, created_at', async (t) => {
  const clock = testClock('2026-04-14T20:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const res = await postSigned(c, CONVERT_WEBHOOK);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.success, true);
  const d = res.body.data;
  assert.equal(typeof d.claim_id, 'number');
  assert.equal(d.referral_code, 'V2AVMRDJ');
  assert.equal(d.raw_value, 99);
  assert.equal(d.discount_applied, 9.9);
  assert.equal(d.claim_value, 89.1);
  assert.equal(d.created_at, '2026-04-14T20:00:00.000Z');
  const claim = await row(c, 'SELECT * FROM claims WHERE id = ?', d.claim_id);
  assert.deepEqual([claim.brand_id, claim.email, claim.source, claim.status, claim.raw_value_cents, claim.claim_value_cents],
    [c.brand.brand_id, 'booker@example.com', 'webhook', 'pending', 9900, 8910]);
});

test('customer_name and metadata are stored; value defaults to 0 and may be a decimal string', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await postSigned(c, { referral_code: 'JOHN123', email: 'a@example.com', customer_name: 'Ann Lee', metadata: { calendly: 'evt-1' } });
  assert.equal(res.status, 201);
  assert.deepEqual([res.body.data.raw_value, res.body.data.discount_applied, res.body.data.claim_value], [0, 0, 0]);
  const claim = await row(c, 'SELECT name, metadata FROM claims');
  assert.equal(claim.name, 'Ann Lee');
  assert.deepEqual(JSON.parse(claim.metadata), { calendly: 'evt-1' });
  const text = await postSigned(c, { ...CONVERT_WEBHOOK, value: '99.00' });
  assert.equal(text.status, 201);
  assert.equal(text.body.data.raw_value, 99);
});

test('the signature is over the raw bytes: the same JSON re-formatted does not verify', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const signedFor = JSON.stringify(CONVERT_WEBHOOK);
  const sent = JSON.stringify(CONVERT_WEBHOOK, null, 2);
  assertError(await c.post(PATHS.convert, undefined, { headers: webhookHeaders(c.brand, signedFor), raw: sent }), 401, 'invalid_signature');
  const pretty = await c.post(PATHS.convert, undefined, { headers: webhookHeaders(c.brand, sent), raw: sent });
  assert.equal(pretty.status, 201, 'any formatting verifies when it is what was signed');
});

test('X-AL-Timestamp: a signature over TIMESTAMP.BODY or over the body is accepted within 300 s', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const ts = unixSeconds(clock.now());
  assert.equal((await postSigned(c, { ...CONVERT_WEBHOOK, email: 'a@example.com' }, { timestamp: ts })).status, 201);
  const raw = JSON.stringify({ ...CONVERT_WEBHOOK, email: 'b@example.com' });
  const bodyOnly = { 'Content-Type': 'application/json', 'X-Brand-ID': c.brand.brand_id, 'X-AL-Signature': sign(c.brand.secret_key, raw), 'X-AL-Timestamp': ts };
  assert.equal((await c.post(PATHS.convert, undefined, { headers: bodyOnly, raw })).status, 201);
  clock.advance(299_000);
  assert.equal((await postSigned(c, { ...CONVERT_WEBHOOK, email: 'c@example.com' }, { timestamp: ts })).status, 201);
});

test('401 for a timestamp more than 300 s away, in the past or the future', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const now = Number(unixSeconds(clock.now()));
  assertError(await postSigned(c, CONVERT_WEBHOOK, { timestamp: String(now - 301) }), 401, 'timestamp_out_of_range');
  assertError(await postSigned(c, CONVERT_WEBHOOK, { timestamp: String(now + 301) }), 401, 'timestamp_out_of_range');
  assertError(await postSigned(c, CONVERT_WEBHOOK, { timestamp: 'yesterday' }), 401, 'invalid_timestamp');
  assert.equal(await count(c, 'claims'), 0);
});

test('401 without a signature, with a wrong one, one of the wrong length, or one made with another key', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const raw = JSON.stringify(CONVERT_WEBHOOK);
  const base = { 'Content-Type': 'application/json', 'X-Brand-ID': c.brand.brand_id };
  const send = (signature?: string) =>
    c.post(PATHS.convert, undefined, { headers: signature === undefined ? base : { ...base, 'X-AL-Signature': signature }, raw });
  assertError(await send(), 401, 'missing_signature');
  assertError(await send(sign(c.brand.secret_key, raw + ' ')), 401, 'invalid_signature');
  assertError(await send('abc123'), 401, 'invalid_signature');
  assertError(await send(sign(c.brand.secret_key, raw) + '00'), 401, 'invalid_signature');
  assertError(await send('z'.repeat(64)), 401, 'invalid_signature');
  assertError(await send(sign(c.brand.publishable_key, raw)), 401, 'invalid_signature');
  assertError(await c.post(PATHS.convert, CONVERT_WEBHOOK, { headers: secretHeaders(c.brand) }), 401, 'missing_signature');
  assert.equal(await count(c, 'claims'), 0);
});

test('401 without X-Brand-ID, for an unknown brand, or with another brand\'s signature', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const raw = JSON.stringify(CONVERT_WEBHOOK);
  const { 'X-Brand-ID': _b, ...noBrand } = webhookHeaders(c.brand, raw);
  assertError(await c.post(PATHS.convert, undefined, { headers: noBrand, raw }), 401, 'missing_brand_id');
  assertError(await c.post(PATHS.convert, undefined, { headers: { ...noBrand, 'X-Brand-ID': '00000000-0000-4000-8000-000000000000' }, raw }),
    401, 'invalid_signature');
  const other = await c.addBrand();
  assertError(await c.post(PATHS.convert, undefined, { headers: { ...webhookHeaders(c.brand, raw), 'X-Brand-ID': other.brand_id }, raw }),
    401, 'invalid_signature');
  assert.equal(await count(c, 'claims'), 0);
});

test('after key rotation the old key no longer signs; the new one does', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const { secret_key } = await rotateSecretKey(c.deps.db, c.deps.q, c.deps.masterKey, c.brand.brand_id);
  assertError(await postSigned(c, CONVERT_WEBHOOK), 401, 'invalid_signature');
  const res = await postSigned(c, CONVERT_WEBHOOK, { brand: { ...c.brand, secret_key } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
});

test('409 for a repeat within 24 h, with the existing claim_id; allowed again after 24 h', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const first = await postSigned(c, CONVERT_WEBHOOK);
  const dup = await postSigned(c, { ...CONVERT_WEBHOOK, email: 'BOOKER@example.com' });
  assertError(dup, 409, 'duplicate_claim');
  assert.equal(dup.body.claim_id, first.body.data.claim_id);
  assert.equal(await count(c, 'claims'), 1);
  clock.advance(25 * HOUR_MS);
  assert.equal((await postSigned(c, CONVERT_WEBHOOK)).status, 201);
});

test('404 for an unknown code; 400 with the reason for an ineligible customer', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await postSigned(c, { ...CONVERT_WEBHOOK, referral_code: 'NOSUCHCODE' }), 404, 'invalid_code', 'referral_code');
  assertError(await postSigned(c, { ...CONVERT_WEBHOOK, email: 'sarah@advocate.example' }), 400, 'self_referral', 'referral_code');
  assert.equal(await count(c, 'claims'), 0);
});

test('400 names the missing or mistyped field (after the signature is verified)', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  assertError(await postSigned(c, { referral_code: 'V2AVMRDJ' }), 400, 'invalid_request', 'email');
  assertError(await postSigned(c, { email: 'a@example.com' }), 400, 'invalid_request', 'referral_code');
  for (const bad of ['abc', '1e3', '-5', 'NaN', '9.999', -1]) {
    assertError(await postSigned(c, { ...CONVERT_WEBHOOK, value: bad }), 400, 'invalid_request', 'value');
  }
  assertError(await postSigned(c, { ...CONVERT_WEBHOOK, metadata: [1] }), 400, 'invalid_request', 'metadata');
  // The signature is checked first: a bad body with a bad signature is a 401, never a 400 that leaks validation.
  const raw = JSON.stringify({ email: 'a@example.com' });
  assertError(await c.post(PATHS.convert, undefined, { headers: { ...webhookHeaders(c.brand, raw), 'X-AL-Signature': '0'.repeat(64) }, raw }),
    401, 'invalid_signature');
  assert.equal(await count(c, 'claims'), 0);
});

test('unknown top-level fields are listed in warnings and stored nowhere', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const res = await postSigned(c, { ...CONVERT_WEBHOOK, zap_id: 'zap-60613' });
  assert.equal(res.status, 201);
  assert.deepEqual(res.body.warnings, ['unknown field "zap_id" was ignored']);
  assert.ok(!(await tableText(c, 'claims')).includes('zap-60613'));
});

test('403 plan_required for starter and growth brands: the webhook records claims', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  for (const plan of ['starter', 'growth'] as const) {
    assertError(await postSigned(c, CONVERT_WEBHOOK, { brand: await c.addBrand({ plan }) }), 403, 'plan_required');
  }
  assert.equal(await count(c, 'claims'), 0);
});

test('Idempotency-Key: a redelivery answers the first 201 again; the same key with another body is a 409', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const key = { 'Idempotency-Key': 'zap-delivery-1' };
  const first = await postSigned(c, CONVERT_WEBHOOK, { headers: key });
  const again = await postSigned(c, CONVERT_WEBHOOK, { headers: key });
  assert.equal(first.status, 201);
  assert.deepEqual([again.status, again.body], [first.status, first.body]);
  assertError(await postSigned(c, { ...CONVERT_WEBHOOK, email: 'x@example.com' }, { headers: key }), 409, 'idempotency_conflict', 'Idempotency-Key');
  assert.equal(await count(c, 'claims'), 1);
});

transportErrorTests({
  path: PATHS.convert, limiter: 'convert', okStatus: 201,
  body: (i) => ({ ...CONVERT_WEBHOOK, email: `booker${i}@example.com` }),
  headers: (c, raw) => webhookHeaders(c.brand, raw),
});
