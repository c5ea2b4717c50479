// Two collector processes on one PostgreSQL database deliver one endpoint's outbox together: 1,000 events written
// through both, each delivered, and never two attempts of one delivery at once (the receiver watches the requests
// under way per webhook-id; webhook_attempts shows no two attempts of one delivery overlapping in time, and no attempt
// number twice). Every tenth event's first attempt is answered 500, so retries are claimed by either process too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgStore } from '../../src/db/pg/store.ts';
import { decodeMasterKey } from '../../src/masterKey.ts';
import { createTestDatabase, pgTestSkip } from '../support/postgres.ts';
import { parseBanner, spawnServe, type ServeProcess } from '../support/processes.ts';
import { socketOwners, startReceiver } from '../support/receiver.ts';
import { attemptRows, deliveryRows, insertEndpoint, until } from '../support/deliveries.ts';

const skip = pgTestSkip() ?? false;
const MASTER_KEY = 'ac'.repeat(32);
const CONVERSIONS = 500; // each makes conversion.created and commission.created: 1,000 events

test('two processes, one database: 1,000 events each delivered, no attempt made twice at once', { skip }, async (t) => {
  const database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'referloop-deliverers-'));
  const env = {
    REFERLOOP_DATABASE_URL: database.url, REFERLOOP_DATA_DIR: dir, REFERLOOP_MASTER_KEY: MASTER_KEY,
    REFERLOOP_LOG_LEVEL: 'warn', REFERLOOP_RATE_LIMITS: 'off', REFERLOOP_WEBHOOK_ALLOW_PRIVATE: '1', REFERLOOP_WEBHOOK_TIMEOUT_MS: '5000',
  };
  const store = await openPgStore(database.url, { poolSize: 2, listen: false });
  const servers: ServeProcess[] = [];
  const receiver = await startReceiver({
    answer: async (req) => {
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)));
      const firstOfItsId = receiver.requests.findIndex((x) => x.webhookId === req.webhookId) === req.seq;
      return firstOfItsId && req.seq % 10 === 0 ? { status: 500, body: 'try again' } : { status: 200 };
    },
  });
  t.after(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await receiver.close();
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The demo brand from a first start; the endpoint written before the two collectors start.
  const first = await spawnServe(env);
  const keys = parseBanner(first.stdout());
  assert.ok(keys, first.stdout());
  await first.kill();
  const endpoint = await insertEndpoint(store, decodeMasterKey(MASTER_KEY), keys.brandId, receiver.url, ['conversion.created', 'commission.created']);
  receiver.secrets = [endpoint.secret];
  servers.push(...await Promise.all([spawnServe(env), spawnServe(env)]));

  // The conversions spread over both processes, 8 at a time.
  let next = 0;
  const worker = async () => {
    while (next < CONVERSIONS) {
      const i = next++;
      const server = servers[i % 2]!;
      const res: Response = await fetch(`${server.url}/api/v1/track/conversion`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.secretKey, 'X-Brand-ID': keys.brandId },
        body: JSON.stringify({ customer_email: `two${i}@buyer.example`, order_id: `TWO-${i}`, order_value: 20, referral_code: 'DEMO10' }),
      });
      assert.equal(res.status, 201, await res.text());
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  await until('every delivery is delivered', async () =>
    (await deliveryRows(store, keys.brandId, endpoint.id)).every((d) => d.status === 'delivered'), 90_000);
  const owners = socketOwners(receiver.port, servers.map((s) => s.child.pid!));
  t.diagnostic(`1,000 events delivered in ${Date.now() - started} ms, ${receiver.requests.length} requests`);

  const deliveries = await deliveryRows(store, keys.brandId, endpoint.id);
  assert.equal(deliveries.length, 2 * CONVERSIONS);
  assert.deepEqual(new Set(deliveries.map((d) => d.type)), new Set(['conversion.created', 'commission.created']));
  assert.deepEqual([...receiver.delivered()].sort(), deliveries.map((d) => d.eventId).sort(), 'each event delivered');
  assert.deepEqual(receiver.overlaps, [], 'never two requests of one webhook-id under way at once');
  const failedFirst = receiver.requests.filter((r) => r.status === 500).length;
  assert.ok(failedFirst > 0);
  assert.equal(receiver.requests.length, deliveries.length + failedFirst, 'one request per event, and one more per 500');
  for (const r of receiver.requests) assert.deepEqual(r.verifiedBy, [endpoint.secret]);

  // The attempts as recorded: per delivery, numbered 1, 2... once each, each ended before the next started.
  const attempts = await attemptRows(store, keys.brandId, endpoint.id);
  assert.equal(attempts.length, receiver.requests.length);
  const byDelivery = new Map<number, typeof attempts>();
  for (const a of attempts) byDelivery.set(a.deliveryId, [...byDelivery.get(a.deliveryId) ?? [], a]);
  for (const [id, list] of byDelivery) {
    const sorted = [...list].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    assert.deepEqual(sorted.map((a) => a.attempt), sorted.map((_, i) => i + 1), `delivery ${id}: each attempt number once, in time order`);
    for (let i = 1; i < sorted.length; i++) {
      const end = Date.parse(sorted[i - 1]!.startedAt) + sorted[i - 1]!.durationMs;
      assert.ok(end <= Date.parse(sorted[i]!.startedAt) + 1, `delivery ${id}: attempt ${i + 1} started after attempt ${i} ended`);
    }
  }
  // Both processes delivered (the requests' connections belong to one or the other).
  const senders = new Set(receiver.requests.map((r) => owners.get(r.remotePort)).filter((p) => p !== undefined));
  t.diagnostic(`requests by process: ${[...senders].map((p) => `${p}: ${receiver.requests.filter((r) => owners.get(r.remotePort) === p).length}`).join(', ')}`);
  assert.equal(senders.size, 2, 'both processes sent attempts');
});
