// The bench's PostgreSQL: a throwaway server of its own (the tests' collector/test/support/postgres.ts, with fsync on,
// as initdb makes it) and one fresh, migrated database on it; the server is stopped and removed on cleanUp.
import pg from 'pg';
import { createTestDatabase, pgUnavailable, startPgCluster, stopPgCluster } from '../collector/test/support/postgres.ts';
import { onCleanUp } from './processes.ts';

/** The durability settings a comparison with SQLite's synchronous=FULL must show. */
const SETTINGS = ['server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers'] as const;

export type PgSettings = Record<(typeof SETTINGS)[number], string>;

/** A database on a new server, with the server's settings as SHOW reads them; or why this machine cannot start one. */
export async function benchDatabase(): Promise<{ url: string; settings: PgSettings } | { unavailable: string }> {
  const why = pgUnavailable();
  if (why) return { unavailable: why };
  onCleanUp(stopPgCluster);
  // createTestDatabase makes its databases on the server this variable names: the bench's own, not a test run's.
  process.env.REFERLOOP_TEST_PG_URL = await startPgCluster();
  const { url } = await createTestDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const settings = {} as PgSettings;
    for (const name of SETTINGS) settings[name] = String((await client.query(`SHOW ${name}`)).rows[0]![name]);
    return { url, settings };
  } finally {
    await client.end();
  }
}
