// The brand-sized lists' reads, each bounded: a page, an offset page or a total examines a bounded number of rows
// (the statements of every list module are built here from the list's SQL pieces).
import { perEngine, type Conn, type Dialect, type Statement } from './port.ts';
import { badField } from '../errors.ts';

/**
 * The window a list statement reads: rows whose id is below `before` (a cursor's id; null: from the newest),
 * newest first, `limit` of them after skipping `offset` (0 when paging by cursor). Every brand-sized list takes it.
 */
export interface Slice {
  before: number | null;
  limit: number;
  offset: number;
}

/** Above every id: `before` of a list read from its newest row. */
export const FROM_START = Number.MAX_SAFE_INTEGER;

/**
 * At most this many rows of the walk (the index the list is read from) are examined for one cursor page whose
 * filters the walk does not serve (visits by advocate, code or date; commissions by date; ...): about 3 ms at
 * 250 ns a row, so a rare match among 2,000,000 rows costs a few short pages instead of one long one.
 */
export const SCAN_BUDGET = 10_000;

/**
 * At most this many rows are examined for an offset page (what it skips, and with such filters the rows it checks)
 * or for a `total`: 6-7 ms through an index alone, about 25 ms checking rows (at 2,000,000 visits, counting them
 * all took 160 ms and an offset of 1,900,000 153 ms, each blocking the process). Past it the read is refused:
 * page by cursor.
 */
export const WALK_BUDGET = 100_000;

/** A list page: its rows and, when the examination stopped at its budget first, the id it stopped at (resume below it). */
export interface ScannedPage<R> {
  rows: R[];
  resumeAt: number | null;
}

/**
 * An offset page deeper than an offset may walk: a 400 naming `offset` wherever it is asked (API, dashboard, CLI),
 * since the limit is the read's own, not a caller's choice. Also past the end of a list shorter than the offset:
 * telling the two apart would cost the count that is being avoided.
 */
export const offsetTooDeep = () => badField('offset',
  `an offset page reads at most ${WALK_BUDGET.toLocaleString('en-US')} rows from either end of the list; page deeper with cursor (each answer's next_cursor)`);

/** A total that would take more than WALK_BUDGET rows to count: a 400 naming `total`. */
export const totalTooCostly = () => badField('total',
  `this list has more than ${WALK_BUDGET.toLocaleString('en-US')} rows to count; leave total out and page with cursor until has_more is false`);

/** One combination of a list's filters as SQL pieces. */
export interface ListSql {
  /** what the ids are read from: a table, maybe aliased, maybe `INDEXED BY` the walk's index (SQLite) */
  from: string;
  /** the id in `from`, in whose order the list is read */
  id: string;
  /** the conditions the walk's index serves, the brand's first */
  indexed: string[];
  /** the conditions checked row by row (no index serves them): their pages are read within a window */
  residual: string[];
  /**
   * The page statement around `where` (every condition and the id bounds) in `order`; it ends with
   * `LIMIT @limit OFFSET @offset` and answers rows in `order`.
   */
  page: (where: string, order: 'ASC' | 'DESC') => string;
}

/**
 * A list's pieces for both engines, or one set per engine where they differ: SQLite names the walk's index (`INDEXED
 * BY`; PostgreSQL has no such hint, and every index there ends with id, so the index of the equalities given is
 * read in id order) and searches FTS5.
 */
export type ListSqls = ListSql | { readonly sqlite: ListSql; readonly pg: ListSql };

type Params = Record<string, string | number>;

interface Prepared {
  rows: Statement;
  /** the page within [floor, before): lists with residual conditions */
  windowed: Statement | null;
  /** oldest first: an offset page near the end, read from there (lists without residual conditions) */
  reversed: Statement;
  /** the lowest id among the @scan rows of the walk below @before, and how many there are (fewer: the end) */
  window: Statement | null;
  /** at most @scan matching rows (without residual conditions) */
  countUpTo: Statement;
  /** among the @scan first rows of the walk: how many, and how many match (with residual conditions) */
  countWindow: Statement | null;
  count: Statement;
}

/**
 * The statements of a list's filter combinations, prepared on first use (one set per combination, so the planner
 * sees plain equalities an index serves), and the bounded reads over them. `params` holds every parameter the
 * combination's conditions name, the brand's (`brandId`) included.
 */
