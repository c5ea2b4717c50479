// The dashboard's portal link (issue 14): an owner makes an advocate's single-use link from the advocate's page; the
// answer shows it this once and it opens that advocate's portal, once; a viewer cannot make one; a blocked advocate
// gets none; nothing of the link but its hash is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { signedIn, textOf } from '../support/dashboard.ts';
import { enterPortal } from '../support/portal.ts';
import { advocateId, rows } from '../support/fixtures.ts';

test("an owner makes John's portal link on his page: shown once, it opens John's portal once; a viewer and a blocked advocate get none", async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const john = await advocateId(c, 'JOHN123');
  const owner = await signedIn(c);
  const page = await owner.get(`/dashboard/advocates/${john}`);
  assert.match(page.text, new RegExp(`<form class="inline" method="post" action="/dashboard/advocates/${john}/portal-link">`));

  const made = await owner.post(`/dashboard/advocates/${john}/portal-link`, {});
  assert.equal(made.status, 201, made.text.slice(0, 300));
  assert.match(textOf(made.text), /Send this link to John Smith/);
  const link = /<pre class="copy" id="portal-link">([^<]+)<\/pre>/.exec(made.text)?.[1] ?? '';
  assert.match(link, /^http:\/\/[^/]+\/portal\/enter\/[A-Za-z0-9_-]{43}$/, made.text.slice(0, 2000));
  const [stored] = await rows(c, 'SELECT token_hash, advocate_id FROM portal_links');
  assert.equal(Number(stored.advocate_id), john);
  assert.ok(!JSON.stringify(stored).includes(link.split('/').pop()!), 'only its hash is stored');

  const { client, res } = await enterPortal(c, new URL(link).pathname);
  assert.equal(res.status, 303);
  assert.match(textOf((await client.get('/portal')).text), /Hello, John Smith/);
  assert.equal((await enterPortal(c, new URL(link).pathname)).res.status, 410, 'used once');

  const viewer = await signedIn(c, { role: 'viewer' });
  assert.doesNotMatch((await viewer.get(`/dashboard/advocates/${john}`)).text, /portal-link/);
  assert.equal((await viewer.post(`/dashboard/advocates/${john}/portal-link`, {})).status, 403);

  await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' });
  assert.doesNotMatch((await owner.get(`/dashboard/advocates/${john}`)).text, /Make a portal link/);
  const refused = await owner.post(`/dashboard/advocates/${john}/portal-link`, {});
  assert.equal(refused.status, 403);
  assert.match(textOf(refused.text), /blocked/);
  assert.equal((await rows(c, 'SELECT id FROM portal_links')).length, 1, 'nothing more written');
});
