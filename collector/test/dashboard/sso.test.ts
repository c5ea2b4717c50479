// The dashboard's single sign-on page (/dashboard/sso, a Settings tab) over HTTP: the mappings as GET /sso/mappings
// answers them, a new mapping through the API's schema and use case (a refusal beside its field, nothing written; a
// customer mapped twice refused), its deletion, and a viewer who reads and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, signedIn } from '../support/dashboard.ts';
import { advocateId } from '../support/fixtures.ts';

test('SSO mappings: added through the API\'s schema (refused beside its field), listed, deleted; a viewer changes nothing', async (t) => {
  const c = await startTestCollector({ now: () => new Date('2026-12-01T10:00:00Z') });
  t.after(() => c.close());
  const owner = await signedIn(c);
  const john = await advocateId(c, 'JOHN123');
  const first = await owner.get('/dashboard/sso');
  assert.equal(first.status, 200);
  assert.match(first.text, /No mapping yet/);
  assert.match(first.text, /enrolled and mapped/, 'auto-enrolment is on by default');

  const bad = await owner.post('/dashboard/sso', { external_customer_id: 'cus_9', advocate_id: String(john), external_email: 'nope' });
  assert.equal(bad.status, 400);
  assert.match(fieldError(bad, 'external_email') ?? '', /email address/);
  const unknown = await owner.post('/dashboard/sso', { external_customer_id: 'cus_9', advocate_id: '999999' });
  assert.equal(unknown.status, 404);
  assert.equal((await c.call('GET', '/api/v1/sso/mappings')).body.data.mappings.length, 0, 'nothing written');

  const added = await owner.post('/dashboard/sso', { external_customer_id: 'cus_9', advocate_id: String(john), external_email: 'john@shop.example', external_name: 'John S.' });
  assert.match(await noticeAfter(owner, added), new RegExp(`cus_9 is mapped to advocate ${john}`));
  const [mapping] = (await c.call('GET', '/api/v1/sso/mappings')).body.data.mappings;
  assert.deepEqual([mapping.external_customer_id, mapping.advocate_id, mapping.external_email, mapping.external_name], ['cus_9', john, 'john@shop.example', 'John S.']);
  assert.match(rowWith(await owner.get('/dashboard/sso'), '<code>cus_9</code>'), new RegExp(`cus_9 advocate ${john} john@shop.example John S\\.`));
  const twice = await owner.post('/dashboard/sso', { external_customer_id: 'cus_9', advocate_id: String(john) });
  assert.equal(twice.status, 409);
  assert.match(fieldError(twice, 'external_customer_id') ?? '', /mapped to an advocate already/);

  const viewer = await signedIn(c, { role: 'viewer' });
  const read = await viewer.get('/dashboard/sso');
  assert.ok(read.text.includes('<code>cus_9</code>') && !read.text.includes('New mapping'), 'a viewer reads, with nothing to press');
  assert.equal((await viewer.post(`/dashboard/sso/${mapping.id}/delete`, {})).status, 403);

  assert.match(await noticeAfter(owner, await owner.post(`/dashboard/sso/${mapping.id}/delete`, {})), new RegExp(`Mapping ${mapping.id} deleted`));
  assert.equal((await c.call('GET', '/api/v1/sso/mappings')).body.data.mappings.length, 0);
  assert.equal((await owner.post(`/dashboard/sso/${mapping.id}/delete`, {})).status, 404);
});
