// Applies the ordered migrations/NNN_name.sql files once each, recording them in schema_migrations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './open.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export function migrate(db: Db, dir: string = MIGRATIONS_DIR): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Set(
    db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[],
  );
  const files = readdirSync(dir).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  const pending = files.filter((f) => !applied.has(f));
  if (pending.length === 0) return [];
  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  try {
    for (const file of pending) {
      const sql = readFileSync(join(dir, file), 'utf8');
      // SQLite's way to change a table's constraints is to rebuild it (DROP TABLE, then a copy renamed), which needs
      // foreign keys off (they cannot be switched inside a transaction): such a migration checks every foreign key
      // before it commits instead. Every other migration runs with foreign keys on, so SQLite checks each statement
      // itself: a whole-database foreign_key_check costs about 17 s at 2,000,000 visits, per migration.
      const rebuilds = /\bDROP\s+TABLE\b/i.test(sql.replace(/--.*$/gm, ''));
      db.pragma(`foreign_keys = ${rebuilds ? 'OFF' : 'ON'}`);
      try {
        db.transaction(() => {
          db.exec(sql);
          if (rebuilds) {
            const broken = db.pragma('foreign_key_check') as unknown[];
            if (broken.length > 0) throw new Error(`migration ${file} leaves ${broken.length} broken foreign keys`);
          }
          record.run(file, new Date().toISOString());
        })();
      } catch (error) {
        if (error instanceof Error && !error.message.includes(file)) error.message = `migration ${file}: ${error.message}`;
        throw error;
      }
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return pending;
}
