// The commission queue and the payout page in Chromium: select two commissions and approve them; run a payout and
// mark it paid; the accessibility check and a screenshot of the queue, a commission's page and the payout page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkA11y, screenshot, signedInPage } from './support/dashboard.ts';
import { useSuite } from './support/suite.ts';

const suite = useSuite();

/** A conversion through the API with the brand's secret key: answers its commission's id. */
async function conversion(orderId: string, value: number, code: string): Promise<number> {
  const { brand, collectorUrl } = suite.stack;
  const res = await fetch(`${collectorUrl}/api/v1/track/conversion`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': brand.secret_key, 'X-Brand-ID': brand.brand_id },
    body: JSON.stringify({ customer_email: `${orderId.toLowerCase()}@customer.example`, order_id: orderId, order_value: value, referral_code: code }),
  });
  const body = await res.json() as { data: { reward: { id: number } } };
  assert.equal(res.status, 201, JSON.stringify(body));
  return body.data.reward.id;
}

test('select two commissions and approve them; run a payout and mark it paid', async (t) => {
  const { sarah, mike, collectorUrl } = suite.stack;
  const first = await conversion('E2E-C1', 120, sarah.code);
  const second = await conversion('E2E-C2', 80, mike.code);
  const user = await signedInPage(suite.browser, suite.stack);
  t.after(() => user.context.close());
  const { page, pageErrors } = user;

  await page.goto(`${collectorUrl}/dashboard/commissions?status=pending`);
  const queue = page.getByRole('table', { name: /^Commissions, newest first/ });
  await queue.waitFor();
  await checkA11y(page);
  await screenshot(page, 'commissions');
  await page.getByLabel(`Select commission ${first}`, { exact: true }).check();
  await page.getByLabel(`Select commission ${second}`, { exact: true }).check();
  await page.getByLabel('Reason (kept in the history', { exact: false }).fill('checked by e2e');
  await page.getByRole('button', { name: 'Approve selected' }).click();
  await page.getByRole('status').filter({ hasText: `Approved 2 commissions #${second}, #${first}.` }).waitFor();
  assert.equal(await page.getByLabel(`Select commission ${first}`, { exact: true }).count(), 0, 'no longer pending');

  await page.goto(`${collectorUrl}/dashboard/commissions/${first}`);
  const history = page.getByRole('table', { name: /^History/ });
  await history.getByRole('row').filter({ hasText: 'checked by e2e' }).waitFor();
  assert.match((await history.textContent())!, new RegExp(`dashboard:${user.email.replace('.', '\\.')}`));
  await checkA11y(page);
  await screenshot(page, 'commission');

  await page.goto(`${collectorUrl}/dashboard/payouts`);
  const due = page.getByRole('table', { name: /^Due now, by advocate/ });
  await due.getByRole('row').filter({ hasText: sarah.name }).waitFor();
  assert.match((await due.textContent())!, /\$12\.00[\s\S]*\$8\.00|\$8\.00[\s\S]*\$12\.00/);
  assert.ok(await page.getByLabel(`Pay ${sarah.name}`).isChecked(), 'every advocate of the page is selected');
  await checkA11y(page);
  await screenshot(page, 'payouts');
  page.once('dialog', (dialog) => {
    assert.match(dialog.message(), /Record the selected advocates as paid/);
    void dialog.accept();
  });
  await page.getByLabel('Note (kept in each commission', { exact: false }).fill('e2e bank batch');
  await page.getByRole('button', { name: 'Mark the selected advocates paid' }).click();
  await page.getByRole('status').filter({ hasText: 'Recorded as paid: 2 commissions of 2 advocates, $20.00.' }).waitFor();
  await page.getByText('Nothing is due: no approved commission waits for a payout.').waitFor();
  const past = page.getByRole('table', { name: 'Past payouts, newest first' });
  assert.match((await past.getByRole('row').nth(1).textContent())!, /2\s*\$20\.00/);
  await checkA11y(page);
  await screenshot(page, 'payouts-paid');

  const api = await fetch(`${collectorUrl}/api/v1/commissions/${first}`, { headers: { 'X-API-Key': suite.stack.brand.secret_key, 'X-Brand-ID': suite.stack.brand.brand_id } });
  const commission = (await api.json() as { data: { commission: { status: string; history: Array<{ note: string | null }> } } }).data.commission;
  assert.deepEqual([commission.status, commission.history.at(-1)!.note], ['paid', 'e2e bank batch']);
  assert.deepEqual(pageErrors, []);
});

test('the queue, a commission and the payout page at 375 px wide: nothing wider than the screen', async (t) => {
  const { sarah, collectorUrl } = suite.stack;
  const id = await conversion('E2E-C3', 60, sarah.code);
  const user = await signedInPage(suite.browser, suite.stack, { viewport: { width: 375, height: 800 } });
  t.after(() => user.context.close());
  const { page } = user;
  for (const [path, name] of [['/dashboard/commissions', 'commissions-375'], [`/dashboard/commissions/${id}`, 'commission-375'], ['/dashboard/payouts', 'payouts-375']] as const) {
    await page.goto(collectorUrl + path);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `${path} is ${scroll} px wide at ${width}`);
    await checkA11y(page, `${path} at 375 px`);
    await screenshot(page, name);
  }
});
