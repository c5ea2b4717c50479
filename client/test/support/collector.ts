// The client tests' collector: a real one on a fresh SQLite file (collector/test/support), closed after the test, and
// a client of its brand.
import { startTestCollector, type TestBrand, type TestCollector } from '../../../collector/test/support/collector.ts';
import { Referloop, type ClientOptions } from '../../src/index.ts';

/** A client of `brand` at `baseUrl` (the collector, or a proxy in front of it); no real waiting between retries. */
export const clientOf = (baseUrl: string, brand: TestBrand, opts: Partial<ClientOptions> = {}): Referloop =>
  new Referloop({ baseUrl, apiKey: brand.secret_key, brandId: brand.brand_id, sleep: async () => {}, ...opts });

export async function collectorAndClient(
  t: { after(fn: () => unknown): void }, opts: Parameters<typeof startTestCollector>[0] = {},
): Promise<{ c: TestCollector; rl: Referloop }> {
  const c = await startTestCollector(opts);
  t.after(() => c.close());
  return { c, rl: clientOf(c.url, c.brand) };
}
