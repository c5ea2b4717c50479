// What a shopper does in the demo store, and the collector rows the specs check afterwards.
import type { Page } from 'playwright-core';
import type { Db } from '../../collector/src/db/open.ts';

/** The referral banner's headline once it shows. */
export async function bannerTitle(page: Page): Promise<string> {
  await page.locator('[data-referral-banner]').waitFor({ state: 'visible', timeout: 5000 });
  return (await page.locator('[data-referral-title]').textContent()) ?? '';
}

/**
 * The text of the widget in referee mode on a product page (where it takes the banner's place), once it shows its
 * claim form; its content is in its open shadow root.
 */
export async function refereeWidgetText(page: Page): Promise<string> {
  const widget = page.locator('[data-referloop-widget]');
  await widget.getByRole('button', { name: 'Get my discount' }).waitFor({ timeout: 5000 });
  return widget.evaluate((el) => el.shadowRoot?.textContent ?? '');
}

export async function addToCart(page: Page, storeUrl: string, slug: string): Promise<void> {
  await page.goto(`${storeUrl}/products/${slug}`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForURL(`${storeUrl}/cart`);
}

/** Fills the checkout form on /cart and continues to the payment page; answers the order id. */
export async function checkout(page: Page, email: string, name = 'Jane Doe'): Promise<string> {
  await page.fill('#email', email);
  await page.fill('#name', name);
  await page.getByRole('button', { name: 'Continue to payment' }).click();
  await page.waitForURL(/\/orders\/[A-Z0-9-]+\/pay$/);
  return /\/orders\/([A-Z0-9-]+)\/pay$/.exec(page.url())![1]!;
}

export async function pay(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/orders\/[A-Z0-9-]+$/);
}

export async function fact(page: Page, name: string): Promise<string> {
  return ((await page.locator(`[data-fact="${name}"]`).textContent()) ?? '').trim();
}

export interface VisitRow { visitor_id: string; code: string; advocate_id: number; landing_page: string | null }
export interface ConversionRow {
  id: number; order_id: string; email: string; code: string | null; advocate_id: number | null; attribution: string | null;
  status: string; order_value_cents: number; claim_id: number | null;
}
export interface RewardRow { advocate_id: number; amount: number; original_amount: number; status: string }

export const rows = {
  visits: (db: Db, brandId: string): VisitRow[] =>
    db.prepare('SELECT visitor_id, code, advocate_id, landing_page FROM visits WHERE brand_id = ? ORDER BY id').all(brandId) as VisitRow[],
  visitsOf: (db: Db, brandId: string, visitorId: string): VisitRow[] =>
    db.prepare('SELECT visitor_id, code, advocate_id, landing_page FROM visits WHERE brand_id = ? AND visitor_id = ? ORDER BY id')
      .all(brandId, visitorId) as VisitRow[],
  conversion: (db: Db, brandId: string, orderId: string): ConversionRow | undefined =>
    db.prepare('SELECT * FROM conversions WHERE brand_id = ? AND order_id = ?').get(brandId, orderId) as ConversionRow | undefined,
  rewardOf: (db: Db, brandId: string, conversionId: number): RewardRow | undefined =>
    db.prepare('SELECT * FROM rewards WHERE brand_id = ? AND conversion_id = ?').get(brandId, conversionId) as RewardRow | undefined,
  claimsOf: (db: Db, brandId: string, email: string): Array<{ id: number; code: string; status: string; conversion_id: number | null }> =>
    db.prepare('SELECT id, code, status, conversion_id FROM claims WHERE brand_id = ? AND email = ? ORDER BY id').all(brandId, email) as
      Array<{ id: number; code: string; status: string; conversion_id: number | null }>,
};
