// Queries for single sign-on (migration 021): the site's customers mapped to advocates, and the short-lived sessions
// POST /sso/recognize hands out (only each token's SHA-256 hash is stored).
import { keysetList, type ListSql, type ScannedPage, type Slice } from './keyset.ts';
import { perEngine, type Conn } from './port.ts';

export interface SsoMapping {
  id: number;
  advocateId: number;
  externalCustomerId: string;
  externalEmail: string | null;
  externalName: string | null;
  createdAt: string;
}

export type NewSsoMapping = Omit<SsoMapping, 'id'>;

export interface SsoSession {
  brandId: string;
  advocateId: number;
  expiresAt: string;
}

const COLUMNS = `id, advocate_id AS advocateId, external_customer_id AS externalCustomerId, external_email AS externalEmail,
  external_name AS externalName, created_at AS createdAt`;

/** The list newest first: the brand's mappings (sso_mappings_brand), or one advocate's (sso_mappings_advocate, in id order). */
const listSql = (byAdvocate: boolean) => perEngine((d): ListSql => {
  const from = d === 'sqlite' ? `sso_mappings INDEXED BY ${byAdvocate ? 'sso_mappings_advocate' : 'sso_mappings_brand'}` : 'sso_mappings';
  return {
    from,
    id: 'id',
    indexed: ['brand_id = @brandId', ...(byAdvocate ? ['advocate_id = @advocateId'] : [])],
    residual: [],
    page: (where, order) => `SELECT ${COLUMNS} FROM ${from} WHERE ${where} ORDER BY id ${order} LIMIT @limit OFFSET @offset`,
  };
});

const toMapping = (r: SsoMapping): SsoMapping => ({ ...r, id: Number(r.id), advocateId: Number(r.advocateId) });

export function createSsoQueries(db: Conn) {
  const byId = db.prepare(`SELECT ${COLUMNS} FROM sso_mappings WHERE brand_id = ? AND id = ?`);
  const byCustomer = db.prepare(`SELECT ${COLUMNS} FROM sso_mappings WHERE brand_id = ? AND external_customer_id = ?`);
  const insert = db.prepare(
    `INSERT INTO sso_mappings (brand_id, advocate_id, external_customer_id, external_email, external_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     -- a customer mapped by another job meanwhile keeps that mapping (the caller reads it again)
     ON CONFLICT DO NOTHING`);
  const remove = db.prepare(`DELETE FROM sso_mappings WHERE brand_id = ? AND id = ?`);
  const insertSession = db.prepare(`INSERT INTO sso_sessions (brand_id, advocate_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`);
  // The token's brand comes from its row: a token names no brand, and opens only what its own row says.
  const session = db.prepare(`SELECT brand_id AS brandId, advocate_id AS advocateId, expires_at AS expiresAt FROM sso_sessions WHERE token_hash = ?`);
  // The oldest `limit` past their expiry (sso_sessions_expiry): housekeeping over every brand, as the retention sweep's
  // brand list; it deletes rows that no longer open anything and answers nothing of them.
  const anyExpired = db.prepare(`SELECT 1 FROM sso_sessions WHERE expires_at < ? LIMIT 1`, { pluck: true });
  const removeExpired = db.prepare(
    `DELETE FROM sso_sessions WHERE id IN (SELECT id FROM sso_sessions WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`);
  // ---- a person (services/people.ts): the mappings naming their email or their advocate, and that advocate's sessions
  const ofPerson = db.prepare(`SELECT * FROM sso_mappings WHERE brand_id = ? AND (external_email = ? OR advocate_id = ?) ORDER BY id`);
  const eraseMappings = db.prepare(`DELETE FROM sso_mappings WHERE brand_id = ? AND (external_email = ? OR advocate_id = ?)`);
  const eraseSessions = db.prepare(`DELETE FROM sso_sessions WHERE brand_id = ? AND advocate_id = ?`);
  const lists = keysetList<SsoMapping>(db);
  const brandList = listSql(false);
  const advocateList = listSql(true);
  return {
    find: async (brandId: string, id: number) => {
      const r = await byId.get(brandId, id) as SsoMapping | undefined;
      return r && toMapping(r);
    },
    findByCustomer: async (brandId: string, externalCustomerId: string) => {
      const r = await byCustomer.get(brandId, externalCustomerId) as SsoMapping | undefined;
      return r && toMapping(r);
    },
    /** The new mapping's id; undefined when the customer is mapped already (nothing written). */
    async insert(brandId: string, m: NewSsoMapping): Promise<number | undefined> {
      const r = await insert.run(brandId, m.advocateId, m.externalCustomerId, m.externalEmail, m.externalName, m.createdAt);
      return r.changes === 0 ? undefined : Number(r.lastInsertRowid);
    },
    remove: async (brandId: string, id: number): Promise<boolean> => (await remove.run(brandId, id)).changes === 1,
    async page(brandId: string, advocateId: number | undefined, slice: Slice): Promise<ScannedPage<SsoMapping>> {
      const page = await lists.page(advocateId === undefined ? brandList : advocateList, { brandId, ...(advocateId === undefined ? {} : { advocateId }) }, slice);
      return { ...page, rows: page.rows.map(toMapping) };
    },
    total: (brandId: string, advocateId: number | undefined): Promise<number> =>
      lists.total(advocateId === undefined ? brandList : advocateList, { brandId, ...(advocateId === undefined ? {} : { advocateId }) }),
    insertSession: async (brandId: string, advocateId: number, tokenHash: string, expiresAt: string, createdAt: string): Promise<void> => {
      await insertSession.run(brandId, advocateId, tokenHash, expiresAt, createdAt);
    },
    session: async (tokenHash: string): Promise<SsoSession | undefined> => {
      const r = await session.get(tokenHash) as SsoSession | undefined;
      return r && { ...r, advocateId: Number(r.advocateId) };
    },
    /** The mappings of a person: by the email the site gave, or of their advocate (`advocateId`, -1: none); rows as stored. */
    personMappings: async (brandId: string, email: string, advocateId: number): Promise<Array<Record<string, unknown>>> =>
      (await ofPerson.all(brandId, email, advocateId) as Array<Record<string, unknown>>).map(({ brand_id: _, ...row }) => row),
    /** A person's erasure: their mappings deleted, and their advocate's sessions ended; the counts. */
    async erasePerson(brandId: string, email: string, advocateId: number): Promise<{ mappings: number; sessions: number }> {
      return { mappings: (await eraseMappings.run(brandId, email, advocateId)).changes, sessions: (await eraseSessions.run(brandId, advocateId)).changes };
    },
    /** Whether a session expired before `now` (one step on sso_sessions_expiry): the sweep's job only when one has. */
    hasExpiredSessions: async (now: string): Promise<boolean> => await anyExpired.get(now) !== undefined,
    /**
     * At most `limit` sessions past their expiry, gone (each is refused from the moment it expires; this only frees
     * their rows); answers how many.
     */
    removeExpiredSessions: async (now: string, limit: number): Promise<number> => (await removeExpired.run(now, limit)).changes,
  };
}
