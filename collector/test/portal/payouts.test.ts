// /portal/payouts and /portal/payout-details (issue 14): the payouts the session's advocate received (date, what they
// received, the method they had then, the payout's note, the commissions it paid, as the API recorded them), newest
// first and paged; advocate_payouts equal to its definition; another advocate's or brand's payout a 404; where to be
// paid set through PATCH /advocates/:id's schema and use case (its messages beside the fields, advocate.updated as
// the API publishes it), refused without the CSRF token, nothing for a signed-out browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector } from '../support/collector.ts';
import { browser, fieldError, noticeAfter, textOf, type DashboardClient, type DashboardPage } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { clockedCollector, convert } from '../support/commissions.ts';
import { advocateId, HOUR_MS, PATHS, rows } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';
import { databaseText } from '../support/portalPages.ts';

const money = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);
const payoutRows = (page: DashboardPage) => [...page.text.matchAll(/<tr data-payout="(\d+)">(.*?)<\/tr>/gs)].map((m) => ({ at: Number(m[1]), text: textOf(m[2]!) }));
const idsOn = (page: DashboardPage) => [...page.text.matchAll(/<tr data-commission="(\d+)">/g)].map((m) => Number(m[1]));
const olderLink = (page: DashboardPage) => /<a href="([^"]+)">Older<\/a>/.exec(page.text)?.[1]?.replace(/&amp;/g, '&') ?? null;

function ok(res: { status: number; body: any }) {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data;
}
const approve = async (c: TestCollector, ids: number[], brand?: TestBrand) => {
  for (const id of ids) ok(await c.call('PUT', `/api/v1/commissions/${id}/status`, { status: 'approved' }, brand ? { brand } : {}));
};
const pay = async (c: TestCollector, body: object, brand?: TestBrand) => ok(await c.call('POST', '/api/v1/payouts', body, brand ? { brand } : {}));
const setMethod = async (c: TestCollector, id: number, method: string, details: string) =>
  ok(await c.call('PATCH', `/api/v1/advocates/${id}`, { payment_method: method, payment_details: details }));

/** The advocate's paid commissions as the API answers them, by their payout's moment. */
async function paidByMoment(c: TestCollector, advocate: number, brand?: TestBrand): Promise<Map<number, any[]>> {
  const out = new Map<number, any[]>();
  const res = ok(await c.call('GET', '/api/v1/commissions', undefined, { query: { advocate_id: advocate, status: 'paid', limit: 100 }, ...(brand ? { brand } : {}) }));
  for (const x of res.commissions) out.set(Date.parse(x.paid_at), [...(out.get(Date.parse(x.paid_at)) ?? []), x]);
  return out;
}

/** advocate_payouts' rows equal their definition over the paid cash commissions (counts and sums). */
async function assertDefinition(c: TestCollector) {
  const kept = await rows(c, `SELECT brand_id, advocate_id, paid_at, commissions, cents FROM advocate_payouts WHERE commissions > 0 ORDER BY 1, 2, 3`);
  const defined = await rows(c, `SELECT brand_id, advocate_id, paid_at, count(*) AS commissions, sum(amount) AS cents FROM rewards
    WHERE status = 'paid' AND kind = 'cash' GROUP BY brand_id, advocate_id, paid_at ORDER BY 1, 2, 3`);
  const norm = (rs: any[]) => rs.map((r) => Object.values(r).map(String));
  assert.deepEqual(norm(kept), norm(defined));
}

