// Many orders written through the conversion use case in one transaction: for tests that need more rows than a
// read batch (exports, payout chunks, settlement batches) without thousands of HTTP calls.
import { mapInOrder } from '../../src/services/context.ts';
import { zConversionRequest } from '../../src/schemas/track.ts';
import { recordConversion } from '../../src/services/conversions.ts';
import type { TestBrand, TestCollector } from './collector.ts';

export interface BulkOrder {
  code: string;
  value: number;
  /** order_id; default `B-<n>` */
  orderId?: string;
  name?: string;
}

/** Records `orders` at `now` for `brand` (default the collector's first), as POST /track/conversion would. */
export async function recordOrders(c: TestCollector, orders: BulkOrder[], now: Date, brand: TestBrand = c.brand): Promise<number[]> {
  const b = (await c.deps.q.brands.getBrand(brand.brand_id))!;
  return c.deps.db.transaction(() => mapInOrder(orders, async (o, i) => {
    const orderId = o.orderId ?? `B-${i}`;
    const req = zConversionRequest.parse({
      order_id: orderId, order_value: o.value, referral_code: o.code,
      customer_email: `${orderId.toLowerCase()}@customer.example`, ...(o.name ? { customer_name: o.name } : {}),
    });
    return (await recordConversion({ q: c.deps.q, brand: b, now }, req)).data.id as number;
  }));
}

/** `n` orders of `value` through `code`, order ids `<prefix>-<i>`. */
export const manyOrders = (n: number, code: string, value: number, prefix = code): BulkOrder[] =>
  Array.from({ length: n }, (_, i) => ({ code, value, orderId: `${prefix}-${i}` }));
