// Guards the tracker's budget (SPEC: dist/al.js at most 2,048 bytes gzipped) and its strict-CSP promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';

const BUNDLE = new URL('../../dist/al.js', import.meta.url);
const BUDGET_BYTES = 2048;

function readBundle(): string {
  assert.ok(existsSync(BUNDLE), 'dist/al.js is missing: run npm run build');
  return readFileSync(BUNDLE, 'utf8');
}

/**
 * The budget is defined by `gzip -9 dist/al.js`: its output (which also names the file in its header) is a few
 * bytes larger than zlib's level 9, so the command is used where it exists.
 */
function gzip9(text: string): { bytes: number; by: string } {
  const run = spawnSync('gzip', ['-9', '-c', fileURLToPath(BUNDLE)]);
  if (run.status === 0 && run.stdout.length > 0) return { bytes: run.stdout.length, by: 'gzip -9' };
  return { bytes: gzipSync(text, { level: 9 }).length + 6, by: 'zlib level 9 + the 6 bytes of the file name (no gzip command here)' };
}

test('dist/al.js fits the gzip -9 budget', (t) => {
  const { bytes: gzipped, by } = gzip9(readBundle());
  t.diagnostic(`dist/al.js: ${gzipped} bytes by ${by} (budget ${BUDGET_BYTES}, ${BUDGET_BYTES - gzipped} left)`);
  assert.ok(gzipped <= BUDGET_BYTES, `dist/al.js is ${gzipped} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`);
});

test('dist/al.js is one IIFE that a strict CSP allows', () => {
  const bundle = readBundle();
  assert.doesNotMatch(bundle, /\beval\s*\(/, 'bundle calls eval(');
  assert.doesNotMatch(bundle, /new\s+Function\b/, 'bundle uses new Function');
  assert.doesNotMatch(bundle, /\.style\b|setAttribute\(\s*["']style/, 'bundle sets inline styles');
  assert.doesNotMatch(bundle, /^\s*(import|export)\b/m, 'bundle is not an IIFE');
});
