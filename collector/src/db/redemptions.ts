// Queries for redemptions (migration 017): each spending of an advocate's points on a catalogue reward
// (db/catalogueRewards.ts), pending until fulfilled or cancelled.
import { equalityList, keysetList, type ScannedPage, type Slice } from './keyset.ts';
import type { Conn } from './port.ts';

export type RedemptionStatus = 'pending' | 'fulfilled' | 'cancelled';

export interface Redemption {
  id: number;
  catalogueRewardId: number;
  advocateId: number;
  pointsCost: number;
  status: RedemptionStatus;
  fulfilment: string | null;
  cancelReason: string | null;
  /** null for a quest's grant (0 points) */
  pointsTransactionId: number | null;
  refundTransactionId: number | null;
  createdAt: string;
  updatedAt: string;
  fulfilledAt: string | null;
  cancelledAt: string | null;
  /** the quest whose completion granted it (migration 022); null: redeemed with points */
  questId: number | null;
}

export type NewRedemption = Pick<Redemption, 'catalogueRewardId' | 'advocateId' | 'pointsCost' | 'pointsTransactionId' | 'createdAt'>
  & { questId?: number | null };

export interface RedemptionFilter {
  advocateId?: number | undefined;
  catalogueRewardId?: number | undefined;
  status?: RedemptionStatus | undefined;
}

const COLUMNS = `id, catalogue_reward_id AS catalogueRewardId, advocate_id AS advocateId, points_cost AS pointsCost, status, fulfilment,
  cancel_reason AS cancelReason, points_transaction_id AS pointsTransactionId, refund_transaction_id AS refundTransactionId,
  created_at AS createdAt, updated_at AS updatedAt, fulfilled_at AS fulfilledAt, cancelled_at AS cancelledAt, quest_id AS questId`;

/** Each filter's column and the index that walks it in id order (migration 017), most selective first. */
const listOf = equalityList<keyof RedemptionFilter>('redemptions', COLUMNS, 'redemptions_brand', [
  { key: 'advocateId', column: 'advocate_id', index: 'redemptions_advocate' },
  { key: 'catalogueRewardId', column: 'catalogue_reward_id', index: 'redemptions_reward' },
  { key: 'status', column: 'status', index: 'redemptions_status' },
]);

export function createRedemptionQueries(db: Conn) {
  const find = db.prepare(`SELECT ${COLUMNS} FROM redemptions WHERE brand_id = ? AND id = ?`);
  const insert = db.prepare(
    `INSERT INTO redemptions (brand_id, catalogue_reward_id, advocate_id, points_cost, status, points_transaction_id, created_at, updated_at, quest_id)
     VALUES (@brandId, @catalogueRewardId, @advocateId, @pointsCost, 'pending', @pointsTransactionId, @createdAt, @createdAt, @questId)`);
  // Each move only from the status the service found under the catalogue reward's lock: a move made meanwhile changes nothing.
  const fulfil = db.prepare(
    `UPDATE redemptions SET status = 'fulfilled', fulfilment = @fulfilment, fulfilled_at = @now, updated_at = @now
     WHERE brand_id = @brandId AND id = @id AND status = 'pending'`);
  const cancel = db.prepare(
    `UPDATE redemptions SET status = 'cancelled', cancel_reason = @reason, refund_transaction_id = @refundTransactionId,
       cancelled_at = @now, updated_at = @now
     WHERE brand_id = @brandId AND id = @id AND status = @from`);
  const lists = keysetList<Redemption>(db);
  const toRedemption = (r: Redemption): Redemption => ({
    ...r, id: Number(r.id), catalogueRewardId: Number(r.catalogueRewardId), advocateId: Number(r.advocateId), pointsCost: Number(r.pointsCost),
    pointsTransactionId: r.pointsTransactionId === null ? null : Number(r.pointsTransactionId), questId: r.questId === null ? null : Number(r.questId),
    refundTransactionId: r.refundTransactionId === null ? null : Number(r.refundTransactionId),
  });

  return {
    find: async (brandId: string, id: number): Promise<Redemption | undefined> => {
      const r = await find.get(brandId, id) as Redemption | undefined;
      return r && toRedemption(r);
    },
    insert: async (brandId: string, r: NewRedemption): Promise<number> => Number((await insert.run({ brandId, ...r, questId: r.questId ?? null })).lastInsertRowid),
    /** pending -> fulfilled; false when it was not pending. */
    fulfil: async (brandId: string, id: number, fulfilment: string, now: string): Promise<boolean> =>
      (await fulfil.run({ brandId, id, fulfilment, now })).changes === 1,
    /** `from` -> cancelled, with the ledger entry that gave the points back; false when it was not `from`. */
    cancel: async (brandId: string, id: number, from: RedemptionStatus, c: { reason: string | null; refundTransactionId: number | null }, now: string) =>
      (await cancel.run({ brandId, id, from, ...c, now })).changes === 1,
    /** A page of the brand's redemptions, newest first (db/keyset.ts `page`). */
    async page(brandId: string, f: RedemptionFilter, slice: Slice): Promise<ScannedPage<Redemption>> {
      const { sql, params } = listOf(brandId, f);
      const page = await lists.page(sql, params, slice);
      return { ...page, rows: page.rows.map(toRedemption) };
    },
    /** How many match (db/keyset.ts `total`: a 400 naming total past WALK_BUDGET rows). */
    total: (brandId: string, f: RedemptionFilter): Promise<number> => {
      const { sql, params } = listOf(brandId, f);
      return lists.total(sql, params);
    },
  };
}
