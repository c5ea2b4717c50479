// One collector + store stack and one Chromium per test file, started before its tests and closed after.
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export interface Suite {
  stack: Stack;
  browser: Browser;
}

/** The collector's API with the suite brand's secret key: the status and the parsed body. */
export async function api(suite: Suite, method: string, path: string, body?: unknown): Promise<{ status: number; body: { data: any } }> {
  const res = await fetch(`${suite.stack.collectorUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${suite.stack.brand.secret_key}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as { data: any } };
}

export function useSuite(opts: { stack?: StackOptions; browserArgs?: string[] } = {}): Suite {
  const suite = {} as Suite;
  before(async () => {
    [suite.stack, suite.browser] = await Promise.all([startStack(opts.stack), launchBrowser(opts.browserArgs)]);
  });
  after(async () => {
    await suite.browser?.close();
    await suite.stack?.close();
  });
  return suite;
}
