// Query strings and path ids of the management API: parsed by zod into a 400 naming the field, or a 404.
import { z } from 'zod';
import { notFound } from '../errors.ts';
import { DAY_MS } from '../domain/time.ts';
import { parseBody } from './parse.ts';

/** A whole number in a query string ("20"). */
export const zQueryInt = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/, 'must be a whole number').transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A date (2026-04-14) or an ISO date-time, as the ISO string it is compared with. */
export const zQueryDate = z.string().trim()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/, 'must be a date such as 2026-04-14 or an ISO date-time')
  .transform((s, ctx) => {
    const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date' });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

/** `to`: exclusive; a plain date (2026-04-14) means up to the end of that day. */
const zQueryDateTo = z.string().trim().transform((text, ctx) => {
  const parsed = zQueryDate.safeParse(text);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    return z.NEVER;
  }
  return text.length === 10 ? new Date(Date.parse(parsed.data) + DAY_MS).toISOString() : parsed.data;
});

/** The date filters on created_at: `from` inclusive, `to` exclusive (a plain date: through that day). */
export const zDateRange = { from: zQueryDate.optional(), to: zQueryDateTo.optional() };

/**
 * Pagination in both documented forms: `page` + `limit` (002_*) or `limit` + `offset` (004_*).
 * `limit` defaults to 20, at most 100; `offset` wins over `page` when both are sent.
 */
export const zPagination = {
  page: zQueryInt(1, 1_000_000).optional(),
  limit: zQueryInt(1, 100).optional(),
  offset: zQueryInt(0, 1_000_000_000).optional(),
};

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(q: { page?: number | undefined; limit?: number | undefined; offset?: number | undefined }): Page {
  const limit = q.limit ?? 20;
  return { limit, offset: q.offset ?? ((q.page ?? 1) - 1) * limit };
}

/** The list answer: `{ [name]: items, total, page, limit, offset, has_more }`. */
export function listAnswer<T>(name: string, items: T[], total: number, page: Page) {
  return {
    [name]: items,
    total,
    page: Math.floor(page.offset / page.limit) + 1,
    limit: page.limit,
    offset: page.offset,
    has_more: page.offset + items.length < total,
  };
}

/** Query strings go through the same parser as bodies: unknown parameters become warnings. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown) {
  const q = { ...(query as Record<string, unknown>) };
  for (const [k, v] of Object.entries(q)) {
    // ?status=a&status=b: the last one counts, as a single value.
    if (Array.isArray(v)) q[k] = v[v.length - 1];
  }
  return parseBody(schema, q);
}

/** A path id: a positive integer of this brand, else 404 (a malformed id names nothing, like another brand's). */
export function pathId(value: string | string[] | undefined, what: string): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,15}$/.test(text) || Number(text) < 1) throw notFound(what);
  return Number(text);
}
