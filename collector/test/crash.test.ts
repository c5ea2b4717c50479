// A collector killed mid-stream keeps every conversion it answered 201, once; SIGTERM drains and exits 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseBanner, spawnServe, type ServeProcess } from './support/processes.ts';

const MASTER_KEY = 'ab'.repeat(32);

function tempDataDir(t: { after(fn: () => unknown): void }): { dir: string; env: Record<string, string>; dbPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-crash-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'referloop.db');
  return {
    dir,
    dbPath,
    env: {
      REFERLOOP_DATA_DIR: dir,
      REFERLOOP_DB: dbPath,
      REFERLOOP_RATE_LIMITS: 'off',
      REFERLOOP_MASTER_KEY: MASTER_KEY,
      REFERLOOP_LOG_LEVEL: 'warn',
    },
  };
}

async function firstStart(env: Record<string, string>, t: { after(fn: () => unknown): void }) {
  const server = await spawnServe(env);
  t.after(() => server.kill());
  const keys = parseBanner(server.stdout());
  assert.ok(keys, `the first start prints the demo brand's keys:\n${server.stdout()}`);
  return { server, keys };
}

const conversion = (i: number) => ({
  customer_email: `buyer-${i}@crash.example`,
  order_id: `CRASH-${i}`,
  order_value: 12.34,
  referral_code: 'DEMO10',
});

function poster(server: ServeProcess, keys: { brandId: string; secretKey: string }) {
  return async (body: unknown) => {
    const res = await fetch(`${server.url}/api/v1/track/conversion`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': keys.secretKey, 'X-Brand-ID': keys.brandId },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

/** Resolves once nothing accepts connections on `port` any more (a bounded number of tries). */
async function untilRefused(port: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(false); });
      s.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`port ${port} still accepts connections`);
}

test('SIGKILL mid-stream: every conversion answered 201 survives the restart, none twice, integrity ok', async (t) => {
  const { env, dbPath } = tempDataDir(t);
  const { server, keys } = await firstStart(env, t);
  const post = poster(server, keys);

  const MAX = 2_000;
  const KILL_AFTER = 150;
  const IN_FLIGHT = 8;
  const deadline = Date.now() + 5_000;
  const created = new Map<string, number>(); // order_id -> conversion id, for every 201
  let next = 0;
  let cut = 0;
  let killed = false;
  const worker = async () => {
    while (!killed && next < MAX) {
      const i = next++;
      try {
        const r = await post(conversion(i));
        if (r.status === 201) created.set(r.body.data.order_id, r.body.data.id);
        else assert.fail(`unexpected answer ${r.status}: ${JSON.stringify(r.body)}`);
      } catch (err) {
        if (!killed) throw err;
        cut++;
        return;
      }
      if (!killed && (created.size >= KILL_AFTER || Date.now() > deadline)) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  assert.ok(killed, 'the child was killed while the stream was running');
  assert.equal((await server.exited).signal, 'SIGKILL');
  t.diagnostic(`${created.size} answered 201 before the kill, ${cut} requests cut off, ${next} sent`);
  assert.ok(created.size > 0);

  // Restart on the same database: no new demo brand, and every 201 is there (a retry answers the same id).
  const again = await spawnServe(env);
  t.after(() => again.kill());
  assert.equal(parseBanner(again.stdout()), null, 'a restart does not seed a second demo brand');
  const postAgain = poster(again, keys);
  for (const [orderId, id] of created) {
    const i = Number(orderId.slice('CRASH-'.length));
    const r = await postAgain(conversion(i));
    assert.equal(r.status, 200, `${orderId} answered 201 before the crash but is not stored`);
    assert.equal(r.body.data.duplicate, true);
    assert.equal(r.body.data.id, id);
  }
  again.child.kill('SIGTERM');
  assert.deepEqual(await again.exited, { code: 0, signal: null });

  const db = new Database(dbPath, { readonly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT order_id AS orderId, count(*) AS n FROM conversions GROUP BY order_id').all() as Array<{ orderId: string; n: number }>;
  for (const row of rows) assert.equal(row.n, 1, `${row.orderId} is stored ${row.n} times`);
  const stored = new Set(rows.map((r) => r.orderId));
  for (const orderId of created.keys()) assert.ok(stored.has(orderId), `${orderId} is missing`);
  // A conversion and its reward are written in one transaction: never one without the other.
  const orphans = db.prepare(
    'SELECT count(*) FROM conversions c LEFT JOIN rewards r ON r.conversion_id = c.id WHERE r.id IS NULL',
  ).pluck().get();
  assert.equal(orphans, 0);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('SIGTERM: the request in flight is answered and committed, then the process exits 0', async (t) => {
  const { env, dbPath } = tempDataDir(t);
  const { server, keys } = await firstStart(env, t);

  // Expect: 100-continue makes the server say when it has the request (headers parsed, handler running)
  // while the body is still ours to send: the request is provably in flight when SIGTERM arrives.
  const body = JSON.stringify(conversion(1));
  const req = request(`${server.url}/api/v1/track/conversion`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'X-API-Key': keys.secretKey,
      'X-Brand-ID': keys.brandId,
      Expect: '100-continue',
    },
  });
  const answer = new Promise<{ status: number; connection: string | undefined; body: any }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.once('error', reject);
  });
  await new Promise<void>((resolve) => req.once('continue', () => resolve()));

  server.child.kill('SIGTERM');
  await untilRefused(server.port);
  req.end(body);

  const r = await answer;
  assert.equal(r.status, 201);
  assert.equal(r.body.data.order_id, 'CRASH-1');
  // A keep-alive connection is not left open to hold the stopping process.
  assert.equal(r.connection, 'close');
  assert.deepEqual(await server.exited, { code: 0, signal: null });

  // The file was closed properly (the WAL checkpointed and removed) and holds the answered conversion.
  assert.equal(existsSync(`${dbPath}-wal`), false);
  const db = new Database(dbPath, { readonly: true });
  t.after(() => db.close());
  assert.equal(db.prepare("SELECT count(*) FROM conversions WHERE order_id = 'CRASH-1'").pluck().get(), 1);
});
