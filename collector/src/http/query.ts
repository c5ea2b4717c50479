// Query strings and path ids of the management API: parsed by zod into a 400 naming the field, or a 404.
import { z } from 'zod';
import { badField, notFound } from '../errors.ts';
import { DAY_MS } from '../domain/time.ts';
import { parseBody } from './parse.ts';
import { FROM_START, type ScannedPage, type Slice } from '../db/records.ts';

export type { Slice };

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

/** `true` or `false` in a query string. */
export const zQueryBool = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/**
 * The position a cursor stands for: the sort key (the id) of the last row of the previous page. Opaque to
 * clients: base64url of `{"id":N}`; anything else is a 400 naming `cursor`.
 */
const zCursor = z.string().max(200, 'is not a cursor this API gave out').transform((text, ctx) => {
  const id = decodeCursor(text);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out (use next_cursor of the previous page)' });
    return z.NEVER;
  }
  return id;
});

export const encodeCursor = (id: number): string => Buffer.from(JSON.stringify({ id })).toString('base64url');

function decodeCursor(text: string): number | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    const id = (value as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 ? id : null;
  } catch {
    return null;
  }
}

/**
 * Offset pagination alone, in both documented forms: `page` + `limit` (002_*) or `limit` + `offset` (004_*).
 * `limit` defaults to 20, at most 100; `offset` wins over `page` when both are sent. For short lists (one
 * advocate's points ledger) that keep an exact `total`.
 */
export const zOffsetPagination = {
  page: zQueryInt(1, 1_000_000).optional(),
  limit: zQueryInt(1, 100).optional(),
  offset: zQueryInt(0, 1_000_000_000).optional(),
};

/**
 * The brand-sized lists: offset pagination (kept for compatibility; it reads at most WALK_BUDGET rows from either
 * end, db/keyset.ts) or keyset paging by `cursor` (the previous answer's `next_cursor`; O(page) however deep), and
 * `total=true` for an exact count (bounded the same way).
 */
export const zPagination = {
  ...zOffsetPagination,
  cursor: zCursor.optional(),
  total: zQueryBool.optional(),
};

export interface Page extends Slice {
  /** `total=true` was asked: count every matching row (exact; refused past db/keyset.ts WALK_BUDGET). */
  withTotal: boolean;
}

type PageQuery = {
  page?: number | undefined; limit?: number | undefined; offset?: number | undefined;
  cursor?: number | undefined; total?: boolean | undefined;
};

/** The page asked for; `cursor` with `page` or `offset` is a 400 naming `cursor` (they would contradict). */
export function pageOf(q: PageQuery): Page {
  const limit = q.limit ?? 20;
  if (q.cursor !== undefined && (q.page !== undefined || q.offset !== undefined)) {
    throw badField('cursor', 'cannot be combined with page or offset');
  }
  return {
    before: q.cursor ?? null,
    limit,
    offset: q.offset ?? ((q.page ?? 1) - 1) * limit,
    withTotal: q.total === true,
  };
}

/**
 * One page of a newest-first list: `fetch` is asked for limit + 1 rows of the slice, so `has_more` needs no
 * count; `next_cursor` points after the last row given. A fetch whose filter no index serves may stop early
 * (db/keyset.ts SCAN_BUDGET) and say where (`resumeAt`): the page then has fewer rows than `limit`, maybe none,
 * `has_more` is true and `next_cursor` resumes there. `count` runs only when `total=true` was asked; the lists'
 * totals are bounded (db/keyset.ts WALK_BUDGET: past it a 400 naming total), as offset pages are (a 400 naming
 * offset). Answers `{ [name]: items, limit, has_more, next_cursor }`, with `page` and `offset` when paged by offset
 * and `total` when asked.
 */
export async function listPage<N extends string, T extends { id: number }>(
  name: N, page: Page, fetch: (slice: Slice) => Promise<T[] | ScannedPage<T>>, count?: () => Promise<number>,
) {
  const fetched = await fetch({ before: page.before, limit: page.limit + 1, offset: page.offset });
  const { rows, resumeAt } = Array.isArray(fetched) ? { rows: fetched, resumeAt: null } : fetched;
  const items = rows.slice(0, page.limit);
  const hasMore = rows.length > page.limit || resumeAt !== null;
  const resume = rows.length > page.limit ? items[items.length - 1]!.id : resumeAt;
  const answer = {
    ...(page.before === null ? { page: Math.floor(page.offset / page.limit) + 1, offset: page.offset } : {}),
    limit: page.limit,
    has_more: hasMore,
    next_cursor: resume === null ? null : encodeCursor(resume),
    ...(page.withTotal && count ? { total: await count() } : {}),
  };
  return { [name]: items, ...answer } as Record<N, T[]> & typeof answer;
}

/** A short list with an exact total (one advocate's points ledger): `{ [name]: items, total, page, limit, offset, has_more }`. */
export function countedList<T>(name: string, items: T[], total: number, page: Page) {
  return {
    [name]: items,
    total,
    page: Math.floor(page.offset / page.limit) + 1,
    limit: page.limit,
    offset: page.offset,
    has_more: page.offset + items.length < total,
  };
}

/**
 * Every row of a newest-first list, batch by batch, in O(batch) memory (the streaming exports):
 * `fetch(before, limit)` answers at most `limit` rows with ids below `before`, newest first, or a bounded page
 * (db/keyset.ts) that stopped early and says where to resume: its batch (maybe empty) is yielded as it is, so
 * each examination is its own step and the stream gives the loop a turn between them.
 */
export async function* keysetBatches<R extends { id: number }>(
  // 200 rows (a few ms of CPU): at 500, conversions sent during an export waited behind each batch, p99 2.8x of alone at N.
  fetch: (before: number, limit: number) => Promise<R[] | ScannedPage<R>>, batch = 200,
): AsyncGenerator<R[]> {
  for (let before = FROM_START; ;) {
    const fetched = await fetch(before, batch);
    const { rows, resumeAt } = Array.isArray(fetched) ? { rows: fetched, resumeAt: null } : fetched;
    if (rows.length > 0 || resumeAt !== null) yield rows;
    if (rows.length === batch) before = rows[rows.length - 1]!.id;
    else if (resumeAt !== null) before = resumeAt;
    else return;
  }
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
