// The referloop command with --json: exactly one JSON object with the keys of SPEC.md; keys never stored in the clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashKey } from '../src/domain/keys.ts';
import { runCli, spawnServe } from './support/processes.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function tempDb(t: { after(fn: () => unknown): void }): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, db: join(dir, 'referloop.db') };
}

/** Runs the command and returns the one JSON object it printed, checking that nothing else was printed. */
function json(args: string[]): Record<string, unknown> {
  const r = runCli([...args, '--json']);
  assert.equal(r.status, 0, `referloop ${args.join(' ')} failed:\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `exactly one line on stdout, got:\n${r.stdout}`);
  const value: unknown = JSON.parse(lines[0]!);
  assert.ok(value && typeof value === 'object' && !Array.isArray(value), 'a JSON object');
  return value as Record<string, unknown>;
}

const keysOf = (o: object) => Object.keys(o).sort();

function brandRow(dbPath: string, id: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT plan, allowed_origins AS origins FROM brands WHERE id = ?').get(id) as { plan: string; origins: string };
  } finally {
    db.close();
  }
}

test('brand create --json: {brand_id, secret_key, publishable_key, plan}, premier by default, --plan, --origin repeatable', (t) => {
  const { dir, db } = tempDb(t);
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  assert.deepEqual(keysOf(brand), ['brand_id', 'plan', 'publishable_key', 'secret_key']);
  assert.match(String(brand.brand_id), UUID);
  assert.match(String(brand.secret_key), /^rl_sk_[A-Za-z0-9_-]{20,}$/);
  assert.match(String(brand.publishable_key), /^rl_pk_[A-Za-z0-9_-]{20,}$/);
  assert.equal(brand.plan, 'premier');
  assert.equal(brandRow(db, String(brand.brand_id)).plan, 'premier');
  // Without REFERLOOP_MASTER_KEY the master key is a 0600 file beside the database.
  assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);

  const starter = json(['brand', 'create', '--name', 'Small', '--plan', 'starter', '--db', db]);
  assert.deepEqual(keysOf(starter), ['brand_id', 'plan', 'publishable_key', 'secret_key']);
  assert.equal(starter.plan, 'starter');
  assert.equal(brandRow(db, String(starter.brand_id)).plan, 'starter');

  const withOrigins = json(['brand', 'create', '--name', 'Shop', '--origin', 'https://shop.example', '--origin', 'https://www.shop.example/checkout', '--db', db]);
  assert.deepEqual(JSON.parse(brandRow(db, String(withOrigins.brand_id)).origins), ['https://shop.example', 'https://www.shop.example']);

  const bad = runCli(['brand', 'create', '--name', 'X', '--plan', 'gold', '--db', db, '--json']);
  assert.notEqual(bad.status, 0);
  assert.equal(bad.stdout, '');
});

test('advocate create --json: {advocate_id, code}, the code normalised or generated', (t) => {
  const { db } = tempDb(t);
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  const given = json(['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'Sarah@Example.com', '--name', 'Sarah Jones', '--code', 'sarah10', '--db', db]);
  assert.deepEqual(keysOf(given), ['advocate_id', 'code']);
  assert.equal(typeof given.advocate_id, 'number');
  assert.equal(given.code, 'SARAH10');
  const generated = json(['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'tom@example.com', '--name', 'Tom Tom', '--db', db]);
  assert.deepEqual(keysOf(generated), ['advocate_id', 'code']);
  assert.match(String(generated.code), /^[A-Z0-9_-]{1,64}$/);
  assert.notEqual(generated.advocate_id, given.advocate_id);

  const unknownBrand = runCli(['advocate', 'create', '--brand', '00000000-0000-4000-8000-000000000000', '--email', 'a@example.com', '--name', 'A', '--db', db, '--json']);
  assert.notEqual(unknownBrand.status, 0);
  assert.equal(unknownBrand.stdout, '');
  const taken = runCli(['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'other@example.com', '--name', 'O', '--code', 'SARAH10', '--db', db, '--json']);
  assert.notEqual(taken.status, 0, 'a code is unique within its brand');
  assert.equal(taken.stdout, '');
});

test('key rotate --json: {brand_id, secret_key}; the old key then answers 401, the new one works', async (t) => {
  const { db } = tempDb(t);
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  json(['advocate', 'create', '--brand', String(brand.brand_id), '--email', 'sarah@example.com', '--name', 'Sarah', '--code', 'SARAH10', '--db', db]);
  const rotated = json(['key', 'rotate', '--brand', String(brand.brand_id), '--db', db]);
  assert.deepEqual(keysOf(rotated), ['brand_id', 'secret_key']);
  assert.equal(rotated.brand_id, brand.brand_id);
  assert.match(String(rotated.secret_key), /^rl_sk_/);
  assert.notEqual(rotated.secret_key, brand.secret_key);

  const server = await spawnServe({ REFERLOOP_LOG_LEVEL: 'warn', REFERLOOP_RATE_LIMITS: 'off' }, { args: ['--db', db] });
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

test('keys are not stored in the clear: the database holds their SHA-256 hashes only', (t) => {
  const { dir, db } = tempDb(t);
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  const rotated = json(['key', 'rotate', '--brand', String(brand.brand_id), '--db', db]);
  const keys = [String(brand.secret_key), String(brand.publishable_key), String(rotated.secret_key)];

  // Every file SQLite may have written (the database, and a WAL or journal if one is left).
  const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('referloop.db')).map((f) => readFileSync(join(dir, f))));
  assert.ok(bytes.length > 0);
  for (const key of keys) {
    assert.equal(bytes.includes(key), false, `${key.slice(0, 6)}… is stored in the clear`);
    assert.equal(bytes.includes(key.slice(6)), false, 'the random part of a key is stored in the clear');
    assert.equal(bytes.includes(hashKey(key)), true, 'the key hash is stored');
  }
});