/** Three payouts of John's (a clawback netted off the last), one shared with Sarah, one of the other brand's John. */
async function threePayouts(t: Parameters<typeof clockedCollector>[0]) {
  const { c, clock } = await clockedCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const other = await c.addBrand();
  const otherJohn = await advocateId(c, 'JOHN123', other);
  const first = [await convert(c, 'J-1', 100), await convert(c, 'J-2', 200)];
  const sarahs = [await convert(c, 'S-1', 300, 'V2AVMRDJ')];
  const othersOwn = [await convert(c, 'X-1', 400, 'JOHN123', other)];
  await approve(c, [...first, ...sarahs]);
  await approve(c, othersOwn, other);
  await setMethod(c, john, 'paypal', 'john@pay.example');
  const run1 = pay(c, { commission_ids: [...first, ...sarahs], note: 'PayPal batch 1' });
  await run1;
  clock.advance(HOUR_MS);
  await pay(c, { commission_ids: othersOwn, note: 'Other brand run' }, other);
  clock.advance(HOUR_MS);
  const second = [await convert(c, 'J-3', 300)];
  await approve(c, second);
  await setMethod(c, john, 'wise', 'GB00 WISE 1234');
  await pay(c, { commission_ids: second, note: 'Wise transfer 2' });
  // J-1 refunded after payment: $10 clawed back, netted off the next payout.
  ok(await c.post(PATHS.refund, { order_id: 'J-1', refund_amount: 100, is_full_refund: true }));
  clock.advance(HOUR_MS);
  const third = [await convert(c, 'J-4', 500)];
  await approve(c, third);
  const answer3 = await pay(c, { commission_ids: third, clawbacks: [{ commission_id: first[0], amount: -10 }] });
  return { c, clock, john, sarah, other, otherJohn, first, second, third, sarahs, othersOwn, answer3 };
}

test('the payouts the advocate received, newest first: date, amount, method then, reference and the commissions each paid, as the API recorded them', async (t) => {
  const { c, john, sarah, other, otherJohn, first, second, third, sarahs, othersOwn, answer3 } = await threePayouts(t);
  await assertDefinition(c);
  assert.deepEqual([answer3.total, answer3.recovered], [40, [{ commission_id: first[0], amount: 10 }]]);
  const client = await inPortal(c, john);
  const page = await client.get('/portal/payouts');
  assert.equal(page.status, 200, page.text.slice(0, 400));
  assert.match(page.text, /<a href="\/portal\/payouts" aria-current="page">Payouts<\/a>/);
  assert.match(page.text, /<caption>Payouts you received, newest first, 20 a page<\/caption>/);
  const paid = await paidByMoment(c, john);
  const listed = payoutRows(page);
  assert.deepEqual(listed.map((r) => r.at), [...paid.keys()].sort((a, b) => b - a), 'one row per payout of John\'s, newest first');
  assert.equal(listed.length, 3);
  const [r3, r2, r1] = listed as [typeof listed[0], typeof listed[0], typeof listed[0]];
  assert.deepEqual(paid.get(r1.at)!.map((x) => x.id).sort(), [...first].sort());
  assert.deepEqual(paid.get(r2.at)!.map((x) => x.id), second);
  assert.deepEqual(paid.get(r3.at)!.map((x) => x.id), third);
  const sum = (at: number) => paid.get(at)!.reduce((s, x) => s + x.amount, 0);
  assert.equal(r1.text, `Apr 14, 2026, 12:00 PM UTC ${money(sum(r1.at))} PayPal PayPal batch 1 2 commissions`);
  assert.equal(r2.text, `Apr 14, 2026, 2:00 PM UTC ${money(sum(r2.at))} Wise Wise transfer 2 1 commission`);
  assert.equal(r3.text, `Apr 14, 2026, 3:00 PM UTC ${money(answer3.total)} (${money(sum(r3.at))} of commissions less ${money(10)} clawed back) Wise none 1 commission`);
  assert.match(textOf(page.text), /Where you are paid Wise: GB00 WISE 1234 Change your payout details/);

  // Each payout's page: its commissions exactly as the API answers them paid at that moment.
  for (const row of listed) {
    const one = await client.get(`/portal/payouts/${row.at}`);
    assert.equal(one.status, 200);
    assert.match(one.text, /<h1>Payout of Apr 14, 2026<\/h1>/);
    assert.deepEqual(idsOn(one), paid.get(row.at)!.map((x) => x.id).sort((a, b) => b - a));
    for (const x of paid.get(row.at)!) assert.ok(textOf(one.text).includes(`Order ${x.order_id} of ${money(x.conversion_amount)}`));
  }
  // The commissions page links a paid commission to its payout.
  assert.match((await client.get('/portal/commissions?status=paid')).text, new RegExp(`<a href="/portal/payouts/${r2.at}">`));

  // Sarah was paid in John's first run: she sees that payout alone, with her commission alone.
  const sarahClient = await inPortal(c, sarah);
  const hers = payoutRows(await sarahClient.get('/portal/payouts'));
  assert.deepEqual(hers.map((r) => r.at), [r1.at]);
  const herPaid = (await paidByMoment(c, sarah)).get(r1.at)!;
  assert.deepEqual(herPaid.map((x) => x.id), sarahs);
  assert.equal(hers[0]!.text, `Apr 14, 2026, 12:00 PM UTC ${money(herPaid[0].amount)} not set PayPal batch 1 1 commission`);
  assert.deepEqual(idsOn(await sarahClient.get(`/portal/payouts/${r1.at}`)), sarahs);
  // The other brand's John: his own one payout.
  const otherClient = await inPortal(c, otherJohn, other);
  const theirs = payoutRows(await otherClient.get('/portal/payouts'));
  assert.equal(theirs.length, 1);
  assert.deepEqual(idsOn(await otherClient.get(`/portal/payouts/${theirs[0]!.at}`)), othersOwn);
});

