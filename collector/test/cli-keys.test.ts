// referloop brand list and key create/list/revoke/rotate with --json, a key revoked while a collector runs, and
// the refusal of a database that does not exist or cannot be reached (nothing created), on this run's engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onlyOnSqlite, TEST_ENGINE } from './support/collector.ts';
import { cliDatabase, cliJson, runCli, tempDir as makeTempDir } from './support/processes.ts';

const tempDir = (t: { after(fn: () => unknown): void }) => makeTempDir(t, 'referloop-cli-keys-');
const json = cliJson;
/** For the PostgreSQL counterpart of a SQLite-only test. */
const onlyOnPg = TEST_ENGINE === 'pg' ? false : 'PostgreSQL only (REFERLOOP_DATABASE_URL)';

const keysOf = (o: object) => Object.keys(o).sort();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const KEY_FIELDS = ['created_at', 'key_id', 'kind', 'last_used_at', 'name', 'prefix', 'revoked_at'];

test('key create, key list, key revoke, brand list: the documented JSON, keys shown once and never listed', async (t) => {
  const c = await cliDatabase(t);
  const acme = c.json(['brand', 'create', '--name', 'Acme', '--plan', 'growth']);
  const other = c.json(['brand', 'create', '--name', 'Other shop']);

  const brands = c.json(['brand', 'list']);
  assert.deepEqual(keysOf(brands), ['brands']);
  assert.deepEqual(brands.brands.map((b: object) => keysOf(b)), [['brand_id', 'created_at', 'name', 'plan'], ['brand_id', 'created_at', 'name', 'plan']]);
  assert.deepEqual(brands.brands.map((b: any) => [b.brand_id, b.name, b.plan]), [[acme.brand_id, 'Acme', 'growth'], [other.brand_id, 'Other shop', 'premier']]);
  assert.match(brands.brands[0].created_at, ISO);

  const zapier = c.json(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier']);
  assert.deepEqual(keysOf(zapier), ['key_id', 'name', 'secret_key']);
  assert.equal(zapier.name, 'zapier');
  assert.equal(typeof zapier.key_id, 'number');
  assert.match(zapier.secret_key, /^rl_sk_[A-Za-z0-9_-]{20,}$/);
  const dup = c.run(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier', '--json']);
  assert.notEqual(dup.status, 0);
  assert.match(dup.stderr, /already has an active key named "zapier"/);
  assert.equal(dup.stdout, '');

  const listed = c.json(['key', 'list', '--brand', acme.brand_id]);
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
  assert.deepEqual(c.json(['key', 'list', '--brand', other.brand_id]).keys.map((k: any) => k.name), ['default', 'tracker']);

  assert.deepEqual(c.json(['key', 'revoke', '--brand', acme.brand_id, '--key', String(zapier.key_id)]), { key_id: zapier.key_id, revoked: true });
  const after = c.json(['key', 'list', '--brand', acme.brand_id]).keys.find((k: any) => k.key_id === zapier.key_id);
  assert.match(after.revoked_at, ISO);
  // A key of another brand, or no key at all, is refused by name.
  const foreign = c.run(['key', 'revoke', '--brand', other.brand_id, '--key', String(zapier.key_id), '--json']);
  assert.notEqual(foreign.status, 0);
  assert.match(foreign.stderr, new RegExp(`has no key ${zapier.key_id}`));
  // The name is free again once its key is revoked.
  const again = c.json(['key', 'create', '--brand', acme.brand_id, '--name', 'zapier']);
  assert.equal(again.name, 'zapier');
  // Stored hashed (and sealed), never in the clear: not in the database nor its WAL (PostgreSQL: in no row).
  const bytes = await c.stored();
  for (const key of [zapier.secret_key, again.secret_key]) {
    assert.equal(bytes.includes(key.slice(6)), false, 'the random part of a named key is stored in the clear');
    assert.equal(bytes.includes(createHash('sha256').update(key).digest('hex')), true, 'its hash is stored');
  }
});

test('key rotate replaces the default key only (keeping {brand_id, secret_key}); named keys keep working; --key replaces one', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']);
  const make = c.json(['key', 'create', '--brand', brand.brand_id, '--name', 'make']);
  const rotated = c.json(['key', 'rotate', '--brand', brand.brand_id]);
  assert.deepEqual(keysOf(rotated), ['brand_id', 'secret_key']);
  const keys = () => c.json(['key', 'list', '--brand', brand.brand_id]).keys.map((k: any) => [k.name, k.kind, k.revoked_at !== null]);
  assert.deepEqual(keys(), [['default', 'secret', true], ['tracker', 'publishable', false], ['make', 'secret', false], ['default', 'secret', false]]);
  c.json(['key', 'rotate', '--brand', brand.brand_id, '--key', String(make.key_id)]);
  assert.deepEqual(keys().slice(2), [['make', 'secret', true], ['default', 'secret', false], ['make', 'secret', false]]);
  const publishable = c.run(['key', 'rotate', '--brand', brand.brand_id, '--key', '2', '--json']);
  assert.notEqual(publishable.status, 0, 'rotate is for secret keys');
});

test('a key revoked by the CLI while a collector runs is a 401 at its next call; the brand\'s other keys keep working', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']);
  c.json(['advocate', 'create', '--brand', brand.brand_id, '--email', 'sarah@example.com', '--name', 'Sarah', '--code', 'SARAH10']);
  const shop = c.json(['key', 'create', '--brand', brand.brand_id, '--name', 'shop backend']);
  const server = await c.serve({ REFERLOOP_LOG_LEVEL: 'warn' });
  t.after(() => server.kill());
  let n = 0;
  const convert = async (key: string) => (await fetch(`${server.url}/api/v1/track/conversion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': key, 'X-Brand-ID': brand.brand_id },
    body: JSON.stringify({ customer_email: 'buyer@example.com', order_id: `CLI-${++n}`, order_value: 10, referral_code: 'SARAH10' }),
  })).status;
  assert.equal(await convert(shop.secret_key), 201);
  assert.equal(await convert(brand.secret_key), 201);
  // The collector wrote the key's first use; the CLI reads it from the same database.
  const used = c.json(['key', 'list', '--brand', brand.brand_id]).keys.find((k: any) => k.key_id === shop.key_id);
  assert.match(used.last_used_at, ISO);

  c.json(['key', 'revoke', '--brand', brand.brand_id, '--key', String(shop.key_id)]);
  assert.equal(await convert(shop.secret_key), 401);
  assert.equal(await convert(brand.secret_key), 201);
  server.child.kill('SIGTERM');
  assert.equal((await server.exited).code, 0);
});

// SQLite only: a file named by --db / REFERLOOP_DATA_DIR (the PostgreSQL counterpart, a database that cannot be
// opened, follows).
test('a command on a database file that does not exist is refused, naming the path, --db and REFERLOOP_DATA_DIR; nothing is created', { skip: onlyOnSqlite }, (t) => {
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

// SQLite only: where the file is found without --db (on PostgreSQL REFERLOOP_DATABASE_URL wins: the test after next).
test('the CLI\'s default database follows REFERLOOP_DATA_DIR and REFERLOOP_DB, as the server does', { skip: onlyOnSqlite }, (t) => {
  const dir = tempDir(t);
  const env = { REFERLOOP_DATA_DIR: join(dir, 'data') };
  const brand = json(['brand', 'create', '--name', 'Env shop'], env);
  assert.ok(existsSync(join(dir, 'data', 'referloop.db')));
  assert.ok(existsSync(join(dir, 'data', 'master.key')));
  assert.deepEqual(json(['brand', 'list'], env).brands.map((b: any) => b.brand_id), [brand.brand_id]);
  assert.deepEqual(json(['brand', 'list'], { REFERLOOP_DB: join(dir, 'data', 'referloop.db') }).brands.map((b: any) => b.brand_id), [brand.brand_id]);
  assert.ok(readFileSync(join(dir, 'data', 'master.key'), 'utf8').trim().length === 64);
});

// The PostgreSQL counterpart of a missing file: a server that does not answer, or a database it does not have, is
// refused with exit 1, naming the database as the log would (host and database, never the password); nothing created.
test('a command on a PostgreSQL database that cannot be opened is refused, naming its URL without the password', { skip: onlyOnPg }, async (t) => {
  const c = await cliDatabase(t);
  const dir = tempDir(t);
  const unknown = new URL(c.url!);
  unknown.pathname = '/referloop_no_such_database';
  unknown.password = 'pg-secret-pw';
  for (const [url, shown, why] of [
    ['postgres://ops:pg-secret-pw@127.0.0.1:1/referloop', 'postgres://ops:***@127.0.0.1:1/referloop', /ECONNREFUSED/],
    [unknown.toString(), `${unknown.host}/referloop_no_such_database`, /does not exist|password authentication/],
  ] as const) {
    for (const args of [['brand', 'list'], ['brand', 'create', '--name', 'X'], ['key', 'list', '--brand', '00000000-0000-4000-8000-000000000000']]) {
      const r = runCli([...args, '--json'], { REFERLOOP_DATABASE_URL: url, REFERLOOP_DATA_DIR: dir });
      assert.equal(r.status, 1, `${args.join(' ')} on ${shown}`);
      assert.equal(r.stdout, '');
      assert.ok(r.stderr.includes(shown), r.stderr);
      assert.match(r.stderr, /REFERLOOP_DATABASE_URL/);
      assert.match(r.stderr, why);
      assert.equal(r.stderr.includes('pg-secret-pw'), false, 'the password is not shown');
    }
  }
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('referloop.db')), [], 'no SQLite file was made instead');
});

// On PostgreSQL the environment's URL names the database, whatever REFERLOOP_DATA_DIR or REFERLOOP_DB say, as for the
// server; --db still names a SQLite file for one command.
test('REFERLOOP_DATABASE_URL wins over REFERLOOP_DATA_DIR and REFERLOOP_DB; --db still means a SQLite file', { skip: onlyOnPg }, async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Pg shop']);
  const elsewhere = tempDir(t);
  const env = { REFERLOOP_DATA_DIR: c.dir, REFERLOOP_DB: join(elsewhere, 'ignored.db') };
  assert.deepEqual(c.json(['brand', 'list'], env).brands.map((b: any) => b.brand_id), [brand.brand_id]);
  assert.equal(existsSync(join(elsewhere, 'ignored.db')), false, 'no SQLite file beside the URL');
  const file = join(elsewhere, 'referloop.db');
  const onFile = json(['brand', 'create', '--name', 'File shop', '--db', file], c.env);
  assert.ok(existsSync(file));
  assert.deepEqual(json(['brand', 'list', '--db', file], c.env).brands.map((b: any) => b.brand_id), [onFile.brand_id]);
  assert.deepEqual(c.json(['brand', 'list']).brands.map((b: any) => b.brand_id), [brand.brand_id], 'the PostgreSQL database is untouched');
});
