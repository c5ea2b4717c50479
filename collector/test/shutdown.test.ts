// A shutdown never waits forever for a client that stopped reading a streamed answer (an export).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/open.ts';
import { asConn } from '../src/db/sqlite/conn.ts';
import { createQueries } from '../src/db/queries.ts';
import { parseBody } from '../src/http/parse.ts';
import { zConversionRequest } from '../src/schemas/track.ts';
import { recordConversion } from '../src/services/conversions.ts';
import { startCollector } from '../src/server.ts';

const ROWS = 15_000;
const MASTER_KEY = 'ab'.repeat(32);

test('close() cuts an export whose client stopped reading once the grace period is over', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-shutdown-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { REFERLOOP_DATA_DIR: dir, REFERLOOP_PORT: '0', REFERLOOP_HOST: '127.0.0.1', REFERLOOP_MASTER_KEY: MASTER_KEY,
    REFERLOOP_LOG_LEVEL: 'silent', REFERLOOP_SHUTDOWN_GRACE_MS: '300' };
  // The first start makes the demo brand and keeps its keys in the data folder.
  await (await startCollector(loadConfig(env))).close();
  const keys = JSON.parse(readFileSync(join(dir, 'demo-store.json'), 'utf8')) as { brand_id: string; secret_key: string };

  // Enough wide rows that the CSV cannot fit in the sockets' buffers: the export has to wait for the reader.
  const db = openDatabase(join(dir, 'referloop.db'));
  const q = createQueries(db);
  const brand = (await q.brands.getBrand(keys.brand_id))!;
  const wide = 'x'.repeat(200);
  await asConn(db).transaction(async () => {
    for (let i = 0; i < ROWS; i++) {
      const { data } = parseBody(zConversionRequest, {
        order_id: `${wide}-${i}`, email: `buyer${i}@${'y'.repeat(60)}.example`, customer_name: `${wide} ${i}`, order_value: 10,
      });
      await recordConversion({ q, brand, now: new Date() }, data);
    }
  });
  db.close();

  const running = await startCollector(loadConfig(env), { seed: false });
  const { port } = running.server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = 0;
  const firstBytes = new Promise<void>((resolve) => socket.once('data', (chunk: Buffer) => {
    received += chunk.length;
    socket.pause(); // and never read again
    resolve();
  }));
  socket.write(`GET /api/v1/conversions/export HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${keys.secret_key}\r\n\r\n`);
  await firstBytes;
  assert.ok(received > 0);

  const outcome = await Promise.race([
    running.close().then(() => 'closed'),
    new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 20_000).unref()),
  ]);
  assert.equal(outcome, 'closed', 'the stalled export held the shutdown');
  socket.destroy();
});
