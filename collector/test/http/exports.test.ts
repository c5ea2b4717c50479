// Streaming exports and the payout list at more than one read batch: every row once, the header once, the same
// lines as JSON and CSV, and a conversion sent during an export is answered while the export is still going.
import { collect } from '../../src/services/context.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { ServerResponse } from 'node:http';
import { parseCsv } from '../../src/http/csv.ts';
import { PAYOUT_CHUNK, payoutChunks } from '../../src/services/commissions.ts';
import { PAYOUT_MAX_COMMISSIONS } from '../../src/schemas/commissions.ts';
import { startTestCollector } from '../support/collector.ts';
import { manyOrders, recordOrders } from '../support/bulk.ts';
import { DAY_MS, PATHS, advocateId, assertError, payoutLines, rows, testClock } from '../support/fixtures.ts';

const COOLING = 31 * DAY_MS;

test('the CSV exports stream every row once, newest first, the header once, across several read batches', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const orders = manyOrders(2_345, 'JOHN123', 10);
  orders[7]!.name = '=HYPERLINK("http://evil.example")';
  await recordOrders(c, orders, new Date());
  await recordOrders(c, manyOrders(3, 'JOHN123', 10), new Date(), await c.addBrand());

  const conversions = await c.call('GET', '/api/v1/conversions/export');
  assert.equal(conversions.status, 200);
  assert.match(conversions.headers.get('content-type') ?? '', /^text\/csv/);
  const [header, ...lines] = parseCsv(conversions.body);
  assert.equal(header![0], 'id');
  const expected = (await rows(c, 'SELECT id FROM conversions WHERE brand_id = ? ORDER BY id DESC', c.brand.brand_id)).map((r) => String(r.id));
  assert.deepEqual(lines.map((l) => l[0]), expected, 'every conversion of the brand once, newest first');
  assert.ok(!lines.some((l) => l[0] === 'id'), 'the header once');
  const nameAt = header!.indexOf('name');
  assert.equal(lines.find((l) => l[header!.indexOf('order_id')] === 'JOHN123-7')![nameAt], `'=HYPERLINK("http://evil.example")`);

  const commissions = await c.call('GET', '/api/v1/commissions/export', undefined, { query: { status: 'pending' } });
  const [cHeader, ...cLines] = parseCsv(commissions.body);
  assert.equal(cHeader![0], 'id');
  assert.deepEqual(cLines.map((l) => l[0]),
    (await rows(c, 'SELECT id FROM rewards WHERE brand_id = ? ORDER BY id DESC', c.brand.brand_id)).map((r) => String(r.id)));
  assertError(await c.call('GET', '/api/v1/commissions/export', undefined, { query: { status: 'x' } }), 400, 'invalid_request', 'status');
});

test('a conversion sent during an export is answered while the export is still being written (not queued behind it)', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  // About 8 MB of CSV: more than the socket buffers hold, so an export whose client stops reading must wait.
  const long = (i: number) => `${'x'.repeat(200)}-${i}`;
  const orders = Array.from({ length: 8_000 }, (_, i) => ({ code: 'JOHN123', value: 10, orderId: long(i), name: long(i) }));
  // A transaction per 500, as orders come: PostgreSQL never prunes one transaction's versions of the counter rows its
  // triggers rewrite (8,000 in one took 4 minutes there).
  for (let i = 0; i < orders.length; i += 500) await recordOrders(c, orders.slice(i, i + 500), new Date());

  let exportRes: ServerResponse | undefined;
  // Express has routed the request (and cut its mount path from req.url) before this listener runs.
  c.server.on('request', (req, res: ServerResponse) => { if (req.url?.endsWith('/conversions/export')) exportRes = res; });
  const socket = connect(Number(new URL(c.url).port), '127.0.0.1');
  t.after(() => socket.destroy());
  const firstBytes = new Promise<void>((resolve) => socket.once('data', () => { socket.pause(); resolve(); }));
  socket.write(`GET /api/v1/conversions/export HTTP/1.1\r\nHost: test\r\nX-API-Key: ${c.brand.secret_key}\r\nX-Brand-ID: ${c.brand.brand_id}\r\n\r\n`);
  await firstBytes;

  const conversion = await c.post(PATHS.conversion, { order_id: 'DURING-1', customer_email: 'during@customer.example', order_value: 50, referral_code: 'JOHN123' });
  assert.equal(conversion.status, 201, JSON.stringify(conversion.body));
  assert.ok(exportRes, 'the export is under way');
  assert.equal(exportRes.writableEnded, false, 'the conversion was answered before the export was all written');

  const finished = new Promise<void>((resolve) => exportRes!.once('finish', () => resolve()));
  socket.resume();
  await finished;
});

