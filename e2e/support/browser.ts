// Chromium for the e2e specs: one browser per file, a fresh context per test, and the page's errors collected.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the browser playwright installed. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({ args: [...FLAGS, ...extraArgs], ...(executablePath ? { executablePath } : {}) });
}

export interface WatchedPage {
  page: Page;
  /** uncaught exceptions in the page (`pageerror`) */
  pageErrors: string[];
  /** console.error messages, including the browser's own (failed loads, CSP reports) */
  consoleErrors: string[];
  /** every request the page made, in order */
  requests: string[];
}

export async function openPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const watched: WatchedPage = { page, pageErrors: [], consoleErrors: [], requests: [] };
  page.on('pageerror', (err) => watched.pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') watched.consoleErrors.push(msg.text());
  });
  page.on('request', (req) => watched.requests.push(`${req.method()} ${req.url()}`));
  return watched;
}

type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

/** Polls `check` until it returns a truthy value (rows written after an asynchronous beacon). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The tracker's public API from the page: window.al(name, arg). */
export function callAl<T = unknown>(page: Page, name: string, arg?: unknown): Promise<T> {
  return page.evaluate(([n, a]) => (window as unknown as { al: (n: unknown, a?: unknown) => Promise<unknown> }).al(n, a), [name, arg] as const) as Promise<T>;
}
