// Single sign-on (issue 13, 002_*'s /sso) over HTTP: a site's customer recognised by an HMAC of the brand's secret key
// (002_*'s camelCase request as a fixture), mapped once and enrolled by email when the brand enrols; a wrong
// signature, a timestamp 301 s old or ahead, another brand's id: 401; the session token opens GET /sso/session for an
// hour and no management route; the operator's mappings.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, type TestBrand, type TestCollector } from '../support/collector.ts';
import { advocateId } from '../support/fixtures.ts';
import { ssoSignature, type SsoClaim } from '../../src/domain/sso.ts';

const START = Date.parse('2026-12-01T10:00:00Z');

async function setUp(t: TestContext) {
  const clock = { ms: START };
  const c = await startTestCollector({ now: () => new Date(clock.ms) });
  t.after(() => c.close());
  return { c, clock };
}

/** 002_*'s request: { businessId, externalCustomerId, timestamp, signature }, signed with `brand`'s secret key (or `signWith`). */
function recognition(brand: TestBrand, fields: { customer: string; email?: string; name?: string; at?: number; signWith?: string; businessId?: string }) {
  const claim: SsoClaim = {
    businessId: fields.businessId ?? brand.brand_id, externalCustomerId: fields.customer, timestamp: String(Math.floor((fields.at ?? START) / 1000)),
    externalEmail: fields.email ?? null, externalName: fields.name ?? null,
  };
  return {
    businessId: claim.businessId, externalCustomerId: claim.externalCustomerId, timestamp: Number(claim.timestamp),
    ...(fields.email ? { externalEmail: fields.email } : {}), ...(fields.name ? { externalName: fields.name } : {}),
    signature: ssoSignature(fields.signWith ?? brand.secret_key, claim),
  };
}

/** POST /sso/recognize with no API key (the signature is the proof). */
const recognize = (c: TestCollector, body: unknown) => c.request('POST', '/api/v1/sso/recognize', {
  headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});
const sessionWith = (c: TestCollector, token: string) => c.request('GET', '/api/v1/sso/session', { headers: { authorization: `Bearer ${token}` } });

