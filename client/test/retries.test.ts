// The client's retries against a real collector: a write whose answer was lost after it committed is retried under the
// same Idempotency-Key and answered the collector's replay (one conversion, never two); 429's Retry-After is waited
// for; 5xx and network failures back off and give up after maxRetries; a 400 is thrown at once, naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SHOPIFY_CONVERSION } from '../../collector/test/support/fixtures.ts';
import { ReferloopError, type Conversion } from '../src/index.ts';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../src/transport.ts';
import { clientOf, collectorAndClient } from './support/collector.ts';

const CONVERSION_PATH = '/api/v1/track/conversion';

interface Proxy {
  url: string;
  /** each POST to the conversion path as the collector answered it: its Idempotency-Key and status */
  conversions: Array<{ key: string | undefined; status: number }>;
}

/**
 * A proxy in front of the collector at `target` that forwards everything, but loses the collector's answer to the
 * first conversion once it has come (so the conversion IS committed): the client is answered 503 instead, or its
 * connection is cut.
 */
async function startProxy(t: { after(fn: () => unknown): void }, target: string, lose: '503' | 'reset'): Promise<Proxy> {
  const proxy: Proxy = { url: '', conversions: [] };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const name of ['content-type', 'accept', 'x-api-key', 'x-brand-id', 'idempotency-key']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const answer = await fetch(target + req.url, {
      method: req.method!, headers, ...(chunks.length ? { body: Buffer.concat(chunks).toString('utf8') } : {}),
    });
    const text = await answer.text();
    if (req.method === 'POST' && req.url === CONVERSION_PATH) {
      proxy.conversions.push({ key: req.headers['idempotency-key'] as string | undefined, status: answer.status });
      if (proxy.conversions.length === 1) {
        if (lose === 'reset') {
          req.socket.destroy();
        } else {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ success: false, error: 'the upstream went away', code: 'bad_gateway', details: [] }));
        }
        return;
      }
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

/** Every conversion of the brand, through the API. */
async function allConversions(rl: ReturnType<typeof clientOf>): Promise<Conversion[]> {
  const all: Conversion[] = [];
  for await (const conversion of rl.conversions.iterate()) all.push(conversion);
  return all;
}

test('a conversion whose answer was lost after it committed (503) is retried under the same key: one conversion, answered as created', async (t) => {
  const { c, rl } = await collectorAndClient(t);
  const proxy = await startProxy(t, c.url, '503');
  const sleeps: number[] = [];
  const viaProxy = clientOf(proxy.url, c.brand, { sleep: async (ms) => { sleeps.push(ms); } });

  const result = await viaProxy.track.conversion({ ...SHOPIFY_CONVERSION, order_id: 'CLIENT-RETRY-1' });

  assert.deepEqual(proxy.conversions.map((x) => x.status), [201, 201], 'committed first, then the stored answer replayed');
  const [first, second] = proxy.conversions;
  assert.match(first!.key!, /^[0-9a-f-]{36}$/);
  assert.equal(second!.key, first!.key, 'the retry carries the first attempt\'s Idempotency-Key');
  assert.equal(sleeps.length, 1, 'one backoff before the retry');
  assert.equal(result.order_id, 'CLIENT-RETRY-1');
  assert.equal(result.attribution, 'coupon');
  assert.equal(result.duplicate, undefined, 'the replay of the 201, not the duplicate answer of a second request');
  const stored = (await allConversions(rl)).filter((x) => x.order_id === 'CLIENT-RETRY-1');
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.id, result.id);
});

test('a conversion without order_id whose connection was cut after it committed is still recorded once', async (t) => {
  const { c, rl } = await collectorAndClient(t);
  const proxy = await startProxy(t, c.url, 'reset');
  const viaProxy = clientOf(proxy.url, c.brand);

  // Without an order_id only the Idempotency-Key tells the retry from a second order of the same customer.
  const result = await viaProxy.track.conversion({ customer_email: 'once@example.com', order_value: 20, referral_code: 'JOHN123' });

  assert.equal(proxy.conversions.length, 2);
  assert.equal(proxy.conversions[1]!.key, proxy.conversions[0]!.key);
  const stored = (await allConversions(rl)).filter((x) => x.email === 'once@example.com');
  assert.deepEqual(stored.map((x) => x.id), [result.id]);
  assert.equal(result.reward?.status, 'pending', 'the first (eligible) conversion, not a repeat customer\'s');
});

