// Where the data lives: REFERLOOP_DB / REFERLOOP_DATA_DIR -> the database file and the data folder, for the server
// (config.ts) and the CLI alike. Its own module without zod, so the CLI's quick commands start fast.

export const DEFAULT_DATA_DIR = './data';

/** The data folder and database file the environment names. */
export function databasePaths(env: NodeJS.ProcessEnv = process.env): { dataDir: string; dbPath: string } {
  const dataDir = env.REFERLOOP_DATA_DIR || DEFAULT_DATA_DIR;
  return { dataDir, dbPath: env.REFERLOOP_DB || `${dataDir.replace(/\/$/, '')}/referloop.db` };
}