export function keysetList<R extends { id: number }>(db: Conn) {
  const cache = new Map<string, Prepared>();
  const prepared = (sqls: ListSqls): Prepared => {
    const both = 'sqlite' in sqls ? sqls : { sqlite: sqls, pg: sqls };
    const key = [both.sqlite, both.pg].map((l) => `${l.from}|${l.indexed.join(' AND ')}|${l.residual.join(' AND ')}`).join('||');
    let s = cache.get(key);
    if (!s) {
      /** One statement's text per engine, from each engine's pieces; `derived`: the name a derived table needs there. */
      const text = (f: (sql: ListSql, derived: string) => string) => perEngine((d) => f(both[d], d === 'pg' ? ' AS w' : ''));
      const where = (sql: ListSql) => [...sql.indexed, ...sql.residual].join(' AND ');
      const walk = (sql: ListSql) => sql.indexed.join(' AND ');
      const residual = both.sqlite.residual.length > 0;
      // A derived table is named on PostgreSQL (before 16 it must be); a residual condition is counted as 1 or 0
      // (PostgreSQL has no sum() of a boolean).
      s = {
        rows: db.prepare(text((sql) => sql.page(`${where(sql)} AND ${sql.id} < @before`, 'DESC'))),
        windowed: residual ? db.prepare(text((sql) => sql.page(`${where(sql)} AND ${sql.id} < @before AND ${sql.id} >= @floor`, 'DESC'))) : null,
        reversed: db.prepare(text((sql) => sql.page(`${where(sql)} AND ${sql.id} < @before`, 'ASC'))),
        window: residual ? db.prepare(text((sql, derived) => `SELECT count(*) AS n, min(id) AS floor FROM
          (SELECT ${sql.id} AS id FROM ${sql.from} WHERE ${walk(sql)} AND ${sql.id} < @before ORDER BY ${sql.id} DESC LIMIT @scan)${derived}`)) : null,
        countUpTo: db.prepare(text((sql, derived) => `SELECT count(*) FROM (SELECT 1 FROM ${sql.from} WHERE ${where(sql)} LIMIT @scan)${derived}`), { pluck: true }),
        countWindow: residual ? db.prepare(text((sql, derived) => `SELECT count(*) AS n, coalesce(sum(m), 0) AS matched FROM
          (SELECT CASE WHEN ${sql.residual.join(' AND ')} THEN 1 ELSE 0 END AS m FROM ${sql.from} WHERE ${walk(sql)} LIMIT @scan)${derived}`)) : null,
        count: db.prepare(text((sql) => `SELECT count(*) FROM ${sql.from} WHERE ${where(sql)}`), { pluck: true }),
      };
      cache.set(key, s);
    }
    return s;
  };

  /** The window of `scan` rows of the walk below `before`: its lowest id, and whether the walk ended inside it. */
  const windowOf = async (s: Prepared, params: Params, before: number, scan: number) => {
    const w = await s.window!.get({ ...params, before, scan }) as { n: number; floor: number | null };
    return { floor: w.floor ?? 0, ended: w.n < scan };
  };

  /** An offset page, examining at most WALK_BUDGET rows; `total`: the list's exact size when known for free. */
  async function offsetPage(s: Prepared, params: Params, slice: Slice, total: number | null): Promise<ScannedPage<R>> {
    const before = slice.before ?? FROM_START;
    const p = { ...params, before, limit: slice.limit, offset: slice.offset };
    if (!s.windowed) {
      // A page past the middle of a list whose size is known for free is read from the other end.
      const known = slice.before === null ? total : null;
      const nearEnd = known !== null && slice.offset > known / 2;
      if (!nearEnd && slice.offset + slice.limit <= WALK_BUDGET) return { rows: await s.rows.all(p) as R[], resumeAt: null };
      // Deeper: from the other end when the list's size is known; else refused at once (finding out whether a
      // list is shorter than the offset would cost the count that is being avoided).
      const size = known;
      if (size === null) throw offsetTooDeep();
      const end = size - slice.offset;
      if (end <= 0) return { rows: [], resumeAt: null };
      const start = Math.max(0, end - slice.limit);
      if (start + slice.limit > WALK_BUDGET) throw offsetTooDeep();
      return { rows: (await s.reversed.all({ ...p, limit: end - start, offset: start }) as R[]).reverse(), resumeAt: null };
    }
    // Residual conditions: the matches among the WALK_BUDGET first rows of the walk.
    const w = await windowOf(s, params, before, WALK_BUDGET);
    const rows = await s.windowed.all({ ...p, floor: w.floor }) as R[];
    if (rows.length < slice.limit && !w.ended) throw offsetTooDeep();
    return { rows, resumeAt: null };
  }

  /** How many rows match when that takes at most WALK_BUDGET rows to find out, else null. */
  async function countUpTo(s: Prepared, params: Params): Promise<number | null> {
    if (s.countWindow) {
      const w = await s.countWindow.get({ ...params, scan: WALK_BUDGET }) as { n: number; matched: number };
      return w.n < WALK_BUDGET ? w.matched : null;
    }
    const n = await s.countUpTo.get({ ...params, scan: WALK_BUDGET + 1 }) as number;
    return n <= WALK_BUDGET ? n : null;
  }

  return {
    /**
     * A list page, newest first. By cursor (offset 0) with residual conditions, it examines at most SCAN_BUDGET rows
     * of the walk: fewer rows than asked then come with `resumeAt`, unless the walk ended. By offset it keeps its
     * meaning (the offset-th matching row) as far as WALK_BUDGET rows reach, read from the other end when the page
     * is nearer to it and the list's size is known for free (`total`); deeper, a 400 naming offset.
     */
    async page(sql: ListSqls, params: Params, slice: Slice, total: number | null = null): Promise<ScannedPage<R>> {
      const s = prepared(sql);
      if (slice.offset > 0) return offsetPage(s, params, slice, total);
      const before = slice.before ?? FROM_START;
      const p = { ...params, before, limit: slice.limit, offset: 0 };
      if (!s.windowed) return { rows: await s.rows.all(p) as R[], resumeAt: null };
      const w = await windowOf(s, params, before, SCAN_BUDGET);
      const found = await s.windowed.all({ ...p, floor: w.floor }) as R[];
      return { rows: found, resumeAt: found.length < slice.limit && !w.ended ? w.floor : null };
    },
    /** Every row of the slice, however many rows that examines (the CLI, in its own process). */
    async rows(sql: ListSqls, params: Params, slice: Slice): Promise<R[]> {
      const s = prepared(sql);
      return await s.rows.all({ ...params, before: slice.before ?? FROM_START, limit: slice.limit, offset: slice.offset }) as R[];
    },
    /** The exact number of matching rows when at most WALK_BUDGET rows are examined to find it; else a 400 naming total. */
    async total(sql: ListSqls, params: Params): Promise<number> {
      const n = await countUpTo(prepared(sql), params);
      if (n === null) throw totalTooCostly();
      return n;
    },
    /** The exact number of matching rows, however many that examines (the CLI, in its own process). */
    count: async (sql: ListSqls, params: Params): Promise<number> => await prepared(sql).count.get(params) as number,
  };
}

