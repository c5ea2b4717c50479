// Guards the widget's budget (issue 14: dist/widget.js at most 12 KB gzipped by gzip -9) and its strict-CSP promises,
// and that al.js and the widget stay apart (neither loads the other); al.js's own budget: tracker/test/size.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const WIDGET = fileURLToPath(new URL('../../dist/widget.js', import.meta.url));
const TRACKER = fileURLToPath(new URL('../../dist/al.js', import.meta.url));
const BUDGET_BYTES = 12 * 1024;

function bundle(path: string): string {
  assert.ok(existsSync(path), `${path} is missing: run npm run build`);
  return readFileSync(path, 'utf8');
}

/** `gzip -9 FILE`'s size (the budget's definition); zlib's level 9 plus the header's file name where gzip is missing. */
function gzipped(path: string): number {
  const run = spawnSync('gzip', ['-9', '-c', path]);
  return run.status === 0 && run.stdout.length > 0 ? run.stdout.length : gzipSync(bundle(path), { level: 9 }).length + 'widget.js'.length + 1;
}

test('dist/widget.js fits its gzip -9 budget of 12 KB', (t) => {
  const bytes = gzipped(WIDGET);
  t.diagnostic(`dist/widget.js: ${bytes} bytes gzipped (budget ${BUDGET_BYTES}, ${BUDGET_BYTES - bytes} left); dist/al.js: ${gzipped(TRACKER)}`);
  assert.ok(bytes <= BUDGET_BYTES, `dist/widget.js is ${bytes} bytes gzipped, over the ${BUDGET_BYTES}-byte budget`);
});

test('dist/widget.js is one IIFE that a strict CSP allows: no eval, no inline styles or markup', () => {
  const code = bundle(WIDGET);
  assert.doesNotMatch(code, /\beval\s*\(/, 'bundle calls eval(');
  assert.doesNotMatch(code, /new\s+Function\b/, 'bundle uses new Function');
  assert.doesNotMatch(code, /\.style\b|setAttribute\(\s*["']style|\.cssText/, 'bundle sets inline styles');
  assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/, 'bundle writes markup from strings');
  assert.match(code, /adoptedStyleSheets/, 'styles go through a constructable stylesheet');
  assert.doesNotMatch(code, /^\s*(import|export)\b/m, 'bundle is not an IIFE');
});

test('al.js and the widget stay apart: neither carries or loads the other', () => {
  const widget = bundle(WIDGET);
  const tracker = bundle(TRACKER);
  assert.doesNotMatch(tracker, /widget/i, 'al.js mentions the widget');
  assert.doesNotMatch(widget, /al\.js/, 'the widget loads al.js');
  // The widget reads al.js's cookies by name, without js-cookie (tree-shaken out of the widget's bundle).
  assert.match(widget, /"al_code"/);
  assert.doesNotMatch(widget, /withAttributes/, 'js-cookie is in the widget');
});
