// Applies the ordered pg/migrations/NNN_name.sql files once each on PostgreSQL, recording them in schema_migrations,
// safely when several collector processes start at once on one database.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClientBase } from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * The key of the advisory lock every migrating process takes first. Fixed, so that every process of every version
 * waits on the same lock; an advisory lock belongs to one database, so collectors of other databases on the same
 * server never wait on it. Without it two processes starting together would both read "not applied" and both run a
 * migration (the second failing halfway, or worse, a data step applied twice). ('refloop' in ASCII.)
 */
export const MIGRATION_LOCK_KEY = 0x7265666c6f6f70n;

/** The migration files of `dir`, in the order they apply (NNN_name.sql). */
export function migrationFiles(dir: string = MIGRATIONS_DIR): string[] {
  return readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/**
 * Applies every migration of `dir` not yet recorded, each in its own transaction with its record, and returns the
 * names this call applied (none when another process applied them first). `client` must not be in a transaction.
 */
export async function migratePg(client: ClientBase, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = migrationFiles(dir);
  const applied: string[] = [];
  for (;;) {
    await client.query('BEGIN');
    try {
      // Held until this transaction ends: the read of schema_migrations below sees every migration another process
      // committed before, and no other process migrates until this one's migration is committed with its record.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text COLLATE "C" PRIMARY KEY, applied_at text COLLATE "C" NOT NULL)');
      const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      const next = files.find((f) => !done.has(f));
      if (next === undefined) {
        await client.query('COMMIT');
        return applied;
      }
      try {
        await client.query(readFileSync(join(dir, next), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [next, new Date().toISOString()]);
      } catch (error) {
        if (error instanceof Error && !error.message.includes(next)) error.message = `migration ${next}: ${error.message}`;
        throw error;
      }
      await client.query('COMMIT');
      applied.push(next);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }
}
