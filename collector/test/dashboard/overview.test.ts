// The overview page (GET /dashboard): after a visit, a claim, a conversion and a partial refund it shows those
// figures beside the previous period, the daily table the chart is drawn from, the funnel, the top lists and the
// latest conversion; a bad range is a 400 naming the field; a user of another brand sees none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { signedIn } from '../support/dashboard.ts';
import { DAY_MS, PATHS, testClock } from '../support/fixtures.ts';

/** The text of the page without tags and with collapsed spaces, to read figures as a person does. */
const words = (markup: string) => markup.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

test('the overview shows the period\'s figures beside the previous period\'s, per UTC day, with the funnel and top lists', async (t) => {
  const clock = testClock('2026-05-02T09:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const post = async (path: string, body: unknown, status: number) => {
    const r = await c.post(path, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body.data;
  };
  // The day before: one visit and a conversion, the previous period of a one-day range.
  await post(PATHS.visit, { referral_code: 'V2AVMRDJ', utm_source: 'newsletter' }, 200);
  await post(PATHS.conversion, { customer_email: 'first@customer.example', order_id: 'ORD-1', order_value: 40, referral_code: 'V2AVMRDJ' }, 201);
  clock.advance(DAY_MS);
  // The demo loop on 3 May: a visit, a claim, a conversion with products, a partial refund.
  const { visitor_id: visitor } = await post(PATHS.visit, { referral_code: 'JOHN123', share_channel: 'whatsapp', utm_source: 'wa' }, 200);
  await post(PATHS.claim, { referral_code: 'JOHN123', email: 'buyer@customer.example', visitor_id: visitor }, 201);
  const conversion = await post(PATHS.conversion, {
    customer_email: 'buyer@customer.example', order_id: 'ORD-2', order_value: 100, visitor_id: visitor,
    products: [{ name: 'Classic T-Shirt', price: 30, quantity: 2 }, { name: 'Canvas Tote', price: 40 }],
  }, 201);
  await post(PATHS.refund, { order_id: 'ORD-2', refund_amount: 25, is_full_refund: false, refund_reason: 'one tote returned' }, 200);

  const owner = await signedIn(c);
  const page = await owner.get('/dashboard?range=custom&from=2026-05-03&to=2026-05-03');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const text = words(page.text);
  assert.match(text, /May 3, 2026 to May 3, 2026 \(1 day\), compared with the 1 day before \(May 2, 2026 to May 2, 2026\)/);
  assert.match(text, /Days are UTC days, midnight to midnight UTC/);
  assert.match(text, /Clicks 1 previous period 1 \(no change\)/);
  assert.match(text, /Claims 1 previous period 0 \(new\)/);
  assert.match(text, /Conversions 1 previous period 1 \(no change\)/);
  assert.match(text, /Revenue, net of refunds \$75\.00 previous period \$40\.00 \(\+87\.5%\)/);
  assert.match(text, /Revenue before refunds \$100\.00 previous period \$40\.00/);
  assert.match(text, /Refunded \$25\.00 previous period \$0\.00/);
  // The default programme pays 10% of the revenue after refunds, pending until the cooling period ends.
  assert.match(text, /Pending \$7\.50 previous period \$4\.00/);
  // The daily table, one row per UTC day with the raw numbers the chart script reads.
  assert.match(page.text, /<tr data-day="2026-05-03" data-clicks="1" data-conversions="1" data-revenue="7500">/);
  assert.match(text, /Visits \(clicks\) 1 Claims 1 100% of visits Conversions 1 100% of visits/);
  assert.match(text, /John Smith 1 \$75\.00/);
  // 60 + 40 of a 100 order refunded by a quarter.
  assert.match(text, /Classic T-Shirt 2 \$45\.00 \$60\.00/);
  assert.match(text, /Canvas Tote 1 \$30\.00 \$40\.00/);
  assert.match(text, /whatsapp 1 100%/);
  assert.match(text, /wa 1 100%/);
  assert.match(page.text, new RegExp(`<a href="/dashboard/conversions/${conversion.id}">ORD-2</a>`));
  assert.doesNotMatch(page.text, /ORD-1/, 'the day before is not in the latest conversions of the range');
  // The chart is a progressive addition: its script and uPlot's stylesheet, and no inline script or style.
  assert.match(page.text, /<script src="\/dashboard\/assets\/overview\.js" defer><\/script>/);
  assert.match(page.text, /<link rel="stylesheet" href="\/dashboard\/assets\/uplot\.css">/);
  assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)/);
  assert.doesNotMatch(page.text, /\sstyle=/);

  // The presets: the last 7 days, today (UTC) included; 30 by default.
  assert.match(words((await owner.get('/dashboard?range=7')).text), /Apr 27, 2026 to May 3, 2026 \(7 days\)/);
  const preset = words((await owner.get('/dashboard')).text);
  assert.match(preset, /Apr 4, 2026 to May 3, 2026 \(30 days\)/);
  assert.match(preset, /Clicks 2 previous period 0 \(new\)/);
});

