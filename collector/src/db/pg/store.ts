// The collector's storage on PostgreSQL: one pool for writes and reads, migrations under an advisory lock, and a
// listening client that counts the other processes' key changes (the key cache, db/brands.ts).
import pg from 'pg';
import type { Store } from '../store.ts';
import { DELIVERY_CHANNEL, KEY_CHANNEL, pgConn, pgPool } from './conn.ts';
import { migratePg } from './migrate.ts';
import { PgQueue } from './queue.ts';
import { PgRateLimitStore } from './rateLimitStore.ts';

/** The URL as the log may show it: without its password. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export async function openPgStore(url: string, opts: { poolSize?: number; listen?: boolean } = {}): Promise<Store> {
  const pool = pgPool(url, opts.poolSize ?? 10);
  let idTables: Set<string>;
  try {
    const client = await pool.connect();
    try {
      await migratePg(client);
      const r = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id'`);
      idTables = new Set(r.rows.map((row) => row.table_name));
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Its own connection, outside the pool: LISTEN holds a session. While it is lost, every check of the key cache
  // empties it (the count moves), so no revoked key is honoured for want of a notification.
  let notices = 0;
  const deliveryListeners: Array<() => void> = [];
  let lost = false;
  // A one-shot command (the CLI) caches nothing for long and has no listener.
  const listener = opts.listen === false ? null : new pg.Client({ connectionString: url });
  if (listener) {
    listener.on('notification', (n) => {
      if (n.channel === DELIVERY_CHANNEL) for (const l of deliveryListeners) l();
      else notices++;
    });
    listener.on('error', () => { lost = true; });
    await listener.connect();
    await listener.query(`LISTEN ${KEY_CHANNEL}`);
    await listener.query(`LISTEN ${DELIVERY_CHANNEL}`);
  }
  const conn = pgConn(pool, { idTables, keyNotices: () => (lost ? ++notices : notices) });
  return {
    engine: 'pg',
    db: conn,
    read: conn,
    queue: new PgQueue(conn),
    problem: () => null,
    limitStore: (prefix) => new PgRateLimitStore(pool, prefix),
    onDeliveries: (l) => { deliveryListeners.push(l); },
    describe: redactedUrl(url),
    async close() {
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
