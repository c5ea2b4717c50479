// Reverb adapter (issue 15, 003_*): HTTP Basic with the consumer key (the brand id) and the consumer secret (a secret
// API key), and the envelope {"response":{"code","message","data"}} on every answer, errors included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clockedCollector } from '../../support/commissions.ts';
import { assertEnvelope, assertReverbError, basic, BASE, reverb } from './support.ts';

const NOBODY = '/referrals/4f1c9a3e-8b2d-4e6f-9a1b-3c5d7e9f0a2b';

test('the consumer key and secret are the brand id and a secret key, sent as the PHP example sends them (CURLOPT_USERPWD)', async (t) => {
  const { c } = await clockedCollector(t);
  // The right pair reaches the route: an unknown uuid is its 404, in the envelope.
  const data = assertReverbError(await reverb(c, 'GET', NOBODY), 404, 'not_found', 'uuid');
  assert.equal(typeof data.details[0].message, 'string');
  // As curl sends it: user:password, base64, after "Basic".
  const raw = await c.request('GET', BASE + NOBODY, { headers: { Authorization: `basic ${Buffer.from(`${c.brand.brand_id}:${c.brand.secret_key}`).toString('base64')}` } });
  assertReverbError(raw, 404, 'not_found');
});

test('every refusal of the credentials is a 401 or 403 in the envelope, with a Basic challenge on the 401s', async (t) => {
  const { c } = await clockedCollector(t);
  const other = await c.addBrand();
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['none', {}, 401, 'missing_credentials'],
    ['a Bearer key (not this document\'s scheme)', { Authorization: `Bearer ${c.brand.secret_key}` }, 401, 'missing_credentials'],
    ['X-API-Key headers (not this document\'s scheme)', { 'X-API-Key': c.brand.secret_key, 'X-Brand-ID': c.brand.brand_id }, 401, 'missing_credentials'],
    ['no secret', { Authorization: `Basic ${Buffer.from(`${c.brand.brand_id}:`).toString('base64')}` }, 401, 'missing_credentials'],
    ['no key', { Authorization: `Basic ${Buffer.from(`:${c.brand.secret_key}`).toString('base64')}` }, 401, 'missing_credentials'],
    ['not base64', { Authorization: 'Basic !!!' }, 401, 'missing_credentials'],
    ['a wrong secret', { Authorization: basic(c.brand, 'rl_sk_wrong') }, 401, 'invalid_api_key'],
    ['another brand\'s id as the key', { Authorization: `Basic ${Buffer.from(`${other.brand_id}:${c.brand.secret_key}`).toString('base64')}` }, 403, 'brand_mismatch'],
    ['the publishable key as the secret', { Authorization: basic(c.brand, c.brand.publishable_key) }, 403, 'secret_key_required'],
  ];
  for (const [what, headers, status, code] of cases) {
    for (const [method, body] of [['GET', undefined], ['POST', '{"referrer_advocate_uuid":"1","reward_action_type":2}']] as const) {
      const path = method === 'GET' ? NOBODY : '/referrals';
      const res = await c.request(method, BASE + path, { headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) }, ...(body ? { body } : {}) });
      assertReverbError(res, status, code);
      if (status === 401) assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm=/, what);
      assert.doesNotMatch(JSON.stringify(res.body), /rl_(sk|pk)_[A-Za-z0-9]{6}/, `${what}: no key in the answer`);
    }
  }
  assert.equal((await c.call('GET', '/api/v1/referral-records')).body.data.referral_records.length, 0, 'nothing written');
});

test('the envelope is every answer\'s: an unknown route, a bad body, a body too large', async (t) => {
  const { c } = await clockedCollector(t);
  assertReverbError(await reverb(c, 'GET', '/advocates'), 404, 'route_not_found');
  assertReverbError(await c.request('DELETE', `${BASE}/referrals/x`), 404, 'route_not_found');
  assertReverbError(await reverb(c, 'POST', '/referrals', undefined, { raw: '{"website_uuid": ' }), 400, 'invalid_json', 'body');
  assertReverbError(await reverb(c, 'POST', '/referrals', undefined, { raw: '[1,2]', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json', 'body');
  assertReverbError(await reverb(c, 'POST', '/referrals', undefined, { raw: `{"share_code":"${'x'.repeat(200_000)}"}` }), 413, 'payload_too_large');
  // An empty body is a create with nothing: the required fields are named.
  const data = assertReverbError(await reverb(c, 'POST', '/referrals', undefined, { raw: '' }), 400, 'invalid_request', 'referrer_advocate_uuid');
  assert.ok(data.details.some((d: { field: string }) => d.field === 'reward_action_type'));
  // A UUID of the adapter's shape that names nothing of this brand is a 404 too.
  assertEnvelope(await reverb(c, 'GET', `/referrals/${'0'.repeat(8)}-0003-8000-8000-000000000001`), 404, /^Not Found: /);
});