test('another advocate\'s or another brand\'s payout, or no payout at all, is a 404 that changes nothing', async (t) => {
  const { c, john, otherJohn, other } = await threePayouts(t);
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const client = await inPortal(c, john);
  const johns = payoutRows(await client.get('/portal/payouts')).map((r) => r.at);
  const otherMoment = [...(await paidByMoment(c, otherJohn, other)).keys()][0]!;
  // Sarah has one payout, at John's first moment: every other moment of John's is none of hers.
  const sarahClient = await inPortal(c, sarah);
  const before = await databaseText(c);
  for (const at of johns.slice(0, 2)) {
    const page = await sarahClient.get(`/portal/payouts/${at}`);
    assert.equal(page.status, 404, `John's payout ${at}`);
    assert.match(textOf(page.text), /No payout with this id/);
    assert.deepEqual(idsOn(page), []);
  }
  for (const path of [`/portal/payouts/${otherMoment}`, '/portal/payouts/1', '/portal/payouts/not-a-payout', `/portal/payouts/${johns[0]! + 1}`]) {
    assert.equal((await client.get(path)).status, 404, path);
  }
  // A cursor is a position only: under the other brand's payout John still sees his own.
  const paged = await client.get(`/portal/payouts?before=${otherMoment + 1}`);
  assert.ok(payoutRows(paged).every((r) => johns.includes(r.at)));
  assert.equal(await databaseText(c), before, 'nothing anywhere changed');
});

test('payouts are paged newest first, 20 a page; a payout\'s commissions 50 a page', async (t) => {
  const { c, clock } = await clockedCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const many: number[] = [];
  for (let i = 1; i <= 52; i++) many.push(await convert(c, `M-${i}`, 10 + i));
  await approve(c, many);
  // 51 of them in one payout, then 21 payouts of one commission each
  await pay(c, { commission_ids: many.slice(0, 51), note: 'big run' });
  const bigAt = clock.now().getTime();
  const singles: number[] = [];
  for (let i = 0; i < 21; i++) {
    clock.advance(60_000);
    const id = await convert(c, `N-${i}`, 20);
    await approve(c, [id]);
    await pay(c, { commission_ids: [id] });
    singles.push(clock.now().getTime());
  }
  await assertDefinition(c);
  const client = await inPortal(c, john);
  const first = await client.get('/portal/payouts');
  assert.deepEqual(payoutRows(first).map((r) => r.at), [...singles].reverse().slice(0, 20));
  const second = await client.get(olderLink(first)!);
  assert.deepEqual(payoutRows(second).map((r) => r.at), [singles[0], bigAt]);
  assert.equal(olderLink(second), null);
  const big = await client.get(`/portal/payouts/${bigAt}`);
  assert.deepEqual(idsOn(big), many.slice(0, 51).reverse().slice(0, 50));
  const rest = await client.get(olderLink(big)!);
  assert.deepEqual(idsOn(rest), [many[0]]);
  assert.equal(olderLink(rest), null);
});

