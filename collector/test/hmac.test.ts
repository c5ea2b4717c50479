// The signed /api/v1/convert webhook: HMAC-SHA256 over the raw body, the timestamp window, replays, rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { encryptSecret, hashKey, keyHint } from '../src/domain/keys.ts';
import { rotateSecretKey } from '../src/services/brands.ts';
import { startTestCollector, type TestBrand, type TestCollector } from './support/collector.ts';

const NOW = new Date('2026-04-14T20:00:00.000Z');
const NOW_S = NOW.getTime() / 1000;

const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('hex');

/** A body as a webhook tool might send it: not what JSON.stringify would produce, so only raw bytes verify. */
const webhookBody = (email: string) => `{ "referral_code" : "V2AVMRDJ",\n  "email": "${email}", "value": 99.00 }`;

function convert(c: TestCollector, raw: string, headers: Record<string, string>, brand: TestBrand = c.brand) {
  return c.post('/api/v1/convert', null, {
    raw,
    headers: { 'Content-Type': 'application/json', 'X-Brand-ID': brand.brand_id, ...headers },
  });
}

async function collector(t: { after(fn: () => unknown): void }) {
  const clock = { now: NOW };
  const c = await startTestCollector({ now: () => clock.now });
  t.after(() => c.close());
  const claims = async () => await c.deps.db.prepare('SELECT count(*) FROM claims', { pluck: true }).get() as number;
  return { c, clock, claims };
}

test('a signature over the raw body is accepted (201, the documented answer); over re-serialised JSON it is not', async (t) => {
  const { c, claims } = await collector(t);
  const raw = webhookBody('zap@example.com');
  const reserialised = JSON.stringify(JSON.parse(raw));
  const wrong = await convert(c, raw, { 'X-AL-Signature': sign(c.brand.secret_key, reserialised) });
  assert.equal(wrong.status, 401);
  assert.equal(await claims(), 0);

  const r = await convert(c, raw, { 'X-AL-Signature': sign(c.brand.secret_key, raw) });
  assert.equal(r.status, 201);
  assert.equal(r.body.success, true);
  assert.equal(r.body.data.referral_code, 'V2AVMRDJ');
  assert.equal(r.body.data.raw_value, 99);
  assert.equal(r.body.data.discount_applied, 9.9);
  assert.equal(r.body.data.claim_value, 89.1);
  assert.equal(r.body.data.created_at, NOW.toISOString());
  assert.equal(await claims(), 1);
});

test('one flipped character of the signature or of the body: 401, nothing stored', async (t) => {
  const { c, claims } = await collector(t);
  const raw = webhookBody('flip@example.com');
  const good = sign(c.brand.secret_key, raw);
  for (const i of [0, 1, 31, 32, 62, 63]) {
    const flipped = good.slice(0, i) + (good[i] === '0' ? '1' : '0') + good.slice(i + 1);
    const r = await convert(c, raw, { 'X-AL-Signature': flipped });
    assert.equal(r.status, 401, `signature character ${i}`);
    assert.equal(r.body.code, 'invalid_signature');
  }
  // Still valid JSON, one byte different: the email's first letter.
  const tampered = raw.replace('flip@', 'glip@');
  assert.equal(Buffer.byteLength(tampered), Buffer.byteLength(raw));
  const r = await convert(c, tampered, { 'X-AL-Signature': good });
  assert.equal(r.status, 401);
  assert.equal(await claims(), 0);
});

test('a signature of the wrong length or not hex is a 401, never a 500', async (t) => {
  const { c, claims } = await collector(t);
  const raw = webhookBody('len@example.com');
  const good = sign(c.brand.secret_key, raw);
  const bad = [
    good.slice(0, 63), good.slice(0, 62), good.slice(0, 2), 'a', good + '0', good + good, `${good}00`,
    'z'.repeat(64), `${good.slice(0, 63)}g`, `sha256=${good}`, Buffer.from(good, 'hex').toString('base64'), '-'.repeat(64),
  ];
  for (const signature of bad) {
    const r = await convert(c, raw, { 'X-AL-Signature': signature });
    assert.equal(r.status, 401, signature);
    assert.equal(r.body.success, false);
  }
  const missing = await convert(c, raw, {});
  assert.equal(missing.status, 401);
  assert.equal(await claims(), 0);
});

