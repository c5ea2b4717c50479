// PostgreSQL's plan of a statement (EXPLAIN's text), for the plan tests that run on both engines.
import type { Conn, Sql } from '../../src/db/port.ts';

/**
 * EXPLAIN of `sql` with `params` (as the statement takes them), in one read transaction without sequential or bitmap
 * scans: a test's tables are tiny, and PostgreSQL reads a tiny table whole; so a scan of a whole table, or a Sort,
 * is left only where no index serves the statement's conditions and order.
 */
export async function pgPlan(db: Conn, sql: Sql, ...params: unknown[]): Promise<string> {
  return db.transaction(async () => {
    await db.exec('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
    const text = typeof sql === 'string' ? sql : sql.pg;
    return (await db.prepare(`EXPLAIN ${text}`, { pluck: true }).all(...params) as string[]).join('\n');
  }, { mode: 'read' });
}