test('a mapped customer is recognised: a session token that opens GET /sso/session for an hour, and no management route', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  const mapped = await c.call('POST', '/api/v1/sso/mappings', { advocateId: john, externalCustomerId: 'cus_1001', externalEmail: 'john@shop.example' });
  assert.equal(mapped.status, 201, JSON.stringify(mapped.body));
  assert.deepEqual({ ...mapped.body.data.mapping, id: 0, created_at: '' },
    { id: 0, advocate_id: john, external_customer_id: 'cus_1001', external_email: 'john@shop.example', external_name: null, created_at: '' });

  const res = await recognize(c, recognition(c.brand, { customer: 'cus_1001' }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { advocate_id, session_token, expires_at, enrolled } = res.body.data;
  assert.equal(advocate_id, john);
  assert.equal(enrolled, false);
  assert.match(session_token, /^rl_st_[A-Za-z0-9_-]{43}$/);
  assert.equal(expires_at, new Date(START + 3_600_000).toISOString());
  // Kept only as its hash.
  const stored = await c.deps.db.prepare('SELECT token_hash FROM sso_sessions', { pluck: true }).all() as string[];
  assert.equal(stored.length, 1);
  assert.ok(!stored[0]!.includes(session_token.slice(6)) && stored[0] !== session_token);

  const session = await sessionWith(c, session_token);
  assert.equal(session.status, 200);
  assert.deepEqual(session.body.data, { advocate_id: john, expires_at });
  // The token is no API key: every management route refuses it, as a Bearer or as X-API-Key.
  const tries: Array<Record<string, string>> = [{ authorization: `Bearer ${session_token}` }, { 'x-api-key': session_token, 'x-brand-id': c.brand.brand_id }];
  for (const headers of tries) {
    for (const path of ['/api/v1/advocates', `/api/v1/advocates/${john}`, '/api/v1/sso/mappings', '/api/v1/settings']) {
      assert.equal((await c.request('GET', path, { headers })).status, 401, `${path} with ${Object.keys(headers)[0]}`);
    }
  }
  clock.ms = START + 3_600_000;
  const expired = await sessionWith(c, session_token);
  assert.equal(expired.status, 401);
  assert.equal(expired.body.code, 'invalid_session');
  assert.equal((await sessionWith(c, 'rl_st_not-a-token')).status, 401);
});

test('the retention sweep deletes the sessions past their expiry, of every brand, and keeps the live ones', async (t) => {
  const { c, clock } = await setUp(t);
  const other = await c.addBrand();
  const sessions = async () => await c.deps.db.prepare('SELECT brand_id, expires_at FROM sso_sessions ORDER BY id').all() as Array<{ brand_id: string; expires_at: string }>;
  for (const brand of [c.brand, other]) {
    await c.call('POST', '/api/v1/sso/mappings', { advocate_id: await advocateId(c, 'JOHN123', brand), external_customer_id: 'cus_1' }, { brand });
  }
  const first = await recognize(c, recognition(c.brand, { customer: 'cus_1' }));
  const theirs = await recognize(c, recognition(other, { customer: 'cus_1' }));
  assert.deepEqual([first.status, theirs.status], [200, 200]);
  clock.ms = START + 1_800_000;
  const later = await recognize(c, recognition(c.brand, { customer: 'cus_1', at: clock.ms }));
  assert.equal(later.status, 200);

  // An hour on, exactly: a session expiring now is refused already, and kept until it is past.
  clock.ms = START + 3_600_000;
  await c.deps.retention.sweepOnce();
  assert.equal((await sessions()).length, 3);
  clock.ms += 1;
  await c.deps.retention.sweepOnce();
  assert.deepEqual(await sessions(), [{ brand_id: c.brand.brand_id, expires_at: new Date(START + 5_400_000).toISOString() }], 'both brands\' expired sessions gone');
  assert.equal((await sessionWith(c, later.body.data.session_token)).status, 200, 'the live one still opens');
  assert.equal((await sessionWith(c, first.body.data.session_token)).status, 401);
});

test('refused with a 401: a wrong signature, a flipped byte, a timestamp 301 s old or ahead, another brand\'s id or key', async (t) => {
  const { c } = await setUp(t);
  const other = await c.addBrand();
  await c.call('POST', '/api/v1/sso/mappings', { advocate_id: await advocateId(c, 'JOHN123'), external_customer_id: 'cus_1' });
  const good = recognition(c.brand, { customer: 'cus_1' });
  const flipped = { ...good, signature: (good.signature[0] === 'a' ? 'b' : 'a') + good.signature.slice(1) };
  const cases: Array<[string, unknown]> = [
    ['signed with another brand\'s key', recognition(c.brand, { customer: 'cus_1', signWith: other.secret_key })],
    ['one hex digit flipped', flipped],
    ['another customer than signed', { ...good, externalCustomerId: 'cus_2' }],
    ['301 s old', recognition(c.brand, { customer: 'cus_1', at: START - 301_000 })],
    ['301 s ahead', recognition(c.brand, { customer: 'cus_1', at: START + 301_000 })],
    ['another brand\'s id, this brand\'s key', recognition(c.brand, { customer: 'cus_1', businessId: other.brand_id })],
    ['an unknown business', recognition(c.brand, { customer: 'cus_1', businessId: 'no-such-brand' })],
  ];
  for (const [what, body] of cases) {
    const res = await recognize(c, body);
    assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
  }
  assert.equal((await recognize(c, recognition(c.brand, { customer: 'cus_1', at: START - 300_000 }))).status, 200, '300 s is still in time');
  assert.equal((await recognize(c, good)).status, 200);
  assert.equal(await c.deps.db.prepare('SELECT count(*) FROM sso_sessions', { pluck: true }).get(), 2, 'a session for each accepted one only');

  // A malformed request names its field (400) before any signature is checked.
  const bad = await recognize(c, { businessId: c.brand.brand_id, externalCustomerId: 'cus_1', timestamp: 'soon', signature: 'xyz' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.details.map((d: { field: string }) => d.field).sort(), ['signature', 'timestamp']);
  const missing = await recognize(c, { timestamp: good.timestamp, signature: good.signature });
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body.details.map((d: { field: string }) => d.field).sort(), ['business_id', 'external_customer_id']);
  const newline = await recognize(c, { ...good, externalCustomerId: 'cus_1\nx' });
  assert.equal(newline.status, 400);
  assert.equal(newline.body.details[0].field, 'externalCustomerId');
});

test('an unmapped customer with an email is enrolled (or tied to the advocate with that email) once, also at once; with auto-enrolment off a 404', async (t) => {
  const { c } = await setUp(t);
  // Tied to the existing advocate of that email.
  const john = await advocateId(c, 'JOHN123');
  const known = await recognize(c, recognition(c.brand, { customer: 'cus_john', email: 'John@Advocate.example' }));
  assert.equal(known.status, 200, JSON.stringify(known.body));
  assert.deepEqual([known.body.data.advocate_id, known.body.data.enrolled], [john, false]);

  // A new advocate in the default campaign, made once although five recognitions arrive together.
  const body = recognition(c.brand, { customer: 'cus_new', email: 'new.customer@shop.example', name: 'Nia Newton' });
  const answers = await Promise.all(Array.from({ length: 5 }, () => recognize(c, body)));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200, 200, 200]);
  const ids = new Set(answers.map((a) => a.body.data.advocate_id));
  assert.equal(ids.size, 1);
  assert.equal(answers.filter((a) => a.body.data.enrolled).length, 1, 'enrolled by one of them');
  const advocate = (await c.call('GET', `/api/v1/advocates/${[...ids][0]}`)).body.data.advocate;
  assert.deepEqual([advocate.email, advocate.name, advocate.campaign_id], ['new.customer@shop.example', 'Nia Newton', (await c.deps.q.brands.getBrand(c.brand.brand_id))!.defaultCampaignId]);
  const mappings = (await c.call('GET', '/api/v1/sso/mappings', undefined, { query: { advocate_id: advocate.id } })).body.data.mappings;
  assert.equal(mappings.length, 1);

  // No email: a 404 naming the customer; auto-enrolment off: the same.
  const noEmail = await recognize(c, recognition(c.brand, { customer: 'cus_anon' }));
  assert.equal(noEmail.status, 404);
  assert.equal(noEmail.body.details[0].field, 'external_customer_id');
  assert.equal((await c.call('PATCH', '/api/v1/settings', { sso_auto_enrol: false })).status, 200);
  assert.equal((await c.call('GET', '/api/v1/settings')).body.data.settings?.sso_auto_enrol ?? (await c.call('GET', '/api/v1/settings')).body.data.sso_auto_enrol, false);
  const off = await recognize(c, recognition(c.brand, { customer: 'cus_later', email: 'later@shop.example' }));
  assert.equal(off.status, 404);
  assert.match(off.body.error, /sso_auto_enrol is off/);
  assert.equal((await c.call('GET', '/api/v1/advocates', undefined, { query: { search: 'later@shop.example' } })).body.data.advocates.length, 0, 'nobody enrolled');
  // Mapped customers are still recognised.
  assert.equal((await recognize(c, recognition(c.brand, { customer: 'cus_new', email: 'new.customer@shop.example', name: 'Nia Newton' }))).status, 200);

  // A blocked advocate gets no session.
  await c.call('PATCH', `/api/v1/advocates/${john}`, { status: 'blocked' });
  const blocked = await recognize(c, recognition(c.brand, { customer: 'cus_john', email: 'John@Advocate.example' }));
  assert.equal(blocked.status, 403);
});

