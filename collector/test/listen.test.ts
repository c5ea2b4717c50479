// A second collector on a busy port says which port and how to pick another, and exits non-zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/processes.ts';

test('serve on a port already in use names the port, REFERLOOP_PORT and --port', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-listen-'));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });
  const port = (taken.address() as { port: number }).port;
  for (const [args, env] of [
    [['serve', '--port', String(port)], {}],
    [['serve'], { REFERLOOP_PORT: String(port) }],
  ] as Array<[string[], Record<string, string>]>) {
    const r = runCli(args, { REFERLOOP_HOST: '127.0.0.1', REFERLOOP_DATA_DIR: dir, ...env });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(r.stderr, /REFERLOOP_PORT=/);
    assert.match(r.stderr, /--port/);
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'a message, not a stack trace');
  }
});
