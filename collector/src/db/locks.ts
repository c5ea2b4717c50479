// Locks that serialize the jobs deciding on the same thing across collector processes, held until the job's
// transaction ends. SQLite needs none: one connection writes at a time, and a job runs from BEGIN to COMMIT alone.
import type { Conn } from './port.ts';

/**
 * What a lock is taken on: a brand's commissions (a status move, a payout, a settlement batch, a refund's clawback
 * decide from what the rows say and must not interleave), an advocate's points balance, or one (code, email) pair's
 * claims (one claim per 24 hours), one Idempotency-Key (a twin request waits and replays the first's answer), a brand's campaigns (a name taken
 * once, at most MAX_CAMPAIGNS), a brand's rewards catalogue (at most MAX_CATALOGUE_REWARDS), one catalogue reward's stock and
 * its redemptions (never below zero, each redemption moved once), an advocate's click and share counts (each milestone of a reward action seen once), a brand's quests (at most
 * MAX_QUESTS), one advocate's progress in one quest (each task's points and the quest's reward awarded once), one customer of a site recognised by single sign-on (mapped once, enrolled once), or the first start's demo brand (several collectors starting at once make one).
 */
export type LockScope =
  | { commissionsOf: string }
  | { pointsOf: string; advocateId: number }
  | { claimsOf: string; code: string; email: string }
  | { idempotencyOf: string; key: string }
  | { campaignsOf: string }
  | { catalogueOf: string }
  | { catalogueRewardOf: string; catalogueRewardId: number }
  /** a brand's feedback boards (at most MAX_BOARDS) */
  | { boardsOf: string }
  | { countsOf: string; advocateId: number }
  | { questsOf: string }
  | { questOf: string; questId: number; advocateId: number }
  | { ssoCustomerOf: string; externalCustomerId: string }
  | { firstStart: true };

const lockName = (s: LockScope): string =>
  'commissionsOf' in s ? `commissions:${s.commissionsOf}`
    : 'pointsOf' in s ? `points:${s.pointsOf}:${s.advocateId}`
      : 'claimsOf' in s ? `claims:${s.claimsOf}:${s.code}:${s.email}`
        : 'idempotencyOf' in s ? `idempotency:${s.idempotencyOf}:${s.key}`
        : 'campaignsOf' in s ? `campaigns:${s.campaignsOf}`
        : 'catalogueOf' in s ? `catalogue:${s.catalogueOf}`
        : 'catalogueRewardOf' in s ? `catalogue-reward:${s.catalogueRewardOf}:${s.catalogueRewardId}`
        : 'boardsOf' in s ? `feedback-boards:${s.boardsOf}`
        : 'countsOf' in s ? `counts:${s.countsOf}:${s.advocateId}`
        : 'questsOf' in s ? `quests:${s.questsOf}`
        : 'questOf' in s ? `quest:${s.questOf}:${s.questId}:${s.advocateId}`
        : 'ssoCustomerOf' in s ? `sso-customer:${s.ssoCustomerOf}:${s.externalCustomerId}`
        : 'first-start';

export function createLockQueries(db: Conn) {
  // A transaction-scoped advisory lock on a 64-bit hash of the name: a collision only makes two unrelated jobs wait
  // for each other, never lets two related ones through.
  const hold = db.dialect === 'pg' ? db.prepare('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))') : null;
  return {
    /** Waits until no other transaction holds `scope`, and holds it until this one ends. */
    async hold(scope: LockScope): Promise<void> {
      if (hold) await hold.run(lockName(scope));
    },
  };
}
