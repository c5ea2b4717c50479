// referloop reward list/get/add/set/archive/redeem and redemption list/fulfil/cancel on this run's engine: the API's
// answer shapes with --json, refusals naming the field with nothing written, and a redemption's points and stock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli } from './support/processes.ts';

test('reward and redemption commands: the catalogue, a redemption fulfilled and one cancelled (points and unit back)', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']).advocate_id as number;

  const added = c.json(['reward', 'add', ...b, '--name', '$10 gift card', '--points-cost', '30', '--type', 'gift_card', '--stock', '2']).reward;
  assert.deepEqual([added.name, added.points_cost, added.type, added.stock, added.status], ['$10 gift card', 30, 'gift_card', 2, 'active']);
  const tote = c.json(['reward', 'add', ...b, '--name', 'Tote', '--points-cost', '5', '--type', 'product']).reward;
  assert.equal(tote.stock, null, 'unlimited unless given');
  refusedCli(c, ['reward', 'add', ...b, '--name', 'Bad', '--points-cost', '0', '--type', 'gift_card'], /points_cost/);
  refusedCli(c, ['reward', 'add', ...b, '--name', 'Bad', '--points-cost', '5', '--type', 'voucher'], /type/);
  refusedCli(c, ['reward', 'set', ...b, '--id', String(added.id), '--stock', '-3'], /stock/);
  assert.deepEqual(c.json(['reward', 'list', ...b]).rewards.map((r: { id: number }) => r.id), [added.id, tote.id]);
  assert.deepEqual(c.json(['reward', 'list', ...b, '--type', 'product']).rewards.map((r: { id: number }) => r.id), [tote.id]);
  assert.equal(c.json(['reward', 'set', ...b, '--id', String(tote.id), '--points-cost', '8']).reward.points_cost, 8);
  assert.equal(c.json(['reward', 'get', ...b, '--id', String(added.id)]).reward.stock, 2);

  refusedCli(c, ['reward', 'redeem', ...b, '--id', String(added.id), '--advocate', String(advocate)], /insufficient|points/);
  assert.equal(c.json(['redemption', 'list', ...b]).redemptions.length, 0, 'nothing written');
  // 70 points (the API's award): two redemptions of 30.
  const store = await c.open();
  await store.queue.run(() => store.db.prepare(
    `INSERT INTO points_transactions (brand_id, advocate_id, type, amount, balance_after, description, created_at) VALUES (?, ?, 'award', 70, 70, 'seed', ?)`,
  ).run(brand, advocate, new Date().toISOString()));
  await store.queue.run(() => store.db.prepare('UPDATE advocates SET points_balance = 70 WHERE brand_id = ? AND id = ?').run(brand, advocate));

  const first = c.json(['reward', 'redeem', ...b, '--id', String(added.id), '--advocate', String(advocate)]);
  assert.equal(first.new_balance, 40);
  const second = c.json(['reward', 'redeem', ...b, '--id', String(added.id), '--advocate', String(advocate)]).redemption;
  refusedCli(c, ['reward', 'redeem', ...b, '--id', String(added.id), '--advocate', String(advocate)], /out of stock/);
  const fulfilled = c.json(['redemption', 'fulfil', ...b, '--id', String(first.redemption.id), '--given', 'GIFT-1234']).redemption;
  assert.deepEqual([fulfilled.status, fulfilled.fulfilment], ['fulfilled', 'GIFT-1234']);
  const cancelled = c.json(['redemption', 'cancel', ...b, '--id', String(second.id), '--reason', 'mistake']).redemption;
  assert.equal(cancelled.status, 'cancelled');
  refusedCli(c, ['redemption', 'cancel', ...b, '--id', String(second.id)], /cancelled/);
  assert.equal(c.json(['reward', 'get', ...b, '--id', String(added.id)]).reward.stock, 1, 'the unit came back');
  const balance = await store.db.prepare('SELECT points_balance FROM advocates WHERE id = ?', { pluck: true }).get(advocate);
  assert.equal(Number(balance), 40, 'and the points');
  assert.deepEqual(c.json(['redemption', 'list', ...b, '--status', 'fulfilled']).redemptions.map((r: { id: number }) => r.id), [first.redemption.id]);
  assert.equal(c.json(['reward', 'archive', ...b, '--id', String(added.id)]).reward.status, 'archived');
  refusedCli(c, ['reward', 'redeem', ...b, '--id', String(added.id), '--advocate', String(advocate)], /archived/);
});
