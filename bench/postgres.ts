// The bench's PostgreSQL: a throwaway server of its own (the tests' collector/test/support/postgres.ts, with fsync on,
// as initdb makes it) and one fresh, migrated database on it; the server is stopped and removed on cleanUp.
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createTestDatabase, pgUnavailable, startPgCluster, stopPgCluster } from '../collector/test/support/postgres.ts';
import { onCleanUp, treeCpuUs } from './processes.ts';

/** The durability settings a comparison with SQLite's synchronous=FULL must show. */
const SETTINGS = ['server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers'] as const;

export type PgSettings = Record<(typeof SETTINGS)[number], string>;

/** The pid of the server listening at `port` (its postmaster: the process started with `-p <port>`). */
function postmasterPid(port: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('/postgres') && argv.join(' ').includes(`-p ${port} `)) return Number(entry);
    } catch {
      // the process ended between the listing and the read
    }
  }
  throw new Error(`no postgres process listening at port ${port}`);
}

/**
 * A database on a new server, with the server's settings as SHOW reads them and a reading of the CPU the whole server
 * has used so far (its backends included); or why this machine cannot start one.
 */
export async function benchDatabase(): Promise<{ url: string; settings: PgSettings; cpuUs(): number } | { unavailable: string }> {
  const why = pgUnavailable();
  if (why) return { unavailable: why };
  onCleanUp(stopPgCluster);
  // createTestDatabase makes its databases on the server this variable names: the bench's own, not a test run's.
  process.env.REFERLOOP_TEST_PG_URL = await startPgCluster();
  const { url } = await createTestDatabase();
  const pid = postmasterPid(new URL(url).port);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const settings = {} as PgSettings;
    for (const name of SETTINGS) settings[name] = String((await client.query(`SHOW ${name}`)).rows[0]![name]);
    return { url, settings, cpuUs: () => treeCpuUs(pid) };
  } finally {
    await client.end();
  }
}
