// referloop campaign list/get/add/set/archive and advocate create/list/update --campaign on this run's engine: the API's answer shapes with
// --json, the rules by KEY=VALUE as PATCH takes them, refusals naming the field with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli } from './support/processes.ts';


test('campaign add, list, get, set, archive and advocate create/list/update --campaign: the API\'s shapes; refusals by field, nothing written', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const [only] = c.json(['campaign', 'list', ...b]).campaigns;
  assert.equal(only.is_default, true);

  const added = c.json(['campaign', 'add', ...b, 'Partners 20%', 'referrer_reward_value=20', 'cooling_period_days=14']).campaign;
  assert.deepEqual([added.name, added.referrer_reward_value, added.cooling_period_days, added.attribution_window_days, added.is_default],
    ['Partners 20%', 20, 14, only.attribution_window_days, false]);
  const changed = c.json(['campaign', 'set', ...b, '--id', String(added.id), 'referrer_reward_type=fixed', 'referrer_reward_value=5']).campaign;
  assert.deepEqual([changed.referrer_reward_type, changed.referrer_reward_value], ['fixed', 5]);

  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']);
  const moved = c.json(['advocate', 'update', ...b, '--id', String(advocate.advocate_id), '--campaign', String(added.id)]).advocate;
  assert.equal(moved.campaign_id, added.id);
  assert.equal(c.json(['campaign', 'list', ...b]).campaigns.find((x: { id: number }) => x.id === added.id).advocate_count, 1);

  refusedCli(c, ['campaign', 'add', ...b, 'Over', 'referrer_reward_value=120'], /referrer_reward_value/);
  refusedCli(c, ['campaign', 'add', ...b, 'Partners 20%'], /Partners 20%/);
  refusedCli(c, ['campaign', 'set', ...b, '--id', String(only.id), 'status=archived'], /default campaign/);
  assert.equal(c.json(['campaign', 'list', ...b]).campaigns.length, 2);
  const joined = c.json(['advocate', 'create', ...b, '--email', 'cy@advocate.example', '--name', 'Cy', '--campaign', String(added.id)]);
  const inPartners = c.json(['advocate', 'list', ...b, '--campaign', String(added.id)]).advocates;
  assert.deepEqual(inPartners.map((a: { id: number }) => a.id).sort(), [advocate.advocate_id, joined.advocate_id].sort());
  assert.equal(c.json(['campaign', 'get', ...b, '--id', String(added.id)]).campaign.advocate_count, 2);
  const archived = c.json(['campaign', 'archive', ...b, '--id', String(added.id)]).campaign;
  assert.equal(archived.status, 'archived');
  const other = c.json(['advocate', 'create', ...b, '--email', 'bo@advocate.example', '--name', 'Bo']);
  refusedCli(c, ['advocate', 'update', ...b, '--id', String(other.advocate_id), '--campaign', String(added.id)], /campaign_id/);
  refusedCli(c, ['advocate', 'create', ...b, '--email', 'dee@advocate.example', '--name', 'Dee', '--campaign', String(added.id)], /campaign_id/);
  refusedCli(c, ['campaign', 'get', ...b, '--id', '999'], /campaign/);
});
