// Three collector processes on one PostgreSQL database: every exactly-once rule holds across them (order_id,
// Idempotency-Key, refund_id, one claim per 24 h, payouts, points never below zero), a key rotated elsewhere is refused
// by all of them within a second, and a process killed mid-stream loses no answered conversion.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, pgTestSkip } from './support/postgres.ts';
import { parseBanner, runCli, spawnServe, type ServeProcess } from './support/processes.ts';

const skip = pgTestSkip() ?? false;
const MASTER_KEY = 'cd'.repeat(32);

interface Cluster {
  servers: ServeProcess[];
  env: Record<string, string>;
  brandId: string;
  secretKey: string;
  drop(): Promise<void>;
}
let cluster: Cluster | undefined;

before(async () => {
  if (skip) return;
  const database = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'referloop-processes-'));
  const env = {
    REFERLOOP_DATABASE_URL: database.url,
    REFERLOOP_DATA_DIR: dir,
    REFERLOOP_MASTER_KEY: MASTER_KEY,
    REFERLOOP_LOG_LEVEL: 'warn',
    // Every request below comes from one IP: the per-IP budgets of the browser endpoints would cut the bursts short.
    REFERLOOP_RATE_LIMITS: 'off',
  };
  // Started together, as behind a load balancer: exactly one of them makes (and prints) the demo brand.
  const servers = await Promise.all([0, 1, 2].map(() => spawnServe(env)));
  const banners = servers.map((s) => parseBanner(s.stdout())).filter((b) => b !== null);
  assert.equal(banners.length, 1, 'one first start among the three');
  cluster = {
    servers, env, brandId: banners[0]!.brandId, secretKey: banners[0]!.secretKey,
    async drop() {
      await Promise.all(servers.map((s) => s.kill()));
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
after(async () => { await cluster?.drop(); });

/** A call to the i-th process (round robin over the three), with the brand's secret key unless `key` says otherwise. */
async function call(i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const c = cluster!;
  const server = c.servers[i % c.servers.length]!;
  const res = await fetch(server.url + path, {
    method,
    headers: { 'X-API-Key': c.secretKey, 'X-Brand-ID': c.brandId, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
const statuses = (rs: Array<{ status: number }>) => rs.map((r) => r.status).sort((a, b) => a - b);

test('50 identical conversions over the three processes: one conversion, one reward, every answer names it', { skip }, async () => {
  const order = { customer_email: 'same@buyer.example', order_id: 'SAME-1', order_value: 80, referral_code: 'DEMO10' };
  const answers = await times(50, (i) => call(i, 'POST', '/api/v1/track/conversion', order));
  assert.deepEqual(statuses(answers), [...Array(49).fill(200), 201].sort((a, b) => a - b), JSON.stringify(answers.find((a) => a.status >= 300)));
  const ids = new Set(answers.map((a) => a.body.data.id));
  assert.equal(ids.size, 1, 'every answer names the one conversion');
  const listed = await call(0, 'GET', '/api/v1/conversions?limit=100');
  assert.deepEqual(listed.body.data.conversions.filter((c: any) => c.order_id === 'SAME-1').map((c: any) => c.id), [...ids]);
  const commissions = await call(1, 'GET', `/api/v1/commissions?limit=100`);
  assert.equal(commissions.body.data.commissions.filter((c: any) => c.conversion_id === [...ids][0]).length, 1, 'one reward');
});

test('20 identical requests under one Idempotency-Key over the three processes: one claim, every answer the same', { skip }, async () => {
  const claim = { referral_code: 'DEMO10', email: 'idem@buyer.example' };
  const answers = await times(20, (i) => call(i, 'POST', '/api/v1/track/claim', claim, { 'Idempotency-Key': 'idem-claim-1' }));
  assert.deepEqual(statuses(answers), Array(20).fill(201), JSON.stringify(answers.find((a) => a.status !== 201)));
  assert.equal(new Set(answers.map((a) => a.body.data.claim_id)).size, 1);
  const claims = await call(2, 'GET', '/api/v1/claims?limit=100');
  assert.equal(claims.body.data.claims.filter((c: any) => c.email === 'idem@buyer.example').length, 1);
});

test('20 identical claims over the three processes: one 201, the rest 409 duplicate_claim', { skip }, async () => {
  const claim = { referral_code: 'DEMO10', email: 'twenty@buyer.example' };
  const answers = await times(20, (i) => call(i, 'POST', '/api/v1/track/claim', claim));
  assert.deepEqual(statuses(answers), [201, ...Array(19).fill(409)], JSON.stringify(answers.filter((a) => a.status !== 409 && a.status !== 201)));
  for (const a of answers.filter((x) => x.status === 409)) assert.equal(a.body.code, 'duplicate_claim');
  const claims = await call(0, 'GET', '/api/v1/claims?limit=100');
  assert.equal(claims.body.data.claims.filter((c: any) => c.email === 'twenty@buyer.example').length, 1);
});

test('20 identical signed /convert webhooks over the three processes: one claim (201), the rest 409 duplicate_claim', { skip }, async () => {
  const c = cluster!;
  const raw = JSON.stringify({ referral_code: 'DEMO10', email: 'signed@buyer.example', value: 40 });
  const signature = createHmac('sha256', c.secretKey).update(raw).digest('hex');
  const answers = await times(20, async (i) => {
    const res = await fetch(`${c.servers[i % c.servers.length]!.url}/api/v1/convert`, {
      method: 'POST', body: raw, headers: { 'Content-Type': 'application/json', 'X-Brand-ID': c.brandId, 'X-AL-Signature': signature },
    });
    return { status: res.status, body: (await res.json()) as any };
  });
  assert.deepEqual(statuses(answers), [201, ...Array(19).fill(409)], JSON.stringify(answers.filter((a) => a.status !== 409 && a.status !== 201)));
  const claims = await call(0, 'GET', '/api/v1/claims?limit=100');
  assert.equal(claims.body.data.claims.filter((x: any) => x.email === 'signed@buyer.example').length, 1);
});

test('20 status moves of one commission at once over the three processes, half approve and half reject: each move happens once', { skip }, async () => {
  const r = await call(0, 'POST', '/api/v1/track/conversion', { customer_email: 'moves@buyer.example', order_id: 'MOVE-1', order_value: 30, referral_code: 'DEMO10' });
  assert.equal(r.status, 201);
  const id = r.body.data.reward.id as number;
  const answers = await times(20, (i) => call(i, 'PATCH', `/api/v1/commissions/${id}/status`, { status: i % 2 ? 'rejected' : 'approved' }));
  const commission = (await call(1, 'GET', `/api/v1/commissions/${id}`)).body.data.commission;
  // The first move wins; the same status again is an unchanged 200, the other one a 409 (approved -> rejected is allowed,
  // so a reject after an approval moves it once more: then exactly one of each is in the history, never two of one).
  const moves = commission.history.filter((e: any) => e.event === 'approved' || e.event === 'rejected').map((e: any) => e.event);
  assert.ok(moves.length >= 1 && moves.length <= 2 && new Set(moves).size === moves.length, JSON.stringify(moves));
  assert.ok(answers.every((a) => a.status === 200 || a.status === 409), JSON.stringify(answers.find((a) => a.status !== 200 && a.status !== 409)));
  assert.equal(commission.status, moves.at(-1));
});

test('30 refunds with one refund_id over the three processes: applied once', { skip }, async () => {
  const order = { customer_email: 'refund@buyer.example', order_id: 'REF-1', order_value: 100, referral_code: 'DEMO10' };
  assert.equal((await call(0, 'POST', '/api/v1/track/conversion', order)).status, 201);
  const refund = { order_id: 'REF-1', refund_id: 're_1', refund_amount: 10, is_full_refund: false };
  const answers = await times(30, (i) => call(i, 'POST', '/api/v1/track/refund', refund));
  assert.ok(answers.every((a) => a.status === 200), JSON.stringify(answers.find((a) => a.status !== 200)));
  assert.deepEqual([...new Set(answers.map((a) => a.body.data.total_refunded))], [10], 'every answer: 10 refunded in all');
  assert.equal(answers.filter((a) => a.body.data.duplicate !== true).length, 1, 'one applied, the rest answered as its repeats');
  const conversion = (await call(1, 'GET', '/api/v1/conversions?limit=100')).body.data.conversions.find((c: any) => c.order_id === 'REF-1');
  assert.equal(conversion.refunded, 10);
});

test('20 payouts of the same commissions at once over the three processes: one succeeds, each commission paid once', { skip }, async () => {
  // Commissions due: recorded, then approved by the operator (no waiting for the cooling period).
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await call(i, 'POST', '/api/v1/track/conversion', { customer_email: `pay${i}@buyer.example`, order_id: `PAY-${i}`, order_value: 50, referral_code: 'DEMO10' });
    assert.equal(r.status, 201);
    const approved = await call(i, 'PATCH', `/api/v1/commissions/${r.body.data.reward.id}/status`, { status: 'approved' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    ids.push(r.body.data.reward.id);
  }
  const answers = await times(20, (i) => call(i, 'POST', '/api/v1/payouts', { commission_ids: ids }));
  assert.deepEqual(statuses(answers), [200, ...Array(19).fill(409)], JSON.stringify(answers.filter((a) => a.status !== 409 && a.status !== 200)));
  for (const id of ids) {
    const c = (await call(id, 'GET', `/api/v1/commissions/${id}`)).body.data.commission;
    assert.equal(c.status, 'paid');
    assert.equal(c.history.filter((e: any) => e.event === 'paid').length, 1, `commission ${id} paid once`);
  }
});

test('points never below zero: 20 deductions of a balance of 50 by 10, over the three processes, 5 succeed, 15 are insufficient_points', { skip }, async () => {
  const advocate = (await call(0, 'GET', '/api/v1/advocates?limit=100')).body.data.advocates[0];
  assert.equal((await call(0, 'POST', `/api/v1/advocates/${advocate.id}/points`, { amount: 50 - advocate.points_balance, type: 'adjust' })).status, 200);
  const answers = await times(20, (i) => call(i, 'POST', `/api/v1/advocates/${advocate.id}/points`, { amount: 10, type: 'deduct' }));
  assert.deepEqual(statuses(answers), [...Array(5).fill(200), ...Array(15).fill(400)], JSON.stringify(answers.filter((a) => a.status !== 400 && a.status !== 200)));
  for (const a of answers.filter((x) => x.status === 400)) assert.equal(a.body.code, 'insufficient_points');
  const after = (await call(1, 'GET', `/api/v1/advocates/${advocate.id}`)).body.data.advocate;
  assert.equal(after.points_balance, 0);
});

test('a key rotated through another process (the CLI) is refused by every collector within a second; the new one works', { skip }, async () => {
  const c = cluster!;
  // Each collector has the key cached.
  for (let i = 0; i < 3; i++) assert.equal((await call(i, 'GET', '/api/v1/settings')).status, 200);
  const rotated = runCli(['key', 'rotate', '--brand', c.brandId, '--json'], c.env);
  assert.equal(rotated.status, 0, rotated.stderr);
  const fresh = JSON.parse(rotated.stdout.trim()).secret_key as string;
  const started = Date.now();
  for (let i = 0; i < 3; i++) {
    let status = 200;
    while (status === 200 && Date.now() - started < 1000) {
      status = (await call(i, 'GET', '/api/v1/settings')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 401, `process ${i} refuses the old key within a second`);
  }
  const old = c.secretKey;
  c.secretKey = fresh;
  for (let i = 0; i < 3; i++) assert.equal((await call(i, 'GET', '/api/v1/settings')).status, 200, `process ${i} takes the new key`);
  assert.notEqual(old, fresh);
});

test('kill -9 one process during a stream of unique conversions: every 2xx is there once, the others keep answering', { skip }, async () => {
  const c = cluster!;
  const answered: string[] = [];
  let sent = 0;
  let streaming = true;
  const stream = async (worker: number) => {
    while (streaming) {
      const n = sent++;
      const orderId = `KILL-${n}`;
      try {
        const r = await call(worker + n, 'POST', '/api/v1/track/conversion', { customer_email: `kill${n}@buyer.example`, order_id: orderId, order_value: 12.34, referral_code: 'DEMO10' });
        if (r.status === 201) answered.push(orderId);
      } catch { /* the killed process's connections */ }
    }
  };
  const workers = [0, 1, 2, 3, 4, 5].map(stream);
  await new Promise((r) => setTimeout(r, 1500));
  const victim = c.servers[0]!;
  await victim.kill();
  const afterKill = answered.length;
  await new Promise((r) => setTimeout(r, 1500));
  streaming = false;
  await Promise.all(workers);
  assert.ok(answered.length > afterKill, 'the other processes kept answering');
  // Every order answered 201 is stored once (read through a survivor).
  const stored = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await call(1, 'GET', `/api/v1/conversions?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const conv of page.body.data.conversions) stored.set(conv.order_id, (stored.get(conv.order_id) ?? 0) + 1);
    cursor = page.body.data.next_cursor;
  } while (cursor);
  for (const id of answered) assert.equal(stored.get(id), 1, `${id} stored once`);
  c.servers.shift();
});
