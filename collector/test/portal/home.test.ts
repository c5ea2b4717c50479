// The portal's home (issue 14): the referral link's QR code (server-drawn SVG, read back by an independent decoder),
// its Copy button (the page's script, no inline code), the last 30 days beside the 30 before equal to what the API
// answers for the same days (visits, conversions and commissions by advocate_id, from and to), for this advocate
// alone, and the per-day table the chart is drawn from; daily_advocate_clicks (migration 028) kept as defined.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import jsqrModule from 'jsqr';
import { startTestCollector, type TestCollector } from '../support/collector.ts';
import { textOf } from '../support/dashboard.ts';
import { inPortal, portalLink } from '../support/portal.ts';
import { launchBrowser, openPage, waitFor } from '../../../e2e/support/browser.ts';
import { checkA11y } from '../../../e2e/support/dashboard.ts';
import { advocateId, DAY_MS, PATHS, rows } from '../support/fixtures.ts';

const NOW = Date.parse('2026-12-01T10:00:00Z');
const CURRENT = { from: '2026-11-02', to: '2026-12-01' };
const PREVIOUS = { from: '2026-10-03', to: '2026-11-01' };

async function setUp(t: TestContext) {
  const clock = { ms: NOW };
  const c = await startTestCollector({ now: () => new Date(clock.ms) });
  t.after(() => c.close());
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: ['https://shop.example'] })).status, 200);
  return { c, clock };
}