test('a 429 is retried after its Retry-After (seconds), under the same key; one too long is thrown at once', async (t) => {
  const { c } = await collectorAndClient(t);
  const keys: Array<string | null> = [];
  const sleeps: number[] = [];
  let limited = 1;
  const rl = clientOf(c.url, c.brand, {
    sleep: async (ms) => { sleeps.push(ms); },
    fetch: async (input, init) => {
      keys.push(new Headers(init?.headers).get('Idempotency-Key'));
      if (limited-- > 0) {
        return new Response(JSON.stringify({ success: false, error: 'Too many requests', code: 'rate_limited', details: [] }),
          { status: 429, headers: { 'Retry-After': '3', 'Content-Type': 'application/json' } });
      }
      return fetch(input, init);
    },
  });
  const result = await rl.track.conversion({ ...SHOPIFY_CONVERSION, order_id: 'CLIENT-429' });
  assert.equal(result.order_id, 'CLIENT-429');
  assert.deepEqual(sleeps, [3000], 'waited exactly the Retry-After');
  assert.equal(keys.length, 2);
  assert.equal(keys[1], keys[0]);

  limited = 1;
  sleeps.length = 0;
  const tooLong = clientOf(c.url, c.brand, {
    sleep: async (ms) => { sleeps.push(ms); },
    fetch: async () => new Response('{"success":false,"error":"Too many requests","code":"rate_limited","details":[]}',
      { status: 429, headers: { 'Retry-After': String(MAX_RETRY_AFTER_MS / 1000 + 1) } }),
  });
  await assert.rejects(tooLong.advocates.list(), (e: unknown) =>
    e instanceof ReferloopError && e.status === 429 && e.code === 'rate_limited' && e.retryAfterMs === MAX_RETRY_AFTER_MS + 1000);
  assert.deepEqual(sleeps, []);

  assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:00 GMT', Date.parse('2026-10-21T07:27:58Z')), 2000, 'an HTTP date');
  assert.equal(parseRetryAfter('soon'), null);
});

test('5xx and network failures back off exponentially and give up after maxRetries with the last error', async (t) => {
  const { c } = await collectorAndClient(t);
  const sleeps: number[] = [];
  let attempts = 0;
  const failing = clientOf(c.url, c.brand, {
    maxRetries: 3,
    sleep: async (ms) => { sleeps.push(ms); },
    fetch: async () => {
      attempts++;
      return new Response('<html>Bad gateway</html>', { status: 502 });
    },
  });
  await assert.rejects(failing.commissions.list(), (e: unknown) => e instanceof ReferloopError && e.status === 502 && e.code === 'http_error');
  assert.equal(attempts, 4);
  assert.equal(sleeps.length, 3);
  // 500 ms, 1 s, 2 s, each with up to half taken off at random
  for (const [i, ms] of sleeps.entries()) assert.ok(ms >= 250 * 2 ** i && ms <= 500 * 2 ** i, `retry ${i} waited ${ms} ms`);

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const unreachable = clientOf(`http://127.0.0.1:${port}`, c.brand, { maxRetries: 1 });
  await assert.rejects(unreachable.track.conversion({ ...SHOPIFY_CONVERSION }), (e: unknown) =>
    e instanceof ReferloopError && e.status === 0 && e.code === 'network_error' && /ECONNREFUSED/.test(e.message));
});

test('a 400 is not retried: ReferloopError with status, code and the details naming the field', async (t) => {
  const { c } = await collectorAndClient(t);
  let attempts = 0;
  const rl = clientOf(c.url, c.brand, { fetch: (input, init) => { attempts++; return fetch(input, init); } });
  const error = await rl.track.conversion({ customer_email: 'no-amount@example.com', order_id: 'CLIENT-400' }).then(
    () => assert.fail('a conversion without an amount was accepted'), (e: unknown) => e);
  assert.ok(error instanceof ReferloopError);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'invalid_request');
  assert.deepEqual(error.details.map((d) => d.field), ['order_value']);
  assert.match(error.message, /^order_value: is required/);
  assert.equal(attempts, 1);

  // An error's own fields stay readable: the conversion an order_conflict names.
  const { id } = await rl.track.conversion({ ...SHOPIFY_CONVERSION, order_id: 'CLIENT-409' });
  await assert.rejects(rl.track.conversion({ ...SHOPIFY_CONVERSION, order_id: 'CLIENT-409', order_value: 1 }), (e: unknown) =>
    e instanceof ReferloopError && e.status === 409 && e.code === 'order_conflict' && e.body?.conversion_id === id);
});

test('every write carries an Idempotency-Key but a visit and an eligibility check, which carry one only when given', async (t) => {
  const { c } = await collectorAndClient(t);
  const keys: Array<[string, string | null]> = [];
  const rl = clientOf(c.url, c.brand, {
    fetch: (input, init) => {
      keys.push([`${init?.method} ${new URL(String(input)).pathname}`, new Headers(init?.headers).get('Idempotency-Key')]);
      return fetch(input, init);
    },
  });
  await rl.track.visit({ referral_code: 'V2AVMRDJ' });
  await rl.track.checkEligibility({ referral_code: 'V2AVMRDJ', email: 'keys@example.com' });
  await rl.track.checkEligibility({ referral_code: 'V2AVMRDJ', email: 'keys@example.com' }, { idempotencyKey: 'mine-1' });
  await rl.track.conversion({ ...SHOPIFY_CONVERSION, order_id: 'CLIENT-KEYS' });
  await rl.advocates.list();
  assert.deepEqual(keys.map(([call, key]) => [call, key === null ? null : key === 'mine-1' ? 'mine-1' : 'generated']), [
    ['POST /api/v1/track/visit', null],
    ['POST /api/v1/track/check-eligibility', null],
    ['POST /api/v1/track/check-eligibility', 'mine-1'],
    ['POST /api/v1/track/conversion', 'generated'],
    ['GET /api/v1/advocates', null],
  ]);
});

test('Retry-After in seconds with a fraction is read as seconds, not as a date', () => {
  assert.equal(parseRetryAfter('1.5'), 1500);
  assert.equal(parseRetryAfter('3'), 3000);
});