test('X-AL-Timestamp: a signature over TIMESTAMP.BODY or over the body alone is accepted within 300 s', async (t) => {
  const { c, claims } = await collector(t);
  const ts = String(NOW_S);
  const rawA = webhookBody('ts-a@example.com');
  const a = await convert(c, rawA, { 'X-AL-Timestamp': ts, 'X-AL-Signature': sign(c.brand.secret_key, `${ts}.${rawA}`) });
  assert.equal(a.status, 201);
  const rawB = webhookBody('ts-b@example.com');
  const b = await convert(c, rawB, { 'X-AL-Timestamp': ts, 'X-AL-Signature': sign(c.brand.secret_key, rawB) });
  assert.equal(b.status, 201);
  // The timestamp is part of what was signed: another timestamp does not verify the TIMESTAMP.BODY form.
  const rawC = webhookBody('ts-c@example.com');
  const c1 = await convert(c, rawC, { 'X-AL-Timestamp': String(NOW_S - 1), 'X-AL-Signature': sign(c.brand.secret_key, `${ts}.${rawC}`) });
  assert.equal(c1.status, 401);
  assert.equal(await claims(), 2);
});

test('X-AL-Timestamp 301 s old or ahead: 401; 299 s either way: accepted (the injected clock)', async (t) => {
  const { c, clock, claims } = await collector(t);
  const cases: Array<[offset: number, status: number]> = [[-301, 401], [301, 401], [-299, 201], [299, 201], [-300, 201], [300, 201]];
  for (const [offset, status] of cases) {
    const ts = String(NOW_S + offset);
    const raw = webhookBody(`skew${offset}@example.com`);
    for (const payload of [`${ts}.${raw}`, raw]) {
      const r = await convert(c, raw, { 'X-AL-Timestamp': ts, 'X-AL-Signature': sign(c.brand.secret_key, payload) });
      if (status === 201 && payload === raw) {
        assert.equal(r.status, 409, 'the second form of an accepted request is a duplicate claim');
      } else {
        assert.equal(r.status, status, `offset ${offset}, ${payload === raw ? 'body' : 'timestamp.body'}`);
        if (status === 401) assert.equal(r.body.code, 'timestamp_out_of_range');
      }
    }
  }
  assert.equal(await claims(), 4);

  // The window follows the server's clock: the same signed request is refused once the clock moves on.
  const ts = String(NOW_S);
  const raw = webhookBody('late@example.com');
  const headers = { 'X-AL-Timestamp': ts, 'X-AL-Signature': sign(c.brand.secret_key, `${ts}.${raw}`) };
  clock.now = new Date(NOW.getTime() + 301_000);
  assert.equal((await convert(c, raw, headers)).status, 401);
  clock.now = new Date(NOW.getTime() + 299_000);
  assert.equal((await convert(c, raw, headers)).status, 201);

  for (const bad of ['soon', '', '-5', `${NOW_S}.5`, '1e9']) {
    const r = await convert(c, raw, { 'X-AL-Timestamp': bad, 'X-AL-Signature': sign(c.brand.secret_key, `${bad}.${raw}`) });
    assert.equal(r.status, 401, `timestamp ${JSON.stringify(bad)}`);
  }
});

