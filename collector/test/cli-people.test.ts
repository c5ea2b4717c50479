// referloop person export|erase: the same export and erasure as GET/DELETE /api/v1/people, on the run's database
// (support/processes.ts cliDatabase: a SQLite file, or PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cliDatabase } from './support/processes.ts';

test('person export writes the JSON to a 0600 file; person erase erases once, then answers the first erasure', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Shop']).brand_id as string;
  const advocate = c.json(['advocate', 'create', '--brand', brand, '--email', 'Ada.Lovelace@Example.com', '--name', 'Ada Lovelace', '--code', 'ADA1']);
  const person = ['--brand', brand, '--email', 'ada.lovelace@example.com'];

  const out = join(c.dir, 'ada.json');
  const summary = c.json(['person', 'export', ...person, '--out', out]);
  assert.deepEqual(summary, { file: out, rows: 2, advocate: true, erasures: 0 });
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const exported = JSON.parse(readFileSync(out, 'utf8')).person;
  assert.equal(exported.advocate.profile.id, advocate.advocate_id);
  assert.equal(exported.advocate.profile.name, 'Ada Lovelace');
  assert.deepEqual(exported.advocate.codes.map((c: { code: string }) => c.code), ['ADA1']);

  const erased = c.json(['person', 'erase', ...person]);
  assert.equal(erased.already_erased, false);
  assert.equal(erased.erasure.actor, 'cli');
  assert.equal(erased.erasure.counts.advocates, 1);
  // SQLite: the WAL that held the erased values is emptied; PostgreSQL has none of its own to empty (true).
  assert.equal(erased.wal_emptied, true);
  const again = c.json(['person', 'erase', ...person]);
  assert.equal(again.already_erased, true);
  assert.equal(again.erasure.erasure_id, erased.erasure.erasure_id);

  const after = JSON.parse(c.run(['person', 'export', ...person]).stdout).person;
  assert.equal(after.advocate, null);
  assert.deepEqual(after.erasures.map((e: { erasure_id: number }) => e.erasure_id), [erased.erasure.erasure_id]);
  // The row as the database holds it, through the engine's store (the same SQL on both: 1 or 0, not a boolean).
  const store = await c.open();
  assert.deepEqual(await store.db.prepare('SELECT name, status, CASE WHEN erased_at IS NOT NULL THEN 1 ELSE 0 END AS erased FROM advocates').all(),
    [{ name: '', status: 'blocked', erased: 1 }]);
  await store.close();

  const bad = c.run(['person', 'erase', '--brand', brand, '--email', 'not-an-email']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /email/);
});

test('advocate portal-link prints a single-use link under REFERLOOP_PUBLIC_URL, kept only hashed; another brand\'s advocate is refused', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Shop']).brand_id as string;
  const other = c.json(['brand', 'create', '--name', 'Other']).brand_id as string;
  const advocate = c.json(['advocate', 'create', '--brand', brand, '--email', 'ada@example.com', '--name', 'Ada', '--code', 'ADA1']);
  const link = c.json(['advocate', 'portal-link', '--brand', brand, '--id', String(advocate.advocate_id)], { REFERLOOP_PUBLIC_URL: 'https://refer.shop.example' });
  assert.match(link.url, /^https:\/\/refer\.shop\.example\/portal\/enter\/[A-Za-z0-9_-]{43}$/);
  assert.ok(Date.parse(link.expires_at) > Date.now());
  const refused = c.run(['advocate', 'portal-link', '--brand', other, '--id', String(advocate.advocate_id)]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /advocate/i);
  const store = await c.open();
  const rows = await store.db.prepare('SELECT token_hash FROM portal_links').all() as Array<{ token_hash: string }>;
  assert.equal(rows.length, 1);
  assert.ok(!link.url.includes(rows[0]!.token_hash));
  assert.ok(!rows[0]!.token_hash.includes(link.url.split('/').pop()));
  await store.close();
});