async function detailsForm(c: TestCollector) {
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  const endpoint = await subscribeEndpoint(c, ['advocate.updated']);
  const client = await inPortal(c, john);
  const page = await client.get('/portal/payout-details');
  assert.equal(page.status, 200);
  return { john, sarah, endpoint, client, page };
}
const advocateNow = async (c: TestCollector, id: number) => ok(await c.call('GET', `/api/v1/advocates/${id}`)).advocate;

test('payout details: the advocate API\'s two fields, saved with a notice and advocate.updated as the API publishes it; nothing else changes', async (t) => {
  const { c } = await clockedCollector(t);
  const { john, sarah, endpoint, client, page } = await detailsForm(c);
  assert.match(page.text, /<label for="f-payment_method">How to pay you<\/label>/);
  assert.match(page.text, /<label for="f-payment_details">Where to pay you<\/label>/);
  assert.match(page.text, /<input type="hidden" name="_csrf" value="[^"]+">/);
  const sarahBefore = await advocateNow(c, sarah);
  const johnBefore = await advocateNow(c, john);
  assert.match(textOf((await client.get('/portal/payouts')).text), /Where you are paid You have not said yet/);
  await client.get('/portal/payout-details');

  // Only the two fields count: an id, a name, an email or a status posted beside them are not the form's.
  const saved = await client.post('/portal/payout-details', {
    payment_method: 'bank_transfer', payment_details: 'IBAN DE89 3704 0044 0532 0130 00', id: String(sarah), advocate_id: String(sarah),
    name: 'Mallory', email: 'mallory@evil.example', status: 'blocked',
  });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, '/portal/payout-details');
  assert.equal(await noticeAfter(client, saved), 'Your payout details were saved.');
  const after = await advocateNow(c, john);
  assert.deepEqual([after.payment_method, after.payment_details], ['bank_transfer', 'IBAN DE89 3704 0044 0532 0130 00']);
  assert.deepEqual({ ...after, payment_method: null, payment_details: null, updated_at: null },
    { ...johnBefore, payment_method: null, payment_details: null, updated_at: null }, 'nothing else of John changed');
  assert.deepEqual(await advocateNow(c, sarah), sarahBefore, 'Sarah is untouched');
  const events = await storedEvents(c, { endpointId: endpoint.id });
  assert.deepEqual(events.map((e) => e.type), ['advocate.updated']);
  assert.deepEqual(events[0]!.body.data, after, 'the event is the advocate as GET /advocates/:id answers them');
  // The page shows what was saved; empty fields clear both, as null does in the API.
  const shown = await client.get('/portal/payout-details');
  assert.match(shown.text, /<option value="bank_transfer" selected>Bank transfer<\/option>/);
  assert.match(shown.text, /IBAN DE89 3704 0044 0532 0130 00<\/textarea>/);
  assert.match(textOf((await client.get('/portal/payouts')).text), /Where you are paid Bank transfer: IBAN DE89/);
  const cleared = await client.post('/portal/payout-details', { payment_method: '', payment_details: '  ' });
  assert.equal(cleared.status, 303);
  const none = await advocateNow(c, john);
  assert.deepEqual([none.payment_method, none.payment_details], [null, null]);
  assert.equal((await storedEvents(c, { endpointId: endpoint.id })).length, 2);
});