/** `days` ago (at 10:00 UTC): `visits` visits of `code`, then each order of `orders` converted through it. */
async function activity(c: TestCollector, clock: { ms: number }, daysAgo: number, code: string, visits: number, orders: Array<[string, number]>) {
  clock.ms = NOW - daysAgo * DAY_MS;
  for (let i = 0; i < visits; i++) assert.equal((await c.post(PATHS.visit, { referral_code: code, visitor_id: `v-${code}-${daysAgo}-${i}` })).status, 200);
  for (const [order, value] of orders) {
    const r = await c.post(PATHS.conversion, { customer_email: `${order}@buyer.example`, order_id: order, order_value: value, referral_code: code });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  clock.ms = NOW;
}

/** What the API answers for the advocate over [from, to]: clicks and conversions counted, earnings the cash net_amount summed. */
async function apiFigures(c: TestCollector, advocate: number, range: { from: string; to: string }) {
  const query = { advocate_id: advocate, ...range };
  const total = async (path: string) => {
    const r = await c.call('GET', path, undefined, { query: { ...query, total: 'true', limit: 1 } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data.total as number;
  };
  let cents = 0;
  let cursor: string | null = null;
  do {
    const r = await c.call('GET', '/api/v1/commissions', undefined, { query: { ...query, limit: 100, ...(cursor ? { cursor } : {}) } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const m of r.body.data.commissions as Array<{ kind: string; net_amount: number }>) if (m.kind === 'cash') cents += Math.round(m.net_amount * 100);
    cursor = r.body.data.next_cursor;
  } while (cursor);
  return { clicks: await total('/api/v1/visits'), conversions: await total('/api/v1/conversions'), earnedCents: cents };
}

/** The page's figures of the period table (the raw numbers its cells carry). */
function pageFigures(text: string, which: 'current' | 'previous') {
  const of = (label: string) => {
    const m = new RegExp(`<tr data-period="${label}">[\\s\\S]*?data-${which}="(-?\\d+)"`).exec(text);
    assert.ok(m, `no ${label} row`);
    return Number(m[1]);
  };
  return { clicks: of('Clicks'), conversions: of('Conversions'), earnedCents: of('Earnings') };
}

// jsqr is CommonJS with a default export: Node hands over its exports object, whose `default` is the function.
const jsQR = (jsqrModule as unknown as { default?: typeof jsqrModule.default }).default ?? jsqrModule.default;

/** The SVG's dark modules as pixels (4 per module), read by jsQR as a camera's picture would be. */
function decodeQr(svg: string): string | undefined {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const path = /<path fill="#000" d="([^"]+)"/.exec(svg)?.[1] ?? '';
  const scale = 4;
  const w = size * scale;
  const pixels = new Uint8ClampedArray(w * w * 4).fill(255);
  for (const [, x, y, run] of path.matchAll(/M(\d+) (\d+)h(\d+)v1H\d+z/g)) {
    for (let mx = Number(x); mx < Number(x) + Number(run); mx++) {
      for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
        for (let px = mx * scale; px < (mx + 1) * scale; px++) pixels.fill(0, (py * w + px) * 4, (py * w + px) * 4 + 3);
      }
    }
  }
  return jsQR(pixels, w, w)?.data;
}

test('the home page\'s 30 days beside the 30 before equal what the API answers for those days, for this advocate alone', async (t) => {
  const { c, clock } = await setUp(t);
  const john = await advocateId(c, 'JOHN123');
  await activity(c, clock, 70, 'JOHN123', 1, [['ORD-OUT', 30]]);
  await activity(c, clock, 40, 'JOHN123', 2, [['ORD-OLD', 50]]);
  await activity(c, clock, 10, 'JOHN123', 3, [['ORD-A', 120], ['ORD-B', 80]]);
  await activity(c, clock, 0, 'JOHN123', 1, [['ORD-C', 200]]);
  await activity(c, clock, 0, 'V2AVMRDJ', 4, [['ORD-X', 500]]);
  // A rejected commission earns nothing; a refund lowers what a commission earns.
  const orderB = (await c.call('GET', '/api/v1/commissions', undefined, { query: { advocate_id: john, limit: 100 } })).body.data.commissions
    .find((m: { order_id: string }) => m.order_id === 'ORD-B');
  assert.equal((await c.call('PUT', `/api/v1/commissions/${orderB.id}/status`, { status: 'rejected', reason: 'test' })).status, 200);
  assert.equal((await c.post(PATHS.refund, { order_id: 'ORD-C', refund_amount: 50, is_full_refund: false })).status, 200);

  const client = await inPortal(c, john);
  const home = await client.get('/portal');
  assert.equal(home.status, 200, home.text.slice(0, 300));
  const current = await apiFigures(c, john, CURRENT);
  const previous = await apiFigures(c, john, PREVIOUS);
  assert.deepEqual(pageFigures(home.text, 'current'), current);
  assert.deepEqual(pageFigures(home.text, 'previous'), previous);
  // The figures the API answered are the ones recorded (so the comparison above compares something).
  assert.deepEqual([current.clicks, current.conversions, previous.clicks, previous.conversions], [4, 3, 2, 1]);
  assert.equal(current.earnedCents, 1200 + 1500, 'ORD-A 10% of 120, ORD-B rejected, ORD-C 10% of 150 after the refund');
  assert.equal(previous.earnedCents, 500);
  const text = textOf(home.text);
  assert.match(text, /The last 30 days Nov 2, 2026 to Dec 1, 2026, beside the 30 days before \(Oct 3, 2026 to Nov 1, 2026\)/);
  assert.match(text, /Clicks 4 2 \+100%/);
  assert.match(text, /Earnings \$27\.00 \$5\.00 \+440%/);

  // The per-day table: every day of the 30, the raw numbers the chart reads, a caption and header scopes.
  const days = [...home.text.matchAll(/<tr data-day="([\d-]+)" data-clicks="(\d+)" data-conversions="(\d+)" data-earned="(-?\d+)">/g)];
  assert.equal(days.length, 30);
  assert.equal(days[0]![1], CURRENT.from);
  assert.equal(days[29]![1], CURRENT.to);
  assert.deepEqual(days.find((d) => d[1] === '2026-11-21')!.slice(2).map(Number), [3, 2, 1200]);
  assert.deepEqual(days[29]!.slice(2).map(Number), [1, 1, 1500]);
  assert.match(home.text, /<caption>Your clicks, conversions and earnings per UTC day, the last 30 days<\/caption>/);
  assert.match(home.text, /<th scope="row">Dec 1, 2026<\/th>/);
  assert.match(home.text, /<figure class="card chart" id="portal-chart" data-currency="USD" hidden aria-label="[^"]+">/);

  // Another advocate's activity is theirs alone: the home of V2AVMRDJ counts its own visits and order.
  const jane = await advocateId(c, 'V2AVMRDJ');
  const theirs = await (await inPortal(c, jane)).get('/portal');
  assert.deepEqual(pageFigures(theirs.text, 'current'), await apiFigures(c, jane, CURRENT));
  assert.equal(pageFigures(theirs.text, 'current').clicks, 4);
  assert.ok(!theirs.text.includes('JOHN123') && !home.text.includes('V2AVMRDJ'));
});

test('the link\'s QR code is drawn on the server and reads back as the link; the Copy button is the page\'s script, nothing inline', async (t) => {
  const { c } = await setUp(t);
  const client = await inPortal(c, await advocateId(c, 'JOHN123'));
  const home = await client.get('/portal');
  const svg = /<svg [^>]*class="qr"[\s\S]*?<\/svg>/.exec(home.text)?.[0];
  assert.ok(svg, 'an inline SVG QR code');
  assert.match(svg, /role="img" aria-label="QR code of your referral link, https:\/\/shop\.example\/\?ref=JOHN123"/);
  assert.equal(decodeQr(svg), 'https://shop.example/?ref=JOHN123');
  assert.match(home.text, /<input id="link" class="link" size="60" readonly value="https:\/\/shop\.example\/\?ref=JOHN123"> <button type="button" data-copy-input="link" hidden>Copy<\/button>/);
  assert.match(home.text, /<script src="\/dashboard\/assets\/portalHome\.js" defer><\/script>/);
  assert.doesNotMatch(home.text, /<script(?![^>]*\bsrc=)/, 'no inline script');
  assert.doesNotMatch(home.text, /\sstyle=/, 'no style attribute');
  assert.match(home.headers.get('content-security-policy') ?? '', /script-src 'self'; style-src 'self'/);
  const script = await fetch(`${c.url}/dashboard/assets/portalHome.js`);
  assert.equal(script.status, 200, 'the script is built (npm run build) and served');
  assert.match(await script.text(), /data-copy-input/);
  // A brand without allowed origins: the code alone, to copy, and no QR code of it.
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: [] })).status, 200);
  const bare = await client.get('/portal');
  assert.match(bare.text, /<input id="link" class="link" size="60" readonly value="JOHN123">/);
  assert.doesNotMatch(bare.text, /<svg/);
});