test('a range the form cannot mean is a 400 naming the field, and another brand\'s user sees none of this brand', async (t) => {
  const clock = testClock('2026-05-03T09:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  assert.equal((await c.post(PATHS.conversion, { customer_email: 'b@customer.example', order_id: 'ORD-A', order_value: 80, referral_code: 'JOHN123' })).status, 201);
  const owner = await signedIn(c);
  for (const [query, field, message] of [
    ['range=custom&from=2026-05-03', 'to', 'is required for a custom range'],
    ['from=2026-05-10&to=2026-05-01', 'to', 'must be on or after from'],
    ['range=custom&from=2025-01-01&to=2026-05-01', 'to', 'must be at most 366 days after from'],
    ['range=custom&from=2026-02-30&to=2026-03-01', 'from', 'is not a valid date'],
    ['range=14', 'range', 'must be 7, 30, 90 or custom'],
  ]) {
    const page = await owner.get(`/dashboard?${query}`);
    assert.equal(page.status, 400, query);
    assert.match(page.text, new RegExp(`id="f-${field}-error">${message}<`), query);
    assert.doesNotMatch(page.text, /ORD-A/, query);
  }

  const other = await signedIn(c, { brand: await c.addBrand() });
  const page = await other.get('/dashboard?range=7');
  assert.equal(page.status, 200);
  assert.match(words(page.text), /Conversions 0 previous period 0/);
  assert.doesNotMatch(page.text, /ORD-A|John Smith/);
  assert.match((await owner.get('/dashboard?range=7')).text, /ORD-A/);
});

test('the campaign select shows one campaign\'s figures, all campaigns their sum; it stays in the form; another brand\'s campaign is a 404', async (t) => {
  const clock = testClock('2026-05-03T09:00:00.000Z');
  const c = await startTestCollector({ now: clock.now });
  t.after(() => c.close());
  const call = async (method: string, path: string, body: unknown, status: number) => {
    const r = await c.call(method, path, body);
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body.data;
  };
  const { campaign: partners } = await call('POST', '/api/v1/campaigns', { name: 'Partners & Co' }, 201);
  const tess = (await c.call('GET', '/api/v1/advocates', undefined, { query: { limit: 100 } })).body.data.advocates
    .find((a: { name: string }) => a.name === 'Tess Tester').id;
  await call('PATCH', `/api/v1/advocates/${tess}`, { campaign_id: partners.id }, 200);
  // The default campaign: two visits, one conversion of 80; Partners: one visit, one conversion of 30.
  for (const code of ['JOHN123', 'V2AVMRDJ', 'TESTCODE']) assert.equal((await c.post(PATHS.visit, { referral_code: code })).status, 200);
  for (const [order, value, code] of [['ORD-D', 80, 'JOHN123'], ['ORD-P', 30, 'TESTCODE']] as const) {
    assert.equal((await c.post(PATHS.conversion, { customer_email: `${order}@customer.example`, order_id: order, order_value: value, referral_code: code })).status, 201);
  }
  const home = (await c.deps.q.brands.getBrand(c.brand.brand_id))!.defaultCampaignId;

  const owner = await signedIn(c);
  const all = await owner.get('/dashboard?range=7');
  assert.equal(all.status, 200);
  // The select: every campaign of the brand, all of them by default.
  assert.match(all.text, /<select id="f-campaign" name="campaign"[^>]*>\s*<option value="" selected>All campaigns<\/option>/);
  assert.match(all.text, new RegExp(`<option value="${partners.id}">Partners &amp; Co</option>`));
  assert.match(words(all.text), /Every campaign's figures, summed/);
  assert.match(words(all.text), /Clicks 3 previous period 0/);
  assert.match(words(all.text), /Conversions 2 previous period 0/);
  assert.match(words(all.text), /Revenue, net of refunds \$110\.00/);

  const theirs = await owner.get(`/dashboard?range=7&campaign=${partners.id}`);
  assert.equal(theirs.status, 200);
  const text = words(theirs.text);
  assert.match(theirs.text, new RegExp(`<option value="${partners.id}" selected>`));
  assert.match(text, /Campaign Partners & Co only/);
  assert.match(text, /Clicks 1 previous period 0/);
  assert.match(text, /Conversions 1 previous period 0/);
  assert.match(text, /Revenue, net of refunds \$30\.00/);
  assert.match(text, /Tess Tester 1 \$30\.00/);
  assert.match(theirs.text, /ORD-P/);
  assert.doesNotMatch(theirs.text, /ORD-D|John Smith/);
  const mine = words((await owner.get(`/dashboard?range=7&campaign=${home}`)).text);
  assert.match(mine, /Clicks 2 previous period 0/);
  assert.match(mine, /Revenue, net of refunds \$80\.00/);
  assert.doesNotMatch(mine, /ORD-P|Tess Tester/);
  // Its commissions owed today are the campaign's: 10 % of 80 pending here; Partners' 10 % of 30 there.
  assert.match(mine, /Owed today, whatever the period: \$8\.00 pending/);
  assert.match(text, /Owed today, whatever the period: \$3\.00 pending/);

  // A range the form cannot mean keeps the campaign chosen.
  const bad = await owner.get(`/dashboard?range=custom&from=2026-05-03&campaign=${partners.id}`);
  assert.equal(bad.status, 400);
  assert.match(bad.text, new RegExp(`<option value="${partners.id}" selected>`));
  // An id that names no campaign of this brand (another brand's, none, not an id) is a 404, as an unknown id's page is.
  const other = await c.addBrand();
  const foreign = (await c.deps.q.brands.getBrand(other.brand_id))!.defaultCampaignId;
  for (const id of [String(foreign), '999999', 'abc', '-1']) {
    const page = await owner.get(`/dashboard?range=7&campaign=${id}`);
    assert.equal(page.status, 404, id);
    assert.match(page.text, /No campaign with this id for this brand/, id);
    assert.doesNotMatch(page.text, /ORD-/, id);
  }
  assert.equal((await owner.get('/dashboard?campaign=')).status, 200, 'an empty choice is all campaigns');
});
