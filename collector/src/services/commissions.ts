// Use cases of the rewards (commissions): the cooling period, status changes by the operator, lists, payouts.
import { ApiError } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import { netValue, statusChange, type OperatorStatus } from '../domain/commissions.ts';
import type { Actor, Reward, RewardDetail, RewardFilters, RewardStatus } from '../db/rewards.ts';
import type { Ctx } from './context.ts';
import { payoutLines } from '../domain/payouts.ts';
import { postPoints } from './points.ts';

export interface CommissionFilters {
  status?: RewardStatus | undefined;
  advocateId?: number | undefined;
  level?: 1 | 2 | undefined;
  /** ISO date-times on created_at: `from` inclusive, `to` exclusive */
  from?: string | undefined;
  to?: string | undefined;
}

const toRewardFilters = (f: CommissionFilters, kind: 'cash' | 'points' | null = null): RewardFilters => ({
  status: f.status ?? null,
  advocateId: f.advocateId ?? null,
  level: f.level ?? null,
  kind,
  from: f.from ?? null,
  to: f.to ?? null,
});

const commissionNotFound = (id: number) =>
  new ApiError(404, 'not_found', `No commission with id ${id} for this brand`, [{ field: 'id', message: 'no commission with this id' }]);

/** Cash as a decimal, points as whole points. */
const valueOf = (r: { kind: 'cash' | 'points' }, units: number) => (r.kind === 'cash' ? toDecimal(units) : units);

