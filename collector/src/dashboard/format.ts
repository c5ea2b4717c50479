// How the dashboard shows money, numbers and times: Intl in the brand's currency; times as <time> elements in UTC
// that the page's script rewrites into the browser's time zone (without JavaScript they stay UTC, and say so).
import { toDecimal } from '../domain/money.ts';
import { html, type SafeHtml } from './html.ts';

const LOCALE = 'en-US';
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Hundredths of the brand's currency (the collector keeps every amount so), e.g. "$1,234.50", "€12.00". */
export function money(cents: number, currency: string): string {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    moneyFormats.set(currency, f);
  }
  return f.format(toDecimal(cents));
}

// Each formatter is made at its first use: making Intl's formatters loads ICU's data, some 70 ms at every start of a
// process that imports the dashboard (the collector, each test file) whether or not it renders a page.
const made = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

const integer = made(() => new Intl.NumberFormat(LOCALE));
export const count = (n: number): string => integer().format(n);

const percentFormat = made(() => new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 }));
/** part / whole as a percentage; "–" when whole is 0 */
export const percent = (part: number, whole: number): string => (whole === 0 ? '–' : percentFormat().format(part / whole));

const utcFormat = made(() => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }));
const utcDay = made(() => new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' }));

/**
 * A moment: `<time datetime="…" data-local="datetime">Dec 1, 2026, 11:28 AM UTC</time>`; client/common.ts shows it
 * in the browser's time zone. `null` -> "—".
 */
export function when(iso: string | null | undefined): SafeHtml {
  if (!iso) return html`—`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return html`${iso}`;
  return html`<time datetime="${d.toISOString()}" data-local="datetime">${utcFormat().format(d)} UTC</time>`;
}

/** A UTC day (YYYY-MM-DD) as the figures count it: shown as such, in every time zone. */
export const day = (isoDay: string): string => utcDay().format(new Date(`${isoDay}T00:00:00Z`));
