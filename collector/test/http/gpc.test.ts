// Global Privacy Control at the collector: with the brand's respect_gpc on, a visit sent with `Sec-GPC: 1` is answered
// 200 "store nothing" and nothing is written (no visit, click, per-day click or Idempotency-Key answer); without the
// setting, or without the header, the visit is recorded as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector, TEST_ORIGIN, type TestCollector } from '../support/collector.ts';
import { PATHS, publishableHeaders, row, secretHeaders } from '../support/fixtures.ts';

const written = async (c: TestCollector) => ({
  visits: (await row(c, 'SELECT count(*) AS n FROM visits')).n,
  clicks: (await row(c, 'SELECT sum(click_count) AS n FROM referral_codes')).n,
  daily: (await row(c, 'SELECT coalesce(sum(clicks), 0) AS n FROM daily_sources')).n,
  answers: (await row(c, 'SELECT count(*) AS n FROM idempotency_keys')).n,
});

const visit = { referral_code: 'V2AVMRDJ', visitor_id: 'vis-gpc-1', landing_page: 'https://shop.test/?ref=V2AVMRDJ' };

test('Sec-GPC: 1 is ignored only when the brand respects GPC; then nothing of the visit is written', async (t) => {
  const c = await startTestCollector();
  t.after(() => c.close());
  const gpc = { ...secretHeaders(c.brand), 'Sec-GPC': '1' };

  // Default (respect_gpc false): recorded as any visit.
  const recorded = await c.post(PATHS.visit, visit, { headers: gpc });
  assert.equal(recorded.status, 200);
  assert.equal(recorded.body.data.visitor_id, 'vis-gpc-1');
  assert.equal((await written(c)).visits, 1);

  assert.equal((await c.call('PATCH', '/api/v1/settings', { respect_gpc: true })).status, 200);
  const before = await written(c);
  for (const headers of [gpc, { ...gpc, 'Idempotency-Key': 'gpc-visit-1' }, { ...publishableHeaders(c.brand), 'Sec-GPC': ' 1 ' }]) {
    const ignored = await c.post(PATHS.visit, visit, { headers });
    assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
    assert.deepEqual(ignored.body, {
      success: true,
      data: { store_code: false, clear_existing: false, code: null, referrer_first_name: null, visitor_id: null, ignored: 'gpc' },
    });
  }
  assert.deepEqual(await written(c), before, 'nothing written');

  // The browser's answer still carries CORS, so the tracker can read it.
  const browser = await c.post(PATHS.visit, visit, { headers: { ...publishableHeaders(c.brand), 'Sec-GPC': '1' } });
  assert.equal(browser.headers.get('access-control-allow-origin'), TEST_ORIGIN);

  // Without the header, or with another value, visits are recorded.
  for (const headers of [secretHeaders(c.brand), { ...secretHeaders(c.brand), 'Sec-GPC': '0' }]) {
    const r = await c.post(PATHS.visit, visit, { headers });
    assert.equal(r.body.data.visitor_id, 'vis-gpc-1');
  }
  assert.equal((await written(c)).visits, before.visits + 2);

  // Another brand's setting is its own.
  const other = await c.addBrand();
  const theirs = await c.post(PATHS.visit, visit, { brand: other, headers: { ...secretHeaders(other), 'Sec-GPC': '1' } });
  assert.equal(theirs.body.data.visitor_id, 'vis-gpc-1');
});