test('GET /payouts: per advocate with a subtotal and payment details, min_payout rolls over, the CSV has the same lines', async (t) => {
  const clock = testClock();
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const [sarah, tess, john] = await Promise.all([advocateId(c, 'V2AVMRDJ'), advocateId(c, 'TESTCODE'), advocateId(c, 'JOHN123')]);
  const patched = await c.call('PATCH', `/api/v1/advocates/${john}`, { payment_method: 'paypal', payment_details: 'john@paypal.example' });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal((await c.call('PATCH', '/api/v1/settings', { min_payout: 5 })).status, 200);
  // John alone has more commissions than one payout chunk; Sarah's 2.00 is below the minimum.
  const johns = PAYOUT_CHUNK + 150;
  await recordOrders(c, [
    ...manyOrders(johns, 'JOHN123', 10),
    { code: 'V2AVMRDJ', value: 20, orderId: 'S-1' },
    ...manyOrders(3, 'TESTCODE', 100),
  ], clock.now());
  clock.advance(COOLING);

  const res = await c.call('GET', '/api/v1/payouts');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const payout = res.body.data;
  assert.equal(res.body.success, true);
  assert.deepEqual(payout.advocates.map((a: any) => [a.advocate_id, a.subtotal, a.lines.length, a.payment_method, a.payment_details]), [
    [tess, 30, 3, null, null],
    [john, johns, johns, 'paypal', 'john@paypal.example'],
  ], 'in advocate id order; Sarah rolls over');
  assert.deepEqual([payout.total, payout.currency, payout.min_payout, payout.advocate_count, payout.rolled_over],
    [30 + johns, 'USD', 5, 2, 1]);
  assert.ok(!payoutLines(payout).some((l: any) => l.advocate_id === sarah));
  const ids = payoutLines(payout).map((l: any) => l.commission_id);
  assert.equal(new Set(ids).size, ids.length, 'every commission once');

  const csv = await c.call('GET', '/api/v1/payouts/export');
  const [header, ...lines] = parseCsv(csv.body);
  assert.deepEqual(header, ['type', 'commission_id', 'advocate_id', 'advocate_name', 'advocate_email', 'payment_method', 'payment_details',
    'amount', 'advocate_subtotal', 'currency', 'level', 'order_id', 'approved_at']);
  assert.deepEqual(lines.map((l) => Number(l[1])), ids, 'the same lines in the same order');
  assert.deepEqual(lines.at(-1)!.slice(2, 10), [String(john), 'John Smith', 'john@advocate.example', 'paypal', 'john@paypal.example', '1.00',
    `${johns}.00`, 'USD']);

  // Read in chunks of 2 commissions, the payout is the same: an advocate is never split across chunks.
  const ctx = { q: c.deps.rq, brand: (await c.deps.q.brands.getBrand(c.brand.brand_id))!, now: clock.now() };
  const small = await collect(payoutChunks(ctx, 2));
  assert.deepEqual(small.flatMap((chunk) => chunk.advocates), payout.advocates);
  // Sarah alone (below the minimum), then Tess, then John, each answered whole although they have more than a chunk.
  const answered = small.filter((chunk) => chunk.advocates.length > 0 || chunk.rolledOver > 0);
  assert.deepEqual(answered.map((chunk) => [chunk.advocates.map((a) => a.advocate_id), chunk.rolledOver]), [[[], 1], [[tess], 0], [[john], 0]]);
  // ...read 2 commissions a step: one empty step per further read of Tess's 3 and John's lines (the loop turns there).
  assert.equal(small.length - answered.length, Math.floor(3 / 2) + Math.floor(johns / 2));

  // Paying exactly what was listed pays it (in requests of at most PAYOUT_MAX_COMMISSIONS, John's lines split across
  // two: he has no clawback to keep with them); Sarah's commission is still approved for the next run.
  let total = 0;
  for (let i = 0; i < ids.length; i += PAYOUT_MAX_COMMISSIONS) {
    const paid = await c.call('POST', '/api/v1/payouts', { commission_ids: ids.slice(i, i + PAYOUT_MAX_COMMISSIONS) });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    total += paid.body.data.total;
  }
  assert.ok(ids.length > PAYOUT_MAX_COMMISSIONS);
  assert.equal(total, 30 + johns);
  const next = (await c.call('GET', '/api/v1/payouts')).body.data;
  assert.deepEqual([next.advocates, next.total, next.rolled_over], [[], 0, 1]);
  assert.equal((await c.call('PATCH', '/api/v1/settings', { min_payout: 0 })).status, 200);
  assert.deepEqual((await c.call('GET', '/api/v1/payouts')).body.data.advocates.map((a: any) => [a.advocate_id, a.subtotal]), [[sarah, 2]]);
});
