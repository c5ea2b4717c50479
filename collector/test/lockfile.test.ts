// The committed lockfile is complete: `npm install` would not change it, so `npm ci` installs what was tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './support/processes.ts';

const check = (dir?: string) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/check-lockfile.mjs'), ...(dir ? [dir] : [])], { encoding: 'utf8' });

test('npm install --package-lock-only leaves the committed package-lock.json as it is', () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr);
});

test('the check fails on a lockfile that npm install would rewrite (a platform package missing, a dependency out of step)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-lock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const platform = Object.keys(lock.packages).find((p) => p.startsWith('node_modules/@rollup/rollup-'));
  assert.ok(platform, 'the lockfile holds rollup platform packages');
  delete lock.packages[platform];
  copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2) + '\n');
  const missing = check(dir);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /package-lock\.json: .*\nRun npm install and commit package-lock\.json/);

  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies.commander = '^13.0.0';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  copyFileSync(join(REPO_ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  assert.equal(check(dir).status, 1);
});