test('daily_advocate_clicks holds each advocate\'s visits per day, as defined (migration 028), also after a visit moves', async (t) => {
  const { c, clock } = await setUp(t);
  await activity(c, clock, 3, 'JOHN123', 2, []);
  await activity(c, clock, 0, 'JOHN123', 1, []);
  await activity(c, clock, 0, 'V2AVMRDJ', 2, []);
  const defined = 'SELECT brand_id, advocate_id, substr(created_at, 1, 10) AS day, count(*) AS clicks FROM visits GROUP BY 1, 2, 3 ORDER BY 1, 2, 3';
  const stored = 'SELECT brand_id, advocate_id, day, clicks FROM daily_advocate_clicks WHERE clicks <> 0 ORDER BY 1, 2, 3';
  const norm = (list: Array<Record<string, unknown>>) => list.map((r) => [r.brand_id, Number(r.advocate_id), r.day, Number(r.clicks)]);
  assert.deepEqual(norm(await rows(c, stored)), norm(await rows(c, defined)));
  assert.equal((await rows(c, stored)).length, 3);
  // A visit corrected to another day and advocate moves its click (the update trigger).
  const jane = await advocateId(c, 'V2AVMRDJ');
  await c.deps.db.prepare(`UPDATE visits SET advocate_id = ?, created_at = '2026-11-20T00:00:00.000Z' WHERE id = (SELECT min(id) FROM visits)`).run(jane);
  assert.deepEqual(norm(await rows(c, stored)), norm(await rows(c, defined)));
});

test('in Chromium the page\'s script draws the chart under the CSP, its Copy buttons copy the links, and home and link builder pass axe', async (t) => {
  const { c, clock } = await setUp(t);
  await activity(c, clock, 2, 'JOHN123', 2, [['ORD-1', 100]]);
  const link = await portalLink(c, await advocateId(c, 'JOHN123'));
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: c.url });
  const { page, pageErrors, consoleErrors } = await openPage(context);
  await page.goto(c.url + link.path);
  await page.getByRole('button', { name: 'Open my portal' }).click();
  await page.getByRole('heading', { name: 'Hello, John Smith' }).waitFor();
  // The chart: uPlot's canvas in the figure the script unhid, its legend naming the three series.
  await page.locator('#portal-chart canvas').waitFor();
  assert.equal(await page.locator('#portal-chart').isVisible(), true);
  // As wide as its card (measured once shown): not the 280 px floor of a figure measured while hidden.
  const widths = await page.locator('#portal-chart').evaluate((f) => [f.clientWidth, f.querySelector('canvas')!.getBoundingClientRect().width]);
  assert.ok(widths[1]! > 600 && widths[1]! <= widths[0]!, JSON.stringify(widths));
  assert.match(await page.locator('#portal-chart').innerText(), /Clicks[\s\S]*Conversions[\s\S]*Earnings/);
  await page.getByRole('button', { name: 'Copy' }).click();
  assert.equal(await waitFor(() => page.evaluate(() => navigator.clipboard.readText()), 'the copied link'), 'https://shop.example/?ref=JOHN123');
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  await checkA11y(page, 'the portal home');
  // The link builder: its form, a refusal beside its field, and a built link with its Copy button and QR code.
  await page.getByRole('link', { name: 'Link builder' }).click();
  await page.getByLabel('Page of the shop (its address)').fill('https://evil.example/');
  await page.getByRole('button', { name: 'Build the link' }).click();
  await page.locator('#f-landing_page-error').waitFor();
  await checkA11y(page, 'the link builder, refused');
  await page.getByLabel('Page of the shop (its address)').fill('https://shop.example/tees');
  await page.getByLabel('Source (utm_source)').fill('instagram');
  await page.getByRole('button', { name: 'Build the link' }).click();
  await page.getByRole('heading', { name: 'Your link' }).waitFor();
  await page.getByRole('button', { name: 'Copy' }).click();
  assert.equal(await waitFor(async () => {
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    return copied.includes('utm_source') ? copied : '';
  }, 'the built link copied'), 'https://shop.example/tees?utm_source=instagram&ref=JOHN123');
  await checkA11y(page, 'the link builder, a link built');
  // Chromium reports the refused form's 400 page as a failed load; nothing else is an error.
  assert.deepEqual(consoleErrors.filter((m) => /status of 400/.test(m)).length, 1);
  assert.deepEqual([pageErrors, consoleErrors.filter((m) => !/status of 400/.test(m))], [[], []], 'no script error, nothing the CSP refused');
});
