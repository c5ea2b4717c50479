// The bench's requests, written once: the demo brand's headers, a visit's body, and conversion bodies with a unique
// order_id each (every part that sends visits or conversions sends these).
import { randomBytes } from 'node:crypto';

/** The demo brand's API headers, from the keys of a collector's first-start banner (processes.ts demoKeysFromBanner). */
export const demoHeaders = (keys: { brandId: string; secretKey: string }): Record<string, string> =>
  ({ 'content-type': 'application/json', 'x-api-key': keys.secretKey, 'x-brand-id': keys.brandId });

export const VISIT_PATH = '/api/v1/track/visit';
export const VISIT_BODY = JSON.stringify({ referral_code: 'DEMO10', landing_page: 'https://shop.example/?ref=DEMO10', utm_source: 'email' });

export const CONVERSION_PATH = '/api/v1/track/conversion';

/** A body maker for autocannon: a new order_id (unique across runs: a random prefix) and buyer each call, attributed by code. */
export function conversionBodies(): () => string {
  const run = randomBytes(3).toString('hex');
  let n = 0;
  return () => {
    n++;
    return JSON.stringify({ order_id: `bench-${run}-${n}`, email: `buyer${n}@example.com`, order_value: 108, referral_code: 'DEMO10' });
  };
}