export function commissionView({ brand }: Ctx, r: RewardDetail) {
  return {
    id: r.id,
    advocate_id: r.advocateId,
    conversion_id: r.conversionId,
    order_id: r.orderId,
    level: r.level,
    kind: r.kind,
    amount: valueOf(r, r.amount),
    original_amount: valueOf(r, r.originalAmount),
    clawed_back: valueOf(r, r.clawedBack),
    clawback_recovered: valueOf(r, r.clawbackRecovered),
    net_amount: valueOf(r, netValue(r)),
    status: r.status,
    reason: r.reason,
    currency: brand.currency,
    conversion_amount: toDecimal(r.conversionAmount),
    available_at: r.availableAt,
    approved_at: r.approvedAt,
    paid_at: r.paidAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export type CommissionView = ReturnType<typeof commissionView>;

/** One commission with its history, oldest change first; 404 when the brand has no such commission. */
export function getCommission(ctx: Ctx, id: number) {
  const r = ctx.q.rewards.findDetail(ctx.brand.id, id);
  if (!r) throw commissionNotFound(id);
  const history = ctx.q.rewards.history(ctx.brand.id, id).map((e) => ({
    event: e.event,
    delta: valueOf(r, e.delta),
    note: e.note,
    actor: e.actor,
    created_at: e.createdAt,
  }));
  return { ...commissionView(ctx, r), history };
}

/** A page of the brand's commissions, newest first. */
export function listCommissions(ctx: Ctx, filters: CommissionFilters, page: { limit: number; offset: number }) {
  const f = toRewardFilters(filters);
  const rows = ctx.q.rewards.list(ctx.brand.id, f, page.limit, page.offset);
  return { commissions: rows.map((r) => commissionView(ctx, r)), total: ctx.q.rewards.count(ctx.brand.id, f) };
}

/** Every commission matching the filters, newest first, with the advocate's name and email (the CSV export). */
export function exportCommissions(ctx: Ctx, filters: CommissionFilters) {
  return ctx.q.rewards.list(ctx.brand.id, toRewardFilters(filters), -1, 0).map((r) => ({
    ...commissionView(ctx, r),
    advocate_name: r.advocateName,
    advocate_email: r.advocateEmail,
  }));
}

export type CommissionExportRow = ReturnType<typeof exportCommissions>[number];

function save(ctx: Ctx, r: Reward, event: { event: string; delta: number; note: string | null; actor: Actor; at: string }): Reward {
  ctx.q.rewards.save(ctx.brand.id, r);
  ctx.q.rewards.addEvent(ctx.brand.id, r.id, event);
  return r;
}

/** approved -> paid at `at`. A points reward is paid by crediting its points to the advocate's balance. */
function pay(ctx: Ctx, reward: Reward, actor: Actor, at: string, note: string | null): Reward {
  let paidNote = note;
  if (reward.kind === 'points') {
    const points = netValue(reward);
    if (points > 0) {
      postPoints({ ...ctx, now: new Date(at) }, reward.advocateId,
        { amount: points, type: 'reward', description: `commission ${reward.id}`, rewardId: reward.id });
    }
    paidNote = [`credited ${points} points`, note].filter(Boolean).join('; ');
  }
  return save(ctx, { ...reward, status: 'paid', paidAt: at, updatedAt: at }, { event: 'paid', delta: 0, note: paidNote, actor, at });
}

/** pending -> approved at `at`; a points reward is credited and paid in the same step. */
function approve(ctx: Ctx, reward: Reward, actor: Actor, at: string, note: string | null): Reward {
  const approved = save(ctx, { ...reward, status: 'approved', approvedAt: at, updatedAt: at }, { event: 'approved', delta: 0, note, actor, at });
  return reward.kind === 'points' ? pay(ctx, approved, actor, at, null) : approved;
}

/** pending|approved -> rejected: the reason is kept, and a negative delta takes the value to 0. */
function reject(ctx: Ctx, reward: Reward, actor: Actor, at: string, reason: string): Reward {
  return save(ctx, { ...reward, status: 'rejected', reason, updatedAt: at }, { event: 'rejected', delta: -netValue(reward), note: reason, actor, at });
}

/**
 * Pending rewards whose cooling period has ended become approved, dated when it ended (points rewards are
 * credited and paid at that moment). Answers the ids approved, oldest due first.
 */
export function approveDueRewards(ctx: Ctx): number[] {
  const due = ctx.q.rewards.findDue(ctx.brand.id, ctx.now.toISOString());
  for (const reward of due) approve(ctx, reward, 'system', reward.availableAt, 'cooling period ended');
  return due.map((r) => r.id);
}

/**
 * Run before every management read or write, by the refund use case and by the CLI, so no timer is needed:
 * the status is brought up to date whenever someone can see it. Answers how many became approved.
 */
export function settleDueRewards(ctx: Ctx): number {
  return approveDueRewards(ctx).length;
}

export const DEFAULT_REJECT_REASON = 'rejected by the operator';

/**
 * The operator's status change (API or CLI). The same status again changes nothing; a move the rules do not
 * allow is 409 invalid_transition; approving before the cooling period ends is recorded as an override.
 */
export function setCommissionStatus(ctx: Ctx, id: number, status: OperatorStatus, reason: string | null, actor: Actor) {
  settleDueRewards(ctx);
  const reward = ctx.q.rewards.findById(ctx.brand.id, id);
  if (!reward) throw commissionNotFound(id);
  if (statusChange(reward.status, status, reward.kind) === 'change') {
    const at = ctx.now.toISOString();
    if (status === 'approved') {
      const override = `operator override: approved before the cooling period ended (due ${reward.availableAt})`;
      approve(ctx, reward, actor, at, reason ? `${override}; ${reason}` : override);
    } else if (status === 'paid') {
      pay(ctx, reward, actor, at, reason);
    } else {
      reject(ctx, reward, actor, at, reason ?? DEFAULT_REJECT_REASON);
    }
  }
  return getCommission(ctx, id);
}

/**
 * A payout run, as lines a human pays from, grouped by advocate: each approved cash commission, then the
 * clawbacks that advocate still owes, netted off against them (domain/payouts.ts). An advocate is paid the
 * sum of their lines; `total` is what the whole payout pays out.
 */
export function payoutList(ctx: Ctx) {
  settleDueRewards(ctx);
  const approved = ctx.q.rewards.list(ctx.brand.id, toRewardFilters({ status: 'approved' }, 'cash'), -1, 0)
    .sort((a, b) => a.advocateId - b.advocateId || a.id - b.id);
  const owed = ctx.q.rewards.clawbacksDue(ctx.brand.id);
  const lines = payoutLines(approved.map((r) => ({ item: r, cents: r.amount })),
    owed.map((r) => ({ item: r, cents: r.clawedBack - r.clawbackRecovered })));
  const views = lines.map(({ type, item: r, cents }) => ({
    type,
    commission_id: r.id,
    advocate_id: r.advocateId,
    advocate_name: r.advocateName,
    advocate_email: r.advocateEmail,
    amount: toDecimal(cents),
    currency: ctx.brand.currency,
    level: r.level,
    order_id: r.orderId,
    approved_at: r.approvedAt,
  }));
  const total = lines.reduce((sum, l) => sum + l.cents, 0);
  return { lines: views, total: toDecimal(total), currency: ctx.brand.currency };
}

export type PayoutLineView = ReturnType<typeof payoutList>['lines'][number];

/** A clawback a payout nets off: the paid commission it belongs to, and how much (cents, positive). */
export interface Recovery {
  commissionId: number;
  cents: number;
}

/**
 * Records a payout, all or nothing: the commissions become paid, and the clawbacks netted off in it are
 * recorded as recovered. An unknown id is 404; a commission that is not approved, or a clawback larger than
 * what is still due, is 409, naming the id, and then nothing is written. Answers what was paid and recovered.
 */
export function markPaid(ctx: Ctx, ids: number[], actor: Actor, note: string | null, recoveries: Recovery[] = []) {
  settleDueRewards(ctx);
  const unique = [...new Set(ids)];
  const rewards = unique.map((id) => {
    const reward = ctx.q.rewards.findById(ctx.brand.id, id);
    if (!reward) throw commissionNotFound(id);
    if (reward.status !== 'approved') {
      throw new ApiError(409, 'invalid_transition', `Commission ${id} is ${reward.status}: a ${reward.status} commission cannot become paid`, [
        { field: 'id', message: `commission ${id}: ${reward.status} -> paid is not allowed; paid is reached only from approved` },
      ]);
    }
    return reward;
  });
  const byCommission = new Map<number, number>();
  for (const r of recoveries) byCommission.set(r.commissionId, (byCommission.get(r.commissionId) ?? 0) + r.cents);
  const recovered = [...byCommission].map(([commissionId, cents]) => {
    const reward = ctx.q.rewards.findById(ctx.brand.id, commissionId);
    if (!reward) throw commissionNotFound(commissionId);
    const due = reward.clawedBack - reward.clawbackRecovered;
    if (cents <= 0 || cents > due) {
      throw new ApiError(409, 'clawback_changed', `Commission ${commissionId} has ${toDecimal(due)} of clawback due, not ${toDecimal(cents)}`, [
        { field: 'clawbacks', message: `commission ${commissionId}: ${toDecimal(due)} is due` },
      ]);
    }
    reward.clawbackRecovered += cents;
    return { reward, cents };
  });
  const at = ctx.now.toISOString();
  for (const reward of rewards) pay(ctx, reward, actor, at, note);
  for (const { reward, cents } of recovered) {
    save(ctx, { ...reward, updatedAt: at }, {
      event: 'clawback_recovered', delta: 0, note: [`${toDecimal(cents)} netted off a payout`, note].filter(Boolean).join('; '), actor, at,
    });
  }
  const paid = unique.map((id) => commissionView(ctx, ctx.q.rewards.findDetail(ctx.brand.id, id)!));
  const cents = rewards.reduce((sum, r) => sum + r.amount, 0) - recovered.reduce((sum, r) => sum + r.cents, 0);
  return {
    paid,
    recovered: recovered.map(({ reward, cents: c }) => ({ commission_id: reward.id, amount: toDecimal(c) })),
    total: toDecimal(cents),
    currency: ctx.brand.currency,
  };
}
