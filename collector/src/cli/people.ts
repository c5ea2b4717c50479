// referloop person export|erase: a person's data on request and its erasure, by email, with the API's schema and use
// cases in one transaction on the brand (loaded only by these commands).
import { writeFileSync } from 'node:fs';
import { createQueries } from '../db/queries.ts';
import { erasureHash } from '../domain/privacy.ts';
import { parseBody } from '../http/parse.ts';
import { zPersonQuery } from '../schemas/people.ts';
import { erasePerson, exportPerson } from '../services/people.ts';
import { inBrand } from './inBrand.ts';
import { masterKeyOf, openExisting, print, withDb, type BrandOpts } from './common.ts';

type PersonOpts = BrandOpts & { email: string };

/** The email through the API's schema (the same message names the field), and its erasure hash. */
function person(opts: PersonOpts): { email: string; hash: string } {
  const { email } = parseBody(zPersonQuery, { email: opts.email }).data;
  return { email, hash: erasureHash(masterKeyOf(opts), opts.brand, email) };
}

/** How many stored rows an export holds. */
function rowCount({ customer: c, advocate: a }: Awaited<ReturnType<typeof exportPerson>>): number {
  const asAdvocate = a ? 1 + a.codes.length + a.commissions.length + a.commission_history.length + a.points.length : 0;
  return c.claims.length + c.conversions.length + c.refunds.length + c.visits.length + asAdvocate;
}

/** Writes the export to `--out` (mode 0600: it holds the person's data) or to stdout. */
export async function personExport(opts: PersonOpts & { out?: string }): Promise<void> {
  const { email, hash } = person(opts);
  const data = await inBrand(opts, (ctx) => exportPerson(ctx, email, hash));
  const json = JSON.stringify({ person: data }, null, 2) + '\n';
  if (!opts.out) {
    process.stdout.write(json);
    return;
  }
  writeFileSync(opts.out, json, { mode: 0o600 });
  const summary = { file: opts.out, rows: rowCount(data), advocate: data.advocate !== null, erasures: data.erasures.length };
  print(opts, summary, `${summary.rows} row(s) about ${email} written to ${opts.out}` +
    (data.erasures.length ? ` (erased ${data.erasures.length} time(s) before, last at ${data.erasures.at(-1)!.erased_at})` : ''));
}

export async function personErase(opts: PersonOpts): Promise<void> {
  const { email, hash } = person(opts);
  const r = await inBrand(opts, (ctx) => erasePerson(ctx, email, hash, { actor: 'cli', keyId: null }));
  // After COMMIT: empty the -wal file, which may still hold the pages the erasure overwrote (the collector's readers
  // may be in the way: then its later checkpoints overwrite them).
  const walEmptied = r.already_erased || await withDb(openExisting(opts), (db) => createQueries(db).people.truncateWal());
  const counts = Object.entries(r.erasure.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing held';
  print(opts, { ...r, wal_emptied: walEmptied }, r.already_erased
    ? `${email} was already erased (erasure ${r.erasure.erasure_id}, ${r.erasure.erased_at}); nothing left to erase`
    : `erased ${email} (erasure ${r.erasure.erasure_id}): ${counts}`);
}
