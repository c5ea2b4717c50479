// Queries of the advocate portal (migration 023): its single-use entry links and its sessions, each kept only as the
// SHA-256 hash of its token. A session names its brand and advocate; the portal reads nothing the session does not name.
import type { Conn } from './port.ts';

export interface PortalLinkRow {
  brandId: string;
  advocateId: number;
  expiresAt: string;
  usedAt: string | null;
}

export interface PortalSessionRow {
  brandId: string;
  advocateId: number;
  csrf: string;
  lastSeenAt: string;
  expiresAt: string;
  endedAt: string | null;
}

export function createPortalQueries(db: Conn) {
  const insertLink = db.prepare(
    `INSERT INTO portal_links (brand_id, advocate_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`);
  const link = db.prepare(
    `SELECT brand_id AS brandId, advocate_id AS advocateId, expires_at AS expiresAt, used_at AS usedAt FROM portal_links WHERE token_hash = ?`);
  // Used once: of two requests with one link, only the first changes the row.
  const useLink = db.prepare(`UPDATE portal_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`);
  const insertSession = db.prepare(
    `INSERT INTO portal_sessions (brand_id, advocate_id, token_hash, csrf, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const session = db.prepare(
    `SELECT brand_id AS brandId, advocate_id AS advocateId, csrf, last_seen_at AS lastSeenAt, expires_at AS expiresAt, ended_at AS endedAt
     FROM portal_sessions WHERE token_hash = ?`);
  const touch = db.prepare(`UPDATE portal_sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL`);
  const end = db.prepare(`UPDATE portal_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL`);
  // portal_sessions_advocate: the advocate's newest last_seen_at is the index's last entry for them.
  const lastSeen = db.prepare(
    `SELECT last_seen_at FROM portal_sessions WHERE brand_id = ? AND advocate_id = ? ORDER BY last_seen_at DESC LIMIT 1`, { pluck: true });
  // ---- a person (services/people.ts): their advocate's links and sessions go with the erasure
  const eraseLinks = db.prepare(`DELETE FROM portal_links WHERE brand_id = ? AND advocate_id = ?`);
  const eraseSessions = db.prepare(`DELETE FROM portal_sessions WHERE brand_id = ? AND advocate_id = ?`);
  // ---- the retention sweep: links and sessions past their expiry (housekeeping over every brand, as sso_sessions')
  const anyExpired = db.prepare(
    `SELECT 1 WHERE EXISTS (SELECT 1 FROM portal_links WHERE expires_at < ?) OR EXISTS (SELECT 1 FROM portal_sessions WHERE expires_at < ?)`, { pluck: true });
  const expiredLinks = db.prepare(
    `DELETE FROM portal_links WHERE id IN (SELECT id FROM portal_links WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`);
  const expiredSessions = db.prepare(
    `DELETE FROM portal_sessions WHERE id IN (SELECT id FROM portal_sessions WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`);
  const toNumbers = <T extends { advocateId: number }>(r: T | undefined): T | undefined => (r ? { ...r, advocateId: Number(r.advocateId) } : undefined);
  return {
    insertLink: async (brandId: string, advocateId: number, tokenHash: string, expiresAt: string, createdAt: string): Promise<void> => {
      await insertLink.run(brandId, advocateId, tokenHash, expiresAt, createdAt);
    },
    link: async (tokenHash: string): Promise<PortalLinkRow | undefined> => toNumbers(await link.get(tokenHash) as PortalLinkRow | undefined),
    /** Whether this call used the link up (false: another did first). */
    useLink: async (tokenHash: string, at: string): Promise<boolean> => (await useLink.run(at, tokenHash)).changes === 1,
    insertSession: async (s: { brandId: string; advocateId: number; tokenHash: string; csrf: string; at: string; expiresAt: string }): Promise<void> => {
      await insertSession.run(s.brandId, s.advocateId, s.tokenHash, s.csrf, s.at, s.at, s.expiresAt);
    },
    session: async (tokenHash: string): Promise<PortalSessionRow | undefined> => toNumbers(await session.get(tokenHash) as PortalSessionRow | undefined),
    touchSession: async (tokenHash: string, at: string): Promise<void> => { await touch.run(at, tokenHash); },
    endSession: async (tokenHash: string, at: string): Promise<void> => { await end.run(at, tokenHash); },
    /** When the advocate last used the portal, or null if never. */
    lastSeen: async (brandId: string, advocateId: number): Promise<string | null> => (await lastSeen.get(brandId, advocateId) as string | undefined) ?? null,
    eraseAdvocate: async (brandId: string, advocateId: number): Promise<void> => {
      await eraseLinks.run(brandId, advocateId);
      await eraseSessions.run(brandId, advocateId);
    },
    /** Whether a link or a session expired before `now` (a step on each expiry index): the sweep's job only then. */
    hasExpired: async (now: string): Promise<boolean> => await anyExpired.get(now, now) !== undefined,
    /** At most `limit` links and `limit` sessions past their expiry, gone; answers how many rows. */
    removeExpired: async (now: string, limit: number): Promise<number> =>
      (await expiredLinks.run(now, limit)).changes + (await expiredSessions.run(now, limit)).changes,
  };
}
