// referloop sso mapping list/add/remove on this run's engine: the API's answer shapes with --json, a refusal naming
// its field with nothing written, a customer mapped once, and the mapping removed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli } from './support/processes.ts';

test('sso mapping commands: add (refused naming the field, a customer mapped once), list, remove', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']).advocate_id as number;

  refusedCli(c, ['sso', 'mapping', 'add', ...b, '--advocate', String(advocate), '--customer', 'cus_1', '--email', 'not-an-email'], /external_email/);
  refusedCli(c, ['sso', 'mapping', 'add', ...b, '--advocate', '999999', '--customer', 'cus_1'], /advocate_id/);
  assert.equal(c.json(['sso', 'mapping', 'list', ...b]).mappings.length, 0, 'nothing written');
  const added = c.json(['sso', 'mapping', 'add', ...b, '--advocate', String(advocate), '--customer', 'cus_1', '--email', 'ann@shop.example', '--name', 'Ann A.']).mapping;
  assert.deepEqual([added.advocate_id, added.external_customer_id, added.external_email, added.external_name], [advocate, 'cus_1', 'ann@shop.example', 'Ann A.']);
  refusedCli(c, ['sso', 'mapping', 'add', ...b, '--advocate', String(advocate), '--customer', 'cus_1'], /mapped already/);
  assert.deepEqual(c.json(['sso', 'mapping', 'list', ...b, '--advocate', String(advocate)]).mappings.map((m: { id: number }) => m.id), [added.id]);
  assert.deepEqual(c.json(['sso', 'mapping', 'remove', ...b, '--id', String(added.id)]), { id: added.id, deleted: true });
  assert.equal(c.json(['sso', 'mapping', 'list', ...b]).mappings.length, 0);
  refusedCli(c, ['sso', 'mapping', 'remove', ...b, '--id', String(added.id)], /No mapping/);
});
