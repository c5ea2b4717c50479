// kill -9 of a real `referloop serve` with webhook deliveries pending and one attempt under way (the receiver holds it
// open): after a restart every committed event is delivered at least once (by webhook-id), none is invented, and the
// requests that ended in a 4xx sent nothing. On this run's engine (SQLite: the restart gives the dead process's claims
// back; PostgreSQL: they lapse after 2 × REFERLOOP_WEBHOOK_TIMEOUT_MS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMasterKey } from '../../src/masterKey.ts';
import { cliDatabase, parseBanner, type ServeProcess } from '../support/processes.ts';
import { startReceiver } from '../support/receiver.ts';
import { deliveryRows, insertEndpoint, until } from '../support/deliveries.ts';

const MASTER_KEY = 'ef'.repeat(32);
const TIMEOUT_MS = 1_000;

test('kill -9 with deliveries pending and an attempt under way: after a restart every committed event is delivered, none invented, a 4xx sent nothing', async (t) => {
  const db = await cliDatabase(t);
  const env = {
    REFERLOOP_MASTER_KEY: MASTER_KEY, REFERLOOP_LOG_LEVEL: 'warn', REFERLOOP_RATE_LIMITS: 'off',
    REFERLOOP_WEBHOOK_ALLOW_PRIVATE: '1', REFERLOOP_WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  };
  // The first start makes the demo brand; the endpoint is written while no collector runs (no cache to tell).
  const first = await db.serve(env);
  const keys = parseBanner(first.stdout());
  assert.ok(keys, first.stdout());
  await first.kill();

  let holding = true;
  let held: string | null = null;
  const receiver = await startReceiver({
    answer: async (req) => {
      if (holding && held === null && req.seq === 5) {
        held = req.webhookId;
        return 'hold';
      }
      // Slow enough that deliveries are still pending when the collector dies.
      if (holding) await new Promise((r) => setTimeout(r, 300));
      return { status: 200 };
    },
  });
  t.after(() => receiver.close());
  const store = await db.open();
  const endpoint = await insertEndpoint(store, decodeMasterKey(MASTER_KEY), keys.brandId, receiver.url, ['*']);
  receiver.secrets = [endpoint.secret];

  const serve = await db.serve(env);
  const call = (s: ServeProcess, path: string, body: unknown) => fetch(s.url + path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.secretKey, 'X-Brand-ID': keys.brandId },
  }).then(async (r) => ({ status: r.status, body: await r.json() as any }));

  // Committed changes: conversions (conversion.created, commission.created) and a claim; rolled back or refused ones:
  // a repeated claim (409), invalid conversions (400).
  const committed: string[] = [];
  const refused: string[] = [];
  const claim = await call(serve, '/api/v1/track/claim', { referral_code: 'DEMO10', email: 'claimer@crash.example' });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  for (let i = 0; i < 3; i++) {
    const again = await call(serve, '/api/v1/track/claim', { referral_code: 'DEMO10', email: 'claimer@crash.example', name: `REFUSED-CLAIM-${i}` });
    assert.equal(again.status, 409, JSON.stringify(again.body));
    refused.push(`REFUSED-CLAIM-${i}`);
  }
  for (let i = 0; i < 60; i++) {
    const orderId = `HOOK-${i}`;
    const r = await call(serve, '/api/v1/track/conversion', { customer_email: `b${i}@crash.example`, order_id: orderId, order_value: 25, referral_code: 'DEMO10' });
    assert.equal(r.status, 201, `${JSON.stringify(r.body)}\n${serve.stdout()}\n${serve.stderr()}`);
    committed.push(orderId);
    if (i % 10 === 0) {
      const bad = await call(serve, '/api/v1/track/conversion', { customer_email: `bad${i}@crash.example`, order_id: `REFUSED-${i}`, order_value: -5, referral_code: 'DEMO10' });
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      refused.push(`REFUSED-${i}`);
    }
  }
  // Killed while the held attempt is under way and deliveries are still pending.
  await until('the receiver holds an attempt', () => held !== null);
  const before = await deliveryRows(store, keys.brandId, endpoint.id);
  const pending = before.filter((d) => d.status === 'pending').length;
  assert.ok(pending > 0, 'deliveries are pending at the kill');
  await serve.kill();
  assert.equal((await serve.exited).signal, 'SIGKILL');
  const heldAttempt = before.find((d) => d.eventId === held)!;
  assert.ok(heldAttempt, 'the held request is a stored delivery');
  t.diagnostic(`${before.length} deliveries, ${pending} pending at the kill, ${receiver.requests.length} requests so far`);

  holding = false;
  const restarted = await db.serve(env);
  await until('every delivery is delivered after the restart', async () =>
    (await deliveryRows(store, keys.brandId, endpoint.id)).every((d) => d.status === 'delivered'), 60_000);
  const after = await deliveryRows(store, keys.brandId, endpoint.id);

  // Every committed event: a conversion.created per 201, each delivered at least once (its webhook-id answered 2xx).
  const delivered = receiver.delivered();
  const stored = new Map(after.map((d) => [d.eventId, d]));
  const conversionsSent = new Set<string>();
  for (const d of after) {
    assert.ok(delivered.has(d.eventId), `${d.type} ${d.eventId} was delivered`);
    const body = JSON.parse(d.payload);
    if (d.type === 'conversion.created') conversionsSent.add(body.data.order_id);
  }
  assert.deepEqual([...conversionsSent].sort(), [...committed].sort(), 'a conversion.created for each 201, and only those');
  assert.equal(after.filter((d) => d.type === 'commission.created').length, committed.length);
  assert.equal(after.filter((d) => d.type === 'claim.created').length, 1);
  assert.ok(delivered.has(held!), 'the attempt cut by the kill was made again and delivered');
  // None invented: every request the receiver got is a stored delivery, with its body byte for byte, and verifies.
  for (const req of receiver.requests) {
    const d = stored.get(req.webhookId);
    assert.ok(d, `received ${req.webhookId} is a stored delivery`);
    assert.equal(req.body, d.payload);
    assert.deepEqual(req.verifiedBy, [endpoint.secret]);
  }
  // A 4xx sent nothing: none of what the refused requests carried is in any delivery or request.
  const everything = after.map((d) => d.payload).join('\n') + receiver.requests.map((r) => r.body).join('\n');
  for (const mark of refused) assert.ok(!everything.includes(mark), `${mark} sent nothing`);
  // Each delivery at least once; a repeat only for what was under way or unanswered at the kill.
  const repeats = receiver.requests.length - after.length;
  t.diagnostic(`${receiver.requests.length} requests for ${after.length} events after the restart (${repeats} repeats)`);
  assert.ok(repeats >= 1 && repeats <= pending + 10, `repeats (${repeats}) only for what was under way at the kill`);
  restarted.child.kill('SIGTERM');
  assert.deepEqual(await restarted.exited, { code: 0, signal: null });
});
