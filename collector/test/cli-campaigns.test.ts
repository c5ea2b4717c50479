// referloop campaign list/get/add/set/archive, record list/get, and advocate create/list/update --campaign on this run's engine: the API's answer shapes with
// --json, the rules by KEY=VALUE as PATCH takes them, refusals naming the field with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueries } from '../src/db/queries.ts';
import { zCreateAdvocateRequest } from '../src/schemas/advocates.ts';
import { createAdvocate } from '../src/services/advocates.ts';
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
  assert.equal(added.signup, 'closed');
  assert.equal(c.json(['campaign', 'set', ...b, '--id', String(added.id), 'signup=approval']).campaign.signup, 'approval');
  refusedCli(c, ['campaign', 'set', ...b, '--id', String(added.id), 'signup=sometimes'], /signup/);

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

test('record list and get: the referral records as GET /referral-records answers them, filtered; a campaign\'s action rules by KEY=VALUE', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const [only] = c.json(['campaign', 'list', ...b]).campaigns;
  const set = c.json(['campaign', 'set', ...b, '--id', String(only.id), 'enrolment_reward_type=fixed', 'enrolment_reward_value=3']).campaign;
  assert.deepEqual([set.enrolment_reward_type, set.enrolment_reward_value], ['fixed', 3]);
  refusedCli(c, ['campaign', 'set', ...b, '--id', String(only.id), 'clicks_threshold=0'], /clicks_threshold/);
  const ann = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann', '--code', 'ANN10']);
  // An advocate referred by Ann (the API's use case, as another process would): her enrolment reward.
  const store = await c.open();
  const q = createQueries(store.db);
  await store.db.transaction(async () => {
    const ctx = { q, brand: (await q.brands.getBrand(brand))!, now: new Date() };
    await createAdvocate(ctx, zCreateAdvocateRequest.parse({ email: 'bo@advocate.example', name: 'Bo', referred_by: ann.advocate_id }));
  });
  const [record, ...more] = c.json(['record', 'list', ...b, '--action', '2']).referral_records;
  assert.equal(more.length, 0);
  assert.deepEqual([record.referrer_advocate_id, record.reward_earned, record.reward_action_type, record.referred_customer.email],
    [ann.advocate_id, 3, 2, 'bo@advocate.example']);
  assert.deepEqual(c.json(['record', 'get', ...b, '--uuid', record.uuid]).referral_record, record);
  assert.equal(c.json(['record', 'list', ...b, '--action', '1']).referral_records.length, 0);
  assert.equal(c.json(['record', 'list', ...b, '--email', 'bo@advocate.example']).referral_records.length, 1);
  refusedCli(c, ['record', 'list', ...b, '--action', '7'], /reward_action_type/);
  refusedCli(c, ['record', 'get', ...b, '--uuid', '0e7b6b0c-2d5f-4a8e-bb1d-9f3c2a1e4d5c'], /referral record/);
});
