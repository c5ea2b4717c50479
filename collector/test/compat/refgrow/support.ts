// The Refgrow adapter's tests: calls as 004_*'s clients make them (Bearer, JSON), its error body, and the document's
// own example answers (004_385e92b2f485fc4b.txt) as fixtures, compared field by field.
import assert from 'node:assert/strict';
import type { TestBrand, TestCollector, TestResponse } from '../../support/collector.ts';

export const BASE = '/compat/refgrow/v1';

/** A call as 004_* shows it: `Authorization: Bearer YOUR_API_KEY` (the brand's secret key), a JSON body. */
export function rg(c: TestCollector, method: string, path: string, body?: unknown, opts: { brand?: TestBrand; headers?: Record<string, string> } = {}): Promise<TestResponse> {
  const b = opts.brand ?? c.brand;
  const headers: Record<string, string> = { Authorization: `Bearer ${b.secret_key}`, ...opts.headers };
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  return c.request(method, BASE + path, { headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
}

export const REFGROW_CODES = {
  authentication_error: 401, permission_denied: 403, resource_not_found: 404, invalid_request: 400, rate_limit_exceeded: 429, server_error: 500,
} as const;

/** 004_*'s error body exactly: success false, error {code, message, details {field, issue}}, nothing else. */
export function assertRefgrowError(res: TestResponse, code: keyof typeof REFGROW_CODES, field?: string | null, status: number = REFGROW_CODES[code]): void {
  const shown = `${res.status} ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, shown);
  assert.deepEqual(Object.keys(res.body).sort(), ['error', 'success'], shown);
  assert.equal(res.body.success, false, shown);
  assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'details', 'message'], shown);
  assert.equal(res.body.error.code, code, shown);
  assert.equal(typeof res.body.error.message, 'string', shown);
  assert.ok(res.body.error.message.length > 0, shown);
  assert.deepEqual(Object.keys(res.body.error.details).sort(), ['field', 'issue'], shown);
  assert.equal(typeof res.body.error.details.issue, 'string', shown);
  if (field !== undefined) assert.equal(res.body.error.details.field, field, shown);
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * `actual` has exactly the example's fields (plus `extra`, named), each of the example's JSON type (a null in the
 * example: null or a string, as the document's `paidAt: null` becomes a date once paid); ids with the example's prefix.
 */
export function assertShape(actual: Record<string, unknown>, example: Record<string, unknown>, extra: string[] = []): void {
  const shown = JSON.stringify(actual);
  assert.deepEqual(Object.keys(actual).sort(), [...Object.keys(example), ...extra].sort(), shown);
  for (const [k, v] of Object.entries(example)) {
    if (v === null) assert.ok(actual[k] === null || typeof actual[k] === 'string', `${k}: ${shown}`);
    else assert.equal(kind(actual[k]), kind(v), `${k}: ${shown}`);
    if (typeof v === 'string' && /^(aff|comm|conv|click)_/.test(v)) {
      assert.match(String(actual[k]), new RegExp(`^${v.split('_')[0]}_[0-9a-f]+$`), `${k}: ${shown}`);
    }
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) assert.match(String(actual[k]), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `${k}: ${shown}`);
  }
}

// ---- the document's example answers, verbatim (its "// Additional ..." lines left out) ----

export const DOC_AFFILIATE_LIST_ITEM = {
  id: 'aff_123456', email: 'affiliate@example.com', name: 'John Doe', status: 'active', createdAt: '2023-06-15T10:30:00Z',
  totalEarnings: 1250.75, pendingEarnings: 350.25, paidEarnings: 900.50, conversionRate: 0.12, clickCount: 1840, conversionCount: 221,
};
export const DOC_AFFILIATE_LIST = { success: true, data: { affiliates: [DOC_AFFILIATE_LIST_ITEM], total: 45, limit: 20, offset: 0 } };
export const DOC_AFFILIATE = {
  success: true,
  data: {
    affiliate: {
      ...DOC_AFFILIATE_LIST_ITEM, referralCode: 'JOHNDOE10', paymentMethod: 'paypal', paymentDetails: 'affiliate@example.com',
    },
  },
};
export const DOC_CREATED_AFFILIATE = {
  success: true,
  data: { affiliate: { id: 'aff_123456', email: 'affiliate@example.com', name: 'John Doe', status: 'active', createdAt: '2023-06-15T10:30:00Z', referralCode: 'JOHNDOE10' } },
};
export const DOC_TRACK = {
  success: true, data: { clickId: 'click_abcdef12345', referralCode: 'JOHNDOE10', affiliateId: 'aff_123456', timestamp: '2023-06-18T14:25:30Z' },
};
export const DOC_CONVERT = {
  success: true,
  data: {
    conversionId: 'conv_xyz789', affiliateId: 'aff_123456', referralCode: 'JOHNDOE10', amount: 99.99, commission: 20.00, orderId: 'order_123456',
    timestamp: '2023-06-18T15:10:45Z',
  },
};
export const DOC_COMMISSION_ITEM = {
  id: 'comm_456789', affiliateId: 'aff_123456', orderId: 'order_123456', amount: 20.00, status: 'pending', createdAt: '2023-06-18T15:10:45Z',
  paidAt: null, conversionAmount: 99.99,
};
export const DOC_COMMISSION_LIST = { success: true, data: { commissions: [DOC_COMMISSION_ITEM], total: 32, limit: 20, offset: 0 } };
export const DOC_COMMISSION_UPDATED = {
  success: true,
  data: {
    commission: {
      id: 'comm_456789', affiliateId: 'aff_123456', orderId: 'order_123456', amount: 20.00, status: 'approved', createdAt: '2023-06-18T15:10:45Z',
      updatedAt: '2023-06-20T09:15:30Z', paidAt: null, conversionAmount: 99.99,
    },
  },
};
export const DOC_ERROR = {
  success: false,
  error: { code: 'invalid_request', message: 'Invalid affiliate ID format', details: { field: 'affiliateId', issue: "must be a string beginning with 'aff_'" } },
};

// ---- the document's requests, with its example values ----

export const DOC_CREATE_REQUEST = { email: 'affiliate@example.com', name: 'John Doe', referralCode: 'JOHNDOE10', customFields: { plan: 'pro' } };
export const DOC_TRACK_REQUEST = {
  referralCode: 'JOHNDOE10', sourceUrl: 'https://blog.example.com/review', userAgent: 'Mozilla/5.0 (Macintosh)', ipAddress: '203.0.113.7',
};
export const docConvertRequest = (clickId: string) => ({
  clickId, amount: 99.99, orderId: 'order_123456',
  customer: { email: 'customer@example.com', name: 'Jane Buyer' },
  products: [{ name: 'Pro plan', quantity: 1, price: 99.99 }],
});
