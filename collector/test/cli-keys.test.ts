// referloop brand list and key create/list/revoke/rotate with --json, a key revoked while a collector runs, and
// the refusal of a database file that does not exist (nothing created).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliJson, runCli, spawnServe, tempDir as makeTempDir } from './support/processes.ts';

const tempDir = (t: { after(fn: () => unknown): void }) => makeTempDir(t, 'referloop-cli-keys-');
const json = cliJson;

const keysOf = (o: object) => Object.keys(o).sort();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const KEY_FIELDS = ['created_at', 'key_id', 'kind', 'last_used_at', 'name', 'prefix', 'revoked_at'];

test('key create, key list, key revoke, brand list: the documented JSON, keys shown once and never listed', (t) => {
  const db = join(tempDir(t), 'referloop.db');
  const acme = json(['brand', 'create', '--name', 'Acme', '--plan', 'growth', '--db', db]);
  const other = json(['brand', 'create', '--name', 'Other shop', '--db', db]);

  const brands = json(['brand', 'list', '--db', db]);
  assert.deepEqual(keysOf(brands), ['brands']);
  assert.deepEqual(brands.brands.map((b: object) => keysOf(b)), [['brand_id', 'created_at', 'name', 'plan'], ['brand_id', 'created_at', 'name', 'plan']]);
  assert.deepEqual(brands.brands.map((b: any) => [b.brand_id, b.name, b.plan]), [[acme.brand_id, 'Acme', 'growth'], [other.brand_id, 'Other shop', 'premier']]);
  assert.match(brands.brands[0].created_at, ISO);

  const zapier = json(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier', '--db', db]);
  assert.deepEqual(keysOf(zapier), ['key_id', 'name', 'secret_key']);
  assert.equal(zapier.name, 'zapier');
  assert.equal(typeof zapier.key_id, 'number');
  assert.match(zapier.secret_key, /^rl_sk_[A-Za-z0-9_-]{20,}$/);
  const dup = runCli(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier', '--db', db, '--json']);
  assert.notEqual(dup.status, 0);
  assert.match(dup.stderr, /already has an active key named "zapier"/);
  assert.equal(dup.stdout, '');

  const listed = json(['key', 'list', '--brand', acme.brand_id, '--db', db]);
  assert.deepEqual(keysOf(listed), ['keys']);
  for (const k of listed.keys) assert.deepEqual(keysOf(k), KEY_FIELDS);
  assert.deepEqual(listed.keys.map((k: any) => [k.name, k.kind, k.revoked_at, k.last_used_at]),
    [['default', 'secret', null, null], ['tracker', 'publishable', null, null], ['zapier', 'secret', null, null]]);
  assert.equal(listed.keys[2].key_id, zapier.key_id);
  assert.match(listed.keys[2].created_at, ISO);
  // The prefix tells keys apart; no key is printed again.
  assert.equal(listed.keys[2].prefix, `rl_sk_…${zapier.secret_key.slice(-4)}`);
  const shown = JSON.stringify(listed);
  for (const secret of [acme.secret_key, acme.publishable_key, zapier.secret_key]) assert.equal(shown.includes(secret.slice(6, 20)), false);
  // Another brand's keys are not listed.
  assert.deepEqual(json(['key', 'list', '--brand', other.brand_id, '--db', db]).keys.map((k: any) => k.name), ['default', 'tracker']);

  assert.deepEqual(json(['key', 'revoke', '--brand', acme.brand_id, '--key', String(zapier.key_id), '--db', db]), { key_id: zapier.key_id, revoked: true });
  const after = json(['key', 'list', '--brand', acme.brand_id, '--db', db]).keys.find((k: any) => k.key_id === zapier.key_id);
  assert.match(after.revoked_at, ISO);
  // A key of another brand, or no key at all, is refused by name.
  const foreign = runCli(['key', 'revoke', '--brand', other.brand_id, '--key', String(zapier.key_id), '--db', db, '--json']);
  assert.notEqual(foreign.status, 0);
  assert.match(foreign.stderr, new RegExp(`has no key ${zapier.key_id}`));
  // The name is free again once its key is revoked.
  const again = json(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier', '--db', db]);
  assert.equal(again.name, 'zapier');
  // Stored hashed (and sealed), never in the clear: not in the database nor its WAL.
  const dir = join(db, '..');
  const bytes = Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('referloop.db')).map((f) => readFileSync(join(dir, f))));
  for (const key of [zapier.secret_key, again.secret_key]) {
    assert.equal(bytes.includes(key.slice(6)), false, 'the random part of a named key is stored in the clear');
    assert.equal(bytes.includes(createHash('sha256').update(key).digest('hex')), true, 'its hash is stored');
  }
});

test('key rotate replaces the default key only (keeping {brand_id, secret_key}); named keys keep working; --key replaces one', (t) => {
  const db = join(tempDir(t), 'referloop.db');
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  const make = json(['key', 'create', '--brand', brand.brand_id, '--name', 'make', '--db', db]);
  const rotated = json(['key', 'rotate', '--brand', brand.brand_id, '--db', db]);
  assert.deepEqual(keysOf(rotated), ['brand_id', 'secret_key']);
  const keys = () => json(['key', 'list', '--brand', brand.brand_id, '--db', db]).keys.map((k: any) => [k.name, k.kind, k.revoked_at !== null]);
  assert.deepEqual(keys(), [['default', 'secret', true], ['tracker', 'publishable', false], ['make', 'secret', false], ['default', 'secret', false]]);
  json(['key', 'rotate', '--brand', brand.brand_id, '--key', String(make.key_id), '--db', db]);
  assert.deepEqual(keys().slice(2), [['make', 'secret', true], ['default', 'secret', false], ['make', 'secret', false]]);
  const publishable = runCli(['key', 'rotate', '--brand', brand.brand_id, '--key', '2', '--db', db, '--json']);
  assert.notEqual(publishable.status, 0, 'rotate is for secret keys');
});

test('a key revoked by the CLI while a collector runs is a 401 at its next call; the brand\'s other keys keep working', async (t) => {
  const db = join(tempDir(t), 'referloop.db');
  const brand = json(['brand', 'create', '--name', 'Acme', '--db', db]);
  json(['advocate', 'create', '--brand', brand.brand_id, '--email', 'sarah@example.com', '--name', 'Sarah', '--code', 'SARAH10', '--db', db]);
  const shop = json(['key', 'create', '--brand', brand.brand_id, '--name', 'shop backend', '--db', db]);
  const server = await spawnServe({ REFERLOOP_LOG_LEVEL: 'warn' }, { args: ['--db', db] });
  t.after(() => server.kill());
  let n = 0;
  const convert = async (key: string) => (await fetch(`${server.url}/api/v1/track/conversion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key, 'X-Brand-ID': brand.brand_id },
    body: JSON.stringify({ customer_email: 'buyer@example.com', order_id: `CLI-${++n}`, order_value: 10, referral_code: 'SARAH10' }),
  })).status;
  assert.equal(await convert(shop.secret_key), 201);
  assert.equal(await convert(brand.secret_key), 201);
  // The collector wrote the key's first use; the CLI reads it from the same file.
  const used = json(['key', 'list', '--brand', brand.brand_id, '--db', db]).keys.find((k: any) => k.key_id === shop.key_id);
  assert.match(used.last_used_at, ISO);

  json(['key', 'revoke', '--brand', brand.brand_id, '--key', String(shop.key_id), '--db', db]);
  assert.equal(await convert(shop.secret_key), 401);
  assert.equal(await convert(brand.secret_key), 201);
  server.child.kill('SIGTERM');
  assert.equal((await server.exited).code, 0);
});

test('a command on a database file that does not exist is refused, naming the path, --db and REFERLOOP_DATA_DIR; nothing is created', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'elsewhere', 'referloop.db');
  const brand = '00000000-0000-4000-8000-000000000000';
  for (const args of [['brand', 'list'], ['key', 'list', '--brand', brand], ['key', 'create', '--brand', brand, '--name', 'x'],
    ['key', 'rotate', '--brand', brand], ['advocate', 'create', '--brand', brand, '--email', 'a@b.example', '--name', 'A'],
    ['advocate', 'list', '--brand', brand], ['settings', 'show', '--brand', brand], ['payout', 'export', '--brand', brand]]) {
    const r = runCli([...args, '--db', missing, '--json']);
    assert.notEqual(r.status, 0, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(missing), r.stderr);
    assert.match(r.stderr, /--db/);
    assert.match(r.stderr, /REFERLOOP_DATA_DIR/);
  }
  // Through the environment, as the server reads it: REFERLOOP_DATA_DIR names the folder.
  const viaEnv = runCli(['brand', 'list', '--json'], { REFERLOOP_DATA_DIR: join(dir, 'nope') });
  assert.notEqual(viaEnv.status, 0);
  assert.ok(viaEnv.stderr.includes(join(dir, 'nope', 'referloop.db')), viaEnv.stderr);
  assert.deepEqual(readdirSync(dir), [], 'no folder, database or master key was created');
});

test('the CLI\'s default database follows REFERLOOP_DATA_DIR and REFERLOOP_DB, as the server does', (t) => {
  const dir = tempDir(t);
  const env = { REFERLOOP_DATA_DIR: join(dir, 'data') };
  const brand = json(['brand', 'create', '--name', 'Env shop'], env);
  assert.ok(existsSync(join(dir, 'data', 'referloop.db')));
  assert.ok(existsSync(join(dir, 'data', 'master.key')));
  assert.deepEqual(json(['brand', 'list'], env).brands.map((b: any) => b.brand_id), [brand.brand_id]);
  assert.deepEqual(json(['brand', 'list'], { REFERLOOP_DB: join(dir, 'data', 'referloop.db') }).brands.map((b: any) => b.brand_id), [brand.brand_id]);
  assert.ok(readFileSync(join(dir, 'data', 'master.key'), 'utf8').trim().length === 64);
});
