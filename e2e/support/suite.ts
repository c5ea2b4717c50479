// One collector + store stack and one Chromium per test file, started before its tests and closed after.
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startStack, type Stack, type StackOptions } from './stack.ts';

export interface Suite {
  stack: Stack;
  browser: Browser;
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