test('a replay of an accepted request: 409 with the existing claim_id, no second claim', async (t) => {
  const { c, claims } = await collector(t);
  const ts = String(NOW_S);
  const raw = webhookBody('replay@example.com');
  const headers = { 'X-AL-Timestamp': ts, 'X-AL-Signature': sign(c.brand.secret_key, `${ts}.${raw}`) };
  const first = await convert(c, raw, headers);
  assert.equal(first.status, 201);
  for (let i = 0; i < 3; i++) {
    const replay = await convert(c, raw, headers);
    assert.equal(replay.status, 409);
    assert.equal(replay.body.success, false);
    assert.equal(replay.body.claim_id, first.body.data.claim_id);
  }
  assert.equal(await claims(), 1);
});

test('key rotation: the old key signs nothing any more, the new key does', async (t) => {
  const { c, claims } = await collector(t);
  const oldKey = c.brand.secret_key;
  const { secret_key: newKey } = await rotateSecretKey(c.deps.db, c.deps.q, c.deps.masterKey, c.brand.brand_id);
  assert.notEqual(newKey, oldKey);

  const raw = webhookBody('rotated@example.com');
  const old = await convert(c, raw, { 'X-AL-Signature': sign(oldKey, raw) });
  assert.equal(old.status, 401);
  assert.equal(await claims(), 0);
  const fresh = await convert(c, raw, { 'X-AL-Signature': sign(newKey, raw) });
  assert.equal(fresh.status, 201);
  // The same holds for the key as a header on the other endpoints.
  const headers = (key: string) => ({ 'Content-Type': 'application/json', 'X-API-Key': key, 'X-Brand-ID': c.brand.brand_id });
  const body = { customer_email: 'rotated@example.com', order_id: 'ROT-1', order_value: 10 };
  assert.equal((await c.post('/api/v1/track/conversion', body, { headers: headers(oldKey) })).status, 401);
  assert.equal((await c.post('/api/v1/track/conversion', body, { headers: headers(newKey) })).status, 201);
});

test('an unknown, missing or malformed X-Brand-ID: 401; the publishable key is no HMAC secret', async (t) => {
  const { c, claims } = await collector(t);
  const raw = webhookBody('who@example.com');
  const signature = sign(c.brand.secret_key, raw);
  for (const brandId of [randomUUID(), 'not-a-uuid', c.brand.brand_id.toUpperCase()]) {
    const r = await c.post('/api/v1/convert', null, { raw, headers: { 'Content-Type': 'application/json', 'X-Brand-ID': brandId, 'X-AL-Signature': signature } });
    assert.equal(r.status, 401, brandId);
  }
  const missing = await c.post('/api/v1/convert', null, { raw, headers: { 'Content-Type': 'application/json', 'X-AL-Signature': signature } });
  assert.equal(missing.status, 401);
  const publishable = await convert(c, raw, { 'X-AL-Signature': sign(c.brand.publishable_key, raw) });
  assert.equal(publishable.status, 401);
  assert.equal(await claims(), 0);
});

test('a key whose sealed copy does not open with this master key cannot sign, and the brand\'s other keys still can', async (t) => {
  const { c, claims } = await collector(t);
  const otherMaster = randomBytes(32);
  const stray = 'rl_sk_' + randomBytes(24).toString('base64url');
  // As a CLI that found another master key would write it.
  c.deps.queue.run(() => c.deps.q.brands.insertKey({
    brandId: c.brand.brand_id, kind: 'secret', name: 'stray', keyHash: hashKey(stray), hint: keyHint(stray),
    sealed: encryptSecret(stray, otherMaster),
  }, NOW.toISOString()));
  await c.deps.queue.drained();
  const raw = webhookBody('sealed@example.com');
  const good = await convert(c, raw, { 'X-AL-Signature': sign(c.brand.secret_key, raw) });
  assert.equal(good.status, 201, JSON.stringify(good.body));
  const strayRaw = webhookBody('stray@example.com');
  const byStray = await convert(c, strayRaw, { 'X-AL-Signature': sign(stray, strayRaw) });
  assert.equal(byStray.status, 401);
  assert.equal(byStray.body.code, 'invalid_signature');
  assert.equal(await claims(), 1);
});