test('payout details: bad input is a 400 with the API\'s message beside its field, and nothing is written', async (t) => {
  const { c } = await clockedCollector(t);
  const { john, endpoint, client } = await detailsForm(c);
  ok(await c.call('PATCH', `/api/v1/advocates/${john}`, { payment_method: 'paypal', payment_details: 'john@pay.example' }));
  const before = await advocateNow(c, john);
  const beforeEvents = (await storedEvents(c, { endpointId: endpoint.id })).length;
  await client.get('/portal/payout-details');
  const everything = await databaseText(c);

  const badMethod = await client.post('/portal/payout-details', { payment_method: 'bitcoin', payment_details: 'bc1q-wallet' });
  assert.equal(badMethod.status, 400);
  assert.equal(fieldError(badMethod, 'payment_method'), 'must be one of paypal, bank_transfer, wise, stripe, check, other');
  assert.equal(fieldError(badMethod, 'payment_details'), undefined);
  assert.match(badMethod.text, /bc1q-wallet<\/textarea>/, 'what was typed is kept');
  const long = await client.post('/portal/payout-details', { payment_method: 'paypal', payment_details: 'x'.repeat(501) });
  assert.equal(long.status, 400);
  assert.equal(fieldError(long, 'payment_details'), 'must be at most 500 characters');
  const nul = await client.post('/portal/payout-details', { payment_method: 'paypal', payment_details: 'a\u0000b' });
  assert.equal(nul.status, 400);
  assert.equal(fieldError(nul, 'payment_details'), 'must not contain a NUL character (U+0000)');
  assert.deepEqual(await advocateNow(c, john), before);
  assert.equal((await storedEvents(c, { endpointId: endpoint.id })).length, beforeEvents, 'no event for a refused form');
  assert.equal(await databaseText(c), everything, 'nothing anywhere changed');
});

test('a POST without the session\'s CSRF token is refused and changes nothing; a signed-out browser gets the 401 page', async (t) => {
  const { c } = await clockedCollector(t);
  const { john, endpoint, client } = await detailsForm(c);
  const before = await advocateNow(c, john);
  const sarahs = await inPortal(c, await advocateId(c, 'V2AVMRDJ'));
  await sarahs.get('/portal');
  const sarahsToken = await sarahs.csrf();
  assert.notEqual(sarahsToken, await client.csrf());
  const everything = await databaseText(c);
  const forms: Array<Record<string, string>> = [{ payment_method: 'paypal', payment_details: 'x@pay.example' }, { payment_method: 'paypal', _csrf: 'not-the-token' }];
  for (const form of forms) {
    const refused = await client.post('/portal/payout-details', form, { csrf: false });
    assert.equal(refused.status, 403);
    assert.match(textOf(refused.text), /not sent from this portal session/);
  }
  // Another session's token is not this one's.
  assert.equal((await client.post('/portal/payout-details', { payment_method: 'paypal', _csrf: sarahsToken })).status, 403);
  assert.deepEqual(await advocateNow(c, john), before);
  assert.equal((await storedEvents(c, { endpointId: endpoint.id })).length, 0);
  assert.equal(await databaseText(c), everything, 'nothing anywhere changed');

  const out: DashboardClient = browser(c);
  for (const path of ['/portal/payouts', '/portal/payouts/1', '/portal/payout-details']) {
    const page = await out.get(path);
    assert.equal(page.status, 401, path);
    assert.match(textOf(page.text), /Not in the portal/);
  }
  const posted = await out.post('/portal/payout-details', { payment_method: 'paypal', _csrf: 'x' });
  assert.equal(posted.status, 401);
  assert.deepEqual(await advocateNow(c, john), before);
  assert.equal(await databaseText(c), everything, 'nothing anywhere changed');
});

test('a person\'s erasure takes the payment method and reference their payouts kept, and leaves the other advocates\' alone', async (t) => {
  const { c, john, sarah } = await threePayouts(t);
  const kept = async (advocate: number) => await rows(c, 'SELECT payment_method, reference FROM advocate_payouts WHERE advocate_id = ? ORDER BY paid_at', advocate);
  assert.deepEqual((await kept(john)).map((r) => [r.payment_method, r.reference]), [['paypal', 'PayPal batch 1'], ['wise', 'Wise transfer 2'], ['wise', null]]);
  const sarahs = await kept(sarah);
  assert.equal(sarahs.length, 1);
  ok(await c.call('DELETE', '/api/v1/people', undefined, { query: { email: 'john@advocate.example' } }));
  assert.deepEqual((await kept(john)).map((r) => [r.payment_method, r.reference]), [[null, null], [null, null], [null, null]]);
  assert.deepEqual(await kept(sarah), sarahs);
  await assertDefinition(c);
});
