// A site's server doing single sign-on in the tests: maps its customer to an advocate (the mappings API), then
// recognises them with a signature of the brand's secret key (POST /sso/recognize): the session token it answers.
import assert from 'node:assert/strict';
import { ssoSignature } from '../../src/domain/sso.ts';
import type { TestBrand, TestCollector } from './collector.ts';

/** A session token of `advocate` as customer `customer` of `brand` (default the collector's), signed at `atMs` (default now). */
export async function ssoSessionToken(c: TestCollector, advocate: number, customer: string, opts: { brand?: TestBrand; atMs?: number } = {}): Promise<string> {
  const brand = opts.brand ?? c.brand;
  const mapped = await c.call('POST', '/api/v1/sso/mappings', { advocate_id: advocate, external_customer_id: customer }, { brand });
  assert.ok(mapped.status === 201 || mapped.body?.code === 'mapping_exists', JSON.stringify(mapped.body));
  const timestamp = String(Math.floor((opts.atMs ?? c.deps.now().getTime()) / 1000));
  const signature = ssoSignature(brand.secret_key, { businessId: brand.brand_id, externalCustomerId: customer, timestamp, externalEmail: null, externalName: null });
  const res = await c.request('POST', '/api/v1/sso/recognize', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ businessId: brand.brand_id, externalCustomerId: customer, timestamp: Number(timestamp), signature }),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.session_token as string;
}
