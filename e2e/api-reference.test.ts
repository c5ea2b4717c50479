// The API reference page in Chromium: GET /docs renders every operation of the collector's own /openapi.json, with no
// page error, nothing refused by its CSP, and no request leaving the collector (no CDN).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openPage } from './support/browser.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

test('GET /docs renders every operation of /openapi.json, from this collector alone', async (t) => {
  const context = await suite.browser.newContext();
  t.after(() => context.close());
  const { page, pageErrors, consoleErrors, requests } = await openPage(context);
  const doc = await (await fetch(`${suite.stack.collectorUrl}/openapi.json`)).json() as { paths: Record<string, object>; webhooks: Record<string, object> };
  // The API's operations and the events it sends (OpenAPI 3.1 webhooks), each one block.
  const operations = [...Object.values(doc.paths), ...Object.values(doc.webhooks)].reduce((n, item) => n + Object.keys(item).length, 0);

  await page.goto(`${suite.stack.collectorUrl}/docs`);
  await page.locator('.opblock').first().waitFor();
  assert.equal(await page.locator('.opblock').count(), operations, 'one block per operation and per event');
  assert.ok(operations > 60);
  assert.match(await page.locator('.title').first().innerText(), /Referloop API/);
  // An operation opens and shows its example request body.
  await page.locator('#operations-Tracking-trackConversion button.opblock-summary-control').click();
  await page.getByText('ORD-12345').first().waitFor();

  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleErrors, []);
  const elsewhere = requests.filter((r) => !r.split(' ')[1]!.startsWith(suite.stack.collectorUrl) && !r.split(' ')[1]!.startsWith('data:'));
  assert.deepEqual(elsewhere, [], 'every request went to the collector');
});
