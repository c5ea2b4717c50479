// referloop person export|erase: the same export and erasure as GET/DELETE /api/v1/people, on the database file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cliJson, runCli } from './support/processes.ts';

test('person export writes the JSON to a 0600 file; person erase erases once, then answers the first erasure', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-cli-people-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'referloop.db');
  const brand = cliJson(['brand', 'create', '--name', 'Shop', '--db', db]).brand_id as string;
  const advocate = cliJson(['advocate', 'create', '--brand', brand, '--email', 'Ada.Lovelace@Example.com', '--name', 'Ada Lovelace', '--code', 'ADA1', '--db', db]);
  const person = ['--brand', brand, '--email', 'ada.lovelace@example.com', '--db', db];

  const out = join(dir, 'ada.json');
  const summary = cliJson(['person', 'export', ...person, '--out', out]);
  assert.deepEqual(summary, { file: out, rows: 2, advocate: true, erasures: 0 });
  assert.equal(statSync(out).mode & 0o777, 0o600);
  const exported = JSON.parse(readFileSync(out, 'utf8')).person;
  assert.equal(exported.advocate.profile.id, advocate.advocate_id);
  assert.equal(exported.advocate.profile.name, 'Ada Lovelace');
  assert.deepEqual(exported.advocate.codes.map((c: { code: string }) => c.code), ['ADA1']);

  const erased = cliJson(['person', 'erase', ...person]);
  assert.equal(erased.already_erased, false);
  assert.equal(erased.erasure.actor, 'cli');
  assert.equal(erased.erasure.counts.advocates, 1);
  assert.equal(erased.wal_emptied, true);
  const again = cliJson(['person', 'erase', ...person]);
  assert.equal(again.already_erased, true);
  assert.equal(again.erasure.erasure_id, erased.erasure.erasure_id);

  const after = JSON.parse(runCli(['person', 'export', ...person]).stdout).person;
  assert.equal(after.advocate, null);
  assert.deepEqual(after.erasures.map((e: { erasure_id: number }) => e.erasure_id), [erased.erasure.erasure_id]);
  const file = new Database(db, { readonly: true });
  try {
    assert.deepEqual(file.prepare('SELECT name, status, erased_at IS NOT NULL AS erased FROM advocates').get(), { name: '', status: 'blocked', erased: 1 });
  } finally {
    file.close();
  }

  const bad = runCli(['person', 'erase', '--brand', brand, '--email', 'not-an-email', '--db', db]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /email/);
});
