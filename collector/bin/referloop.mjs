#!/usr/bin/env node
// The referloop command: runs the TypeScript sources through tsx (no separate compile step to forget).
// `serve` loads the collector with tsx's ESM loader, as the tests do. Every other command is one-shot and loads
// through tsx's CommonJS hooks, which run in this thread: the ESM loader's hooks run on a worker thread whose
// start-up alone costs more CPU (about 0.25 s) than all the rest of `referloop --help` or `brand list`.
import { createRequire } from 'node:module';

if (process.argv[2] === 'serve') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
} else {
  const require = createRequire(import.meta.url);
  require('tsx/cjs/api').register();
  require('../src/cli.ts');
}