test('mappings: each field named when bad, a customer mapped once (409), another brand\'s advocate a 404, deleted; the list pages', async (t) => {
  const { c } = await setUp(t);
  const other = await c.addBrand({ codes: [['OTHERCODE', 'Olga Other', 'olga@other.example']] });
  const olga = await c.deps.db.prepare('SELECT advocate_id FROM referral_codes WHERE brand_id = ? AND code = ?', { pluck: true }).get(other.brand_id, 'OTHERCODE') as number;
  const empty = await c.call('POST', '/api/v1/sso/mappings', {});
  assert.equal(empty.status, 400);
  assert.deepEqual(empty.body.details.map((d: { field: string }) => d.field).sort(), ['advocate_id', 'external_customer_id']);
  const badEmail = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: 1, external_customer_id: 'cus_e', external_email: 'not-an-email' });
  assert.equal(badEmail.status, 400);
  assert.deepEqual(badEmail.body.details.map((d: { field: string }) => d.field), ['external_email']);
  const foreign = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: olga, external_customer_id: 'cus_x' });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.details[0].field, 'advocate_id');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const first = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: sarah, external_customer_id: 'cus_x', external_name: 'Sarah J.' });
  assert.equal(first.status, 201);
  const twice = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: await advocateId(c, 'JOHN123'), external_customer_id: 'cus_x' });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.code, 'mapping_exists');
  for (let i = 0; i < 3; i++) await c.call('POST', '/api/v1/sso/mappings', { advocate_id: sarah, external_customer_id: `cus_p${i}` });
  const page1 = (await c.call('GET', '/api/v1/sso/mappings', undefined, { query: { limit: 3, total: 'true' } })).body.data;
  assert.equal(page1.total, 4);
  assert.deepEqual(page1.mappings.map((m: { external_customer_id: string }) => m.external_customer_id), ['cus_p2', 'cus_p1', 'cus_p0']);
  const page2 = (await c.call('GET', '/api/v1/sso/mappings', undefined, { query: { limit: 3, cursor: page1.next_cursor } })).body.data;
  assert.deepEqual(page2.mappings.map((m: { external_customer_id: string }) => m.external_customer_id), ['cus_x']);
  assert.equal((await c.call('GET', '/api/v1/sso/mappings', undefined, { brand: other })).body.data.mappings.length, 0, "another brand's list is its own");
  assert.equal((await c.call('DELETE', `/api/v1/sso/mappings/${first.body.data.mapping.id}`, undefined, { brand: other })).status, 404);
  const deleted = await c.call('DELETE', `/api/v1/sso/mappings/${first.body.data.mapping.id}`);
  assert.deepEqual(deleted.body.data, { id: first.body.data.mapping.id, deleted: true });
  assert.equal((await c.call('DELETE', `/api/v1/sso/mappings/${first.body.data.mapping.id}`)).status, 404);
});

test("a person's export lists their mappings; their erasure deletes them and ends their advocate's sessions", async (t) => {
  const { c } = await setUp(t);
  const body = recognition(c.brand, { customer: 'cus_erase', email: 'erin@shop.example', name: 'Erin E.' });
  const recognized = await recognize(c, body);
  assert.equal(recognized.status, 200);
  const exported = (await c.call('GET', '/api/v1/people', undefined, { query: { email: 'erin@shop.example' } })).body.data.person;
  assert.deepEqual(exported.sso_mappings.map((m: { external_customer_id: string; external_name: string }) => [m.external_customer_id, m.external_name]),
    [['cus_erase', 'Erin E.']]);
  const erased = await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'erin@shop.example' } });
  assert.equal(erased.status, 200, JSON.stringify(erased.body));
  assert.equal(erased.body.data.erasure.counts.sso_mappings, 1);
  assert.equal(erased.body.data.erasure.counts.sso_sessions, 1);
  assert.equal((await sessionWith(c, recognized.body.data.session_token)).status, 401, 'the session ended');
  assert.equal(await c.deps.db.prepare("SELECT count(*) FROM sso_mappings WHERE external_customer_id = 'cus_erase'", { pluck: true }).get(), 0);
});