/** A list filter: an equality on `column`, given as `key`, walked in id order by `index` (SQLite's INDEXED BY). */
export interface EqualityFilter<K extends string> { key: K; column: string; index: string }

/**
 * The pieces of a table's list for the equality filters given (most selective first in `filters`): the first given
 * leads the walk (its index; `brandIndex` when none), the others are checked row by row within the bounded windows.
 * Answers `(brandId, values)` -> the list's SQL and its parameters.
 */
export function equalityList<K extends string>(table: string, columns: string, brandIndex: string, filters: ReadonlyArray<EqualityFilter<K>>) {
  const cache = new Map<string, ListSqls>();
  const sqlOf = (given: ReadonlyArray<EqualityFilter<K>>): ListSqls => {
    const [lead, ...rest] = given;
    return perEngine((d): ListSql => {
      const from = d === 'sqlite' ? `${table} INDEXED BY ${lead?.index ?? brandIndex}` : table;
      return {
        from,
        id: 'id',
        indexed: ['brand_id = @brandId', ...(lead ? [`${lead.column} = @${lead.key}`] : [])],
        residual: rest.map((f) => `${f.column} = @${f.key}`),
        page: (where, order) => `SELECT ${columns} FROM ${from} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset`,
      };
    });
  };
  return (brandId: string, values: Partial<Record<K, string | number | undefined>>) => {
    const given = filters.filter((x) => values[x.key] !== undefined);
    const key = given.map((x) => x.key).join(',');
    let sql = cache.get(key);
    if (!sql) cache.set(key, (sql = sqlOf(given)));
    return { sql, params: Object.fromEntries([['brandId', brandId], ...given.map((x) => [x.key, values[x.key]!])]) as Params };
  };
}
