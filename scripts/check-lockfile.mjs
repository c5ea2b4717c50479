// Fails when `npm install` would change the committed package-lock.json (so `npm ci` installs exactly what was tested).
// Runs `npm install --package-lock-only --prefer-offline` on a copy in a temporary folder: no node_modules, and the
// registry only for what npm's cache lacks (offline alone, a package the cache never saw, such as another platform's
// rollup binary, is silently left out instead of restored, and the check would pass a lockfile missing it).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url)));
const work = mkdtempSync(join(tmpdir(), 'referloop-lockfile-'));
try {
  for (const f of ['package.json', 'package-lock.json', '.npmrc']) {
    if (existsSync(join(root, f))) copyFileSync(join(root, f), join(work, f));
  }
  if (!existsSync(join(work, 'package-lock.json'))) fail('there is no package-lock.json');
  const npm = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: work, encoding: 'utf8' });
  if (npm.error) fail(`could not run npm: ${npm.error.message}`);
  if (npm.status !== 0) fail(`npm install --package-lock-only cannot settle it:\n${(npm.stderr || npm.stdout).trim()}`);
  const before = readFileSync(join(root, 'package-lock.json'), 'utf8');
  const after = readFileSync(join(work, 'package-lock.json'), 'utf8');
  if (before !== after) {
    const lines = (s) => new Set(s.split('\n'));
    const [a, b] = [lines(before), lines(after)];
    const added = [...b].filter((l) => !a.has(l)).length;
    const removed = [...a].filter((l) => !b.has(l)).length;
    fail(`npm install would rewrite it (+${added} -${removed} lines)`);
  }
  console.log('package-lock.json: complete and in step with package.json');
} finally {
  rmSync(work, { recursive: true, force: true });
}

function fail(why) {
  console.error(`package-lock.json: ${why}\nRun npm install and commit package-lock.json.`);
  rmSync(work, { recursive: true, force: true });
  process.exit(1);
}
