// The referloop command with --json: exactly one JSON object with the keys of SPEC.md; keys never stored in the clear.
// On this run's engine (support/processes.ts cliDatabase): a SQLite file named with --db, or REFERLOOP_DATABASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { hashKey } from '../src/domain/keys.ts';
import { cliDatabase, type CliDatabase } from './support/processes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Runs the command and returns the one JSON object it printed, checking that nothing else was printed. */
function json(c: CliDatabase, args: string[]): Record<string, unknown> {
  const value: unknown = c.json(args);
  assert.ok(value && typeof value === 'object' && !Array.isArray(value), 'a JSON object');
  return value as Record<string, unknown>;
}

const keysOf = (o: object) => Object.keys(o).sort();

/** The brand's row as the database holds it, read through the engine's own store (another process, as the collector). */
async function brandRow(c: CliDatabase, id: string) {
  const store = await c.open();
  try {
    return (await store.db.prepare('SELECT plan, allowed_origins AS origins FROM brands WHERE id = ?').get(id)) as { plan: string; origins: string };
  } finally {
    await store.close();
  }
}

test('brand create --json: {brand_id, secret_key, publishable_key, plan}, premier by default, --plan, --origin repeatable', async (t) => {
  const c = await cliDatabase(t);
  const brand = json(c, ['brand', 'create', '--name', 'Acme']);
  assert.deepEqual(keysOf(brand), ['brand_id', 'plan', 'publishable_key', 'secret_key']);
  assert.match(String(brand.brand_id), UUID);
  assert.match(String(brand.secret_key), /^rl_sk_[A-Za-z0-9_-]{20,}$/);
  assert.match(String(brand.publishable_key), /^rl_pk_[A-Za-z0-9_-]{20,}$/);
  assert.equal(brand.plan, 'premier');
  assert.equal((await brandRow(c, String(brand.brand_id))).plan, 'premier');
  // Without REFERLOOP_MASTER_KEY the master key is a 0600 file in the data folder (SQLite: beside the database).
  assert.equal(statSync(join(c.dir, 'master.key')).mode & 0o777, 0o600);

  const starter = json(c, ['brand', 'create', '--name', 'Small', '--plan', 'starter']);
  assert.deepEqual(keysOf(starter), ['brand_id', 'plan', 'publishable_key', 'secret_key']);
  assert.equal(starter.plan, 'starter');
  assert.equal((await brandRow(c, String(starter.brand_id))).plan, 'starter');

  const withOrigins = json(c, ['brand', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--origin', 'https://www.shop.example/checkout']);
  assert.deepEqual(JSON.parse((await brandRow(c, String(withOrigins.brand_id))).origins), ['https://shop.example', 'https://www.shop.example']);

  const bad = c.run(['brand', 'create', '--name', 'X', '--plan', 'gold', '--json']);
  assert.notEqual(bad.status, 0);
  assert.equal(bad.stdout, '');
});

test('advocate create --json: {advocate_id, code}, the code normalised or generated', async (t) => {
  const c = await cliDatabase(t);
  const brand = json(c, ['brand', 'create', '--name', 'Acme']);
  const given = json(c, ['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'Sarah@Example.com', '--name', 'Sarah Jones', '--code', 'sarah10']);
  assert.deepEqual(keysOf(given), ['advocate_id', 'code']);
  assert.equal(typeof given.advocate_id, 'number');
  assert.equal(given.code, 'SARAH10');
  const generated = json(c, ['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'tom@example.com', '--name', 'Tom Tom']);
  assert.deepEqual(keysOf(generated), ['advocate_id', 'code']);
  assert.match(String(generated.code), /^[A-Z0-9_-]{1,64}$/);
  assert.notEqual(generated.advocate_id, given.advocate_id);

  const unknownBrand = c.run(['advocate', 'create', '--brand', '00000000-0000-4000-8000-000000000000', '--email', 'a@example.com', '--name', 'A', '--json']);
  assert.notEqual(unknownBrand.status, 0);
  assert.equal(unknownBrand.stdout, '');
  const taken = c.run(['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'other@example.com', '--name', 'O', '--code', 'SARAH10', '--json']);
  assert.notEqual(taken.status, 0, 'a code is unique within its brand');
  assert.equal(taken.stdout, '');
});

test('key rotate --json: {brand_id, secret_key}; the old key then answers 401, the new one works', async (t) => {
  const c = await cliDatabase(t);
  const brand = json(c, ['brand', 'create', '--name', 'Acme']);
  json(c, ['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'sarah@example.com', '--name', 'Sarah', '--code', 'SARAH10']);
  const rotated = json(c, ['key', 'rotate', '--brand', String(brand.brand_id)]);
  assert.deepEqual(keysOf(rotated), ['brand_id', 'secret_key']);
  assert.equal(rotated.brand_id, brand.brand_id);
  assert.match(String(rotated.secret_key), /^rl_sk_/);
  assert.notEqual(rotated.secret_key, brand.secret_key);

  const server = await c.serve({ REFERLOOP_LOG_LEVEL: 'warn', REFERLOOP_RATE_LIMITS: 'off' });
  t.after(() => server.kill());
  const post = async (key: unknown, body: unknown) => (await fetch(`${server.url}/api/v1/track/conversion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': String(key), 'X-Brand-ID': String(brand.brand_id) },
    body: JSON.stringify(body),
  })).status;
  const order = { customer_email: 'buyer@example.com', order_id: 'CLI-1', order_value: 10, referral_code: 'SARAH10' };
  assert.equal(await post(brand.secret_key, order), 401);
  assert.equal(await post(rotated.secret_key, order), 201);
  server.child.kill('SIGTERM');
  assert.equal((await server.exited).code, 0);
});

test('keys are not stored in the clear: the database holds their SHA-256 hashes only', async (t) => {
  const c = await cliDatabase(t);
  const brand = json(c, ['brand', 'create', '--name', 'Acme']);
  const rotated = json(c, ['key', 'rotate', '--brand', String(brand.brand_id)]);
  const keys = [String(brand.secret_key), String(brand.publishable_key), String(rotated.secret_key)];

  // SQLite: every file it may have written (the database, and a WAL or journal if one is left); PostgreSQL: every row.
  const bytes = await c.stored();
  assert.ok(bytes.length > 0);
  for (const key of keys) {
    assert.equal(bytes.includes(key), false, `${key.slice(0, 6)}… is stored in the clear`);
    assert.equal(bytes.includes(key.slice(6)), false, 'the random part of a key is stored in the clear');
    assert.equal(bytes.includes(hashKey(key)), true, 'the key hash is stored');
  }
});
