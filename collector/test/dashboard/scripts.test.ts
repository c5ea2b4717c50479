// The dashboard's scripts: each page loads common.js and at most one script of its own (client/<page>.ts), together
// at most 60 KB gzipped, and none needs what the pages' CSP forbids (eval, new Function).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const DIST = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));
const SOURCES = fileURLToPath(new URL('../../src/dashboard/client/', import.meta.url));
const BUDGET_BYTES = 60 * 1024;

const gzipped = (file: string) => gzipSync(readFileSync(DIST + file), { level: 9 }).length;

test('every client script is built, and each page\'s scripts fit 60 KB gzipped', (t) => {
  const sources = readdirSync(SOURCES).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '.js'));
  assert.ok(sources.includes('common.js'));
  for (const js of sources) assert.ok(existsSync(DIST + js), `dist/dashboard/${js} is missing: run npm run build`);
  const common = gzipped('common.js');
  for (const js of sources) {
    const total = js === 'common.js' ? common : common + gzipped(js);
    t.diagnostic(`${js}: ${total} bytes gzipped with common.js (budget ${BUDGET_BYTES})`);
    assert.ok(total <= BUDGET_BYTES, `${js} with common.js is ${total} bytes gzipped, over ${BUDGET_BYTES}`);
  }
});

test('no client script needs eval or new Function (the CSP has no unsafe-eval)', () => {
  for (const js of readdirSync(DIST).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(DIST + js, 'utf8');
    assert.doesNotMatch(code, /\beval\s*\(/, `${js} calls eval(`);
    assert.doesNotMatch(code, /new\s+Function\s*\(/, `${js} uses new Function`);
  }
});
