// What a paged list's row forms share (the testimonials queue, a board's ideas): the list's own query parameters, kept
// in a hidden field so that the redirect after a change returns to the list as it was shown, and the list's total.
import { toApiError } from '../../http/errors.ts';
import { count } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';

/** The list's own parameters of `values` (only `keys`, only given ones) as a query string. */
export function keptQuery(values: Record<string, string | undefined> | URLSearchParams, keys: readonly string[]): string {
  const get = (k: string) => (values instanceof URLSearchParams ? values.get(k) : values[k]);
  return new URLSearchParams(keys.flatMap((k) => {
    const v = get(k);
    return v ? [[k, v]] : [];
  })).toString();
}

/** Where a row's form leads back: `path` with the kept parameters of the posted `back` (never an address a form names). */
export function backTo(path: string, keys: readonly string[], back: string): string {
  const s = keptQuery(new URLSearchParams(back.replace(/^\?/, '')), keys);
  return s ? `${path}?${s}` : path;
}

/** "N things match." when the list was read with its total (a total past the lists' bound is left out). */
export const matching = (list: { total?: number } | undefined, one: string, many: string): SafeHtml =>
  (list?.total === undefined ? html`` : html`<p>${count(list.total)} ${list.total === 1 ? one : many} match${list.total === 1 ? 'es' : ''}.</p>`);

/**
 * A list page read with its total (`total=true`, as the API answers it) or, for a list longer than a total may count
 * (db/keyset.ts WALK_BUDGET: the API's 400 naming total), the same page without it.
 */
export async function withBoundedTotal<T>(read: (withTotal: boolean) => Promise<T>): Promise<T> {
  try {
    return await read(true);
  } catch (err) {
    if (toApiError(err)?.details?.[0]?.field !== 'total') throw err;
    return read(false);
  }
}
