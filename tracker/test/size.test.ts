// Guards the tracker's budget (SPEC: dist/al.js at most 2,048 bytes gzipped) and its strict-CSP promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUNDLE = new URL('../../dist/al.js', import.meta.url);
const BUDGET_BYTES = 2048;

function readBundle(): string {
  assert.ok(existsSync(BUNDLE), 'dist/al.js is missing: run npm run build');
  return readFileSync(BUNDLE, 'utf8');
}

test('dist/al.js fits the gzip -9 budget', (t) => {
  const gzipped = gzipSync(readBundle(), { level: 9 }).length;
  t.diagnostic(`dist/al.js: ${gzipped} bytes gzipped (budget ${BUDGET_BYTES}, ${BUDGET_BYTES - gzipped} left)`);
  assert.ok(gzipped <= BUDGET_BYTES, `dist/al.js is ${gzipped} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`);
});

test('dist/al.js is one IIFE that a strict CSP allows', () => {
  const bundle = readBundle();
  assert.doesNotMatch(bundle, /\beval\s*\(/, 'bundle calls eval(');
  assert.doesNotMatch(bundle, /new\s+Function\b/, 'bundle uses new Function');
  assert.doesNotMatch(bundle, /\.style\b|setAttribute\(\s*["']style/, 'bundle sets inline styles');
  assert.doesNotMatch(bundle, /^\s*(import|export)\b/m, 'bundle is not an IIFE');
});
