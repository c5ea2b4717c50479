// Queries of the dashboard's users, their sign-in links and their sessions (migration 008). Tokens are looked up
// by their SHA-256 hash and a password sign-in by its email: the two lookups that find the brand; everything else
// filters by brand.
import type { Conn } from './port.ts';

export type DashboardRole = 'owner' | 'viewer';

export interface DashboardUser {
  id: number;
  brand_id: string;
  email: string;
  role: DashboardRole;
  password_hash: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface LoginToken {
  token_hash: string;
  brand_id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionRow {
  token_hash: string;
  brand_id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  ended_at: string | null;
}

export function createDashboardUserQueries(db: Conn) {
  const insertUser = db.prepare(
    `INSERT INTO dashboard_users (brand_id, email, role, created_at) VALUES (?, ?, ?, ?)`,
  );
  const selectUserByEmail = db.prepare(`SELECT * FROM dashboard_users WHERE brand_id = ? AND email = ?`);
  const selectUserById = db.prepare(`SELECT * FROM dashboard_users WHERE brand_id = ? AND id = ?`);
  const selectUsers = db.prepare(`SELECT * FROM dashboard_users WHERE brand_id = ? ORDER BY id`);
  // Every brand's user with this email who may sign in with a password (dashboard_users_by_email).
  const selectPasswordUsers = db.prepare(
    `SELECT * FROM dashboard_users WHERE email = ? AND password_hash IS NOT NULL AND disabled_at IS NULL ORDER BY id`,
  );
  const updatePassword = db.prepare(`UPDATE dashboard_users SET password_hash = ? WHERE brand_id = ? AND id = ?`);
  const updateRole = db.prepare(`UPDATE dashboard_users SET role = ? WHERE brand_id = ? AND id = ?`);
  const updateDisabled = db.prepare(`UPDATE dashboard_users SET disabled_at = ? WHERE brand_id = ? AND id = ?`);
  const insertToken = db.prepare(
    `INSERT INTO dashboard_login_tokens (token_hash, brand_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const selectToken = db.prepare(`SELECT * FROM dashboard_login_tokens WHERE token_hash = ?`);
  // Single use: only the first of two concurrent uses changes the row.
  const useToken = db.prepare(`UPDATE dashboard_login_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL`);
  const useUserTokens = db.prepare(
    `UPDATE dashboard_login_tokens SET used_at = ? WHERE brand_id = ? AND user_id = ? AND used_at IS NULL`,
  );
  const insertSession = db.prepare(
    `INSERT INTO dashboard_sessions (token_hash, brand_id, user_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const selectSession = db.prepare(`SELECT * FROM dashboard_sessions WHERE token_hash = ?`);
  const touchSession = db.prepare(
    `UPDATE dashboard_sessions SET last_seen_at = ? WHERE token_hash = ? AND ended_at IS NULL AND last_seen_at < ?`,
  );
  const endSession = db.prepare(`UPDATE dashboard_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL`);
  const endUserSessions = db.prepare(
    `UPDATE dashboard_sessions SET ended_at = ? WHERE brand_id = ? AND user_id = ? AND ended_at IS NULL`,
  );
  const endOtherSessions = db.prepare(
    `UPDATE dashboard_sessions SET ended_at = ? WHERE brand_id = ? AND user_id = ? AND ended_at IS NULL AND token_hash <> ?`,
  );

  return {
    insertUser: async (brandId: string, email: string, role: DashboardRole, at: string): Promise<number> =>
      Number((await insertUser.run(brandId, email, role, at)).lastInsertRowid),
    userByEmail: async (brandId: string, email: string) => await selectUserByEmail.get(brandId, email) as DashboardUser | undefined,
    userById: async (brandId: string, id: number) => await selectUserById.get(brandId, id) as DashboardUser | undefined,
    users: async (brandId: string) => await selectUsers.all(brandId) as DashboardUser[],
    /** across brands: the one lookup by email (password sign-in) */
    passwordUsersByEmail: async (email: string) => await selectPasswordUsers.all(email) as DashboardUser[],
    setPassword: async (brandId: string, id: number, hash: string | null) => (await updatePassword.run(hash, brandId, id)).changes === 1,
    setRole: async (brandId: string, id: number, role: DashboardRole) => (await updateRole.run(role, brandId, id)).changes === 1,
    setDisabled: async (brandId: string, id: number, at: string | null) => (await updateDisabled.run(at, brandId, id)).changes === 1,
    insertLoginToken: async (hash: string, brandId: string, userId: number, at: string, expiresAt: string) => {
      await insertToken.run(hash, brandId, userId, at, expiresAt);
    },
    loginToken: async (hash: string) => await selectToken.get(hash) as LoginToken | undefined,
    /** true for the one call that used it */
    useLoginToken: async (hash: string, at: string) => (await useToken.run(at, hash)).changes === 1,
    /** every unused link of the user, used up at once (a disabled user's links never work again) */
    useUserLoginTokens: async (brandId: string, userId: number, at: string) => { await useUserTokens.run(at, brandId, userId); },
    insertSession: async (hash: string, brandId: string, userId: number, csrf: string, at: string) => {
      await insertSession.run(hash, brandId, userId, csrf, at, at);
    },
    session: async (hash: string) => await selectSession.get(hash) as SessionRow | undefined,
    /** last_seen_at moves forward only */
    touchSession: async (hash: string, at: string) => { await touchSession.run(at, hash, at); },
    endSession: async (hash: string, at: string) => { await endSession.run(at, hash); },
    endUserSessions: async (brandId: string, userId: number, at: string) => { await endUserSessions.run(at, brandId, userId); },
    /** every session of the user but `keepHash` (the one that changed the password) */
    endOtherSessions: async (brandId: string, userId: number, keepHash: string, at: string) => { await endOtherSessions.run(at, brandId, userId, keepHash); },
  };
}
