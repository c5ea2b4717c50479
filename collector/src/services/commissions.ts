// Use cases of the rewards (commissions): the cooling period, status changes by the operator, lists, payouts.
import { ApiError } from '../errors.ts';
import { toDecimal } from '../domain/money.ts';
import { netValue, statusChange, type OperatorStatus } from '../domain/commissions.ts';
import type { Actor, PayoutReward, Reward, RewardDetail, RewardFilters, RewardStatus } from '../db/rewards.ts';
import type { ScannedPage, Slice } from '../db/keyset.ts';
import type { CsvColumn } from '../http/csv.ts';
import { keysetBatches } from '../http/query.ts';
import { collect, mapInOrder, type Ctx } from './context.ts';
import { overNetted, payoutGroups, type PayoutGroup } from '../domain/payouts.ts';
import { postPoints } from './points.ts';
import { publish } from '../webhooks/outbox.ts';
import type { EventType } from '../webhooks/events.ts';

export interface CommissionFilters {
  status?: RewardStatus | undefined;
  advocateId?: number | undefined;
  level?: 1 | 2 | undefined;
  /** ISO date-times on created_at: `from` inclusive, `to` exclusive */
  from?: string | undefined;
  to?: string | undefined;
}

const toRewardFilters = ({ status, advocateId, level, from, to }: CommissionFilters): RewardFilters =>
  ({ status, advocateId, level, from, to });

const commissionNotFound = (id: number) =>
  new ApiError(404, 'not_found', `No commission with id ${id} for this brand`, [{ field: 'id', message: 'no commission with this id' }]);

/** Cash as a decimal, points as whole points. */
const valueOf = (r: { kind: 'cash' | 'points' }, units: number) => (r.kind === 'cash' ? toDecimal(units) : units);

/** A commission as the API answers it: the reward, and its conversion's order id and amount. */
export function commissionView({ brand }: Ctx, r: Reward & Pick<RewardDetail, 'orderId' | 'conversionAmount'>) {
  return {
    id: r.id,
    advocate_id: r.advocateId,
    conversion_id: r.conversionId,
    order_id: r.orderId,
    reward_action_type: r.action,
    referral_record_uuid: r.uuid,
    level: r.level,
    kind: r.kind,
    campaign_id: r.campaignId,
    amount: valueOf(r, r.amount),
    original_amount: valueOf(r, r.originalAmount),
    clawed_back: valueOf(r, r.clawedBack),
    clawback_recovered: valueOf(r, r.clawbackRecovered),
    net_amount: valueOf(r, netValue(r)),
    status: r.status,
    reason: r.reason,
    currency: brand.currency,
    conversion_amount: r.conversionAmount === null ? null : toDecimal(r.conversionAmount),
    available_at: r.availableAt,
    approved_at: r.approvedAt,
    paid_at: r.paidAt,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export type CommissionView = ReturnType<typeof commissionView>;

/** One commission with its history, oldest change first; 404 when the brand has no such commission. */
export async function getCommission(ctx: Ctx, id: number) {
  const r = await ctx.q.rewards.findDetail(ctx.brand.id, id);
  if (!r) throw commissionNotFound(id);
  const history = (await ctx.q.rewards.history(ctx.brand.id, id)).map((e) => ({
    event: e.event,
    delta: valueOf(r, e.delta),
    note: e.note,
    actor: e.actor,
    created_at: e.createdAt,
  }));
  return { ...commissionView(ctx, r), history };
}

/**
 * A slice of the brand's commissions, newest first (the page's ids from the index, then their order and advocate),
 * however many rows the filters make it examine: for the CLI. A request reads `commissionPage`.
 */
export const listCommissions = async (ctx: Ctx, filters: CommissionFilters, slice: Slice) =>
  (await ctx.q.rewards.list(ctx.brand.id, toRewardFilters(filters), slice)).map((r) => commissionView(ctx, r));

/** A bounded page of the brand's commissions (db/keyset.ts): short, with where to resume, when a date filter's window ends. */
export async function commissionPage(ctx: Ctx, filters: CommissionFilters, slice: Slice): Promise<ScannedPage<CommissionView>> {
  const { rows, resumeAt } = await ctx.q.rewards.page(ctx.brand.id, toRewardFilters(filters), slice);
  return { rows: rows.map((r) => commissionView(ctx, r)), resumeAt };
}

/** How many commissions match: exact, O(matching rows) (the CLI). */
export const countCommissions = (ctx: Ctx, filters: CommissionFilters) => ctx.q.rewards.count(ctx.brand.id, toRewardFilters(filters));

/** `total=true`: how many commissions match, counted within db/keyset.ts WALK_BUDGET rows (else a 400 naming total). */
export const totalCommissions = (ctx: Ctx, filters: CommissionFilters) => ctx.q.rewards.total(ctx.brand.id, toRewardFilters(filters));

const exportRow = (ctx: Ctx, r: RewardDetail) => ({ ...commissionView(ctx, r), advocate_name: r.advocateName, advocate_email: r.advocateEmail });

export type CommissionExportRow = ReturnType<typeof exportRow>;

/**
 * Every commission matching the filters, newest first, with the advocate's name and email (the CSV export), in
 * keyset batches: each read costs one batch however large the brand (a date filter's batch examines at most
 * SCAN_BUDGET rows, and may be short or empty).
 */
export async function* exportCommissions(ctx: Ctx, filters: CommissionFilters): AsyncGenerator<CommissionExportRow[]> {
  const f = toRewardFilters(filters);
  for await (const rows of keysetBatches((before, limit) => ctx.q.rewards.page(ctx.brand.id, f, { before, limit, offset: 0 }))) {
    yield rows.map((r) => exportRow(ctx, r));
  }
}

/** A commission event: the commission as GET /commissions/:id answers it (without its history), read now. */
export const publishCommission = (ctx: Ctx, type: EventType & `commission.${string}`, id: number): Promise<void> =>
  publish(ctx, type, async () => commissionView(ctx, (await ctx.q.rewards.findDetail(ctx.brand.id, id))!));

async function save(ctx: Ctx, r: Reward, event: { event: string; delta: number; note: string | null; actor: Actor; at: string }): Promise<Reward> {
  await ctx.q.rewards.save(ctx.brand.id, r);
  await ctx.q.rewards.addEvent(ctx.brand.id, r.id, event);
  return r;
}

/** approved -> paid at `at`. A points reward is paid by crediting its points to the advocate's balance. */
async function pay(ctx: Ctx, reward: Reward, actor: Actor, at: string, note: string | null): Promise<Reward> {
  let paidNote = note;
  if (reward.kind === 'points') {
    const points = netValue(reward);
    if (points > 0) {
      await postPoints({ ...ctx, now: new Date(at) }, reward.advocateId,
        { amount: points, type: 'reward', description: `commission ${reward.id}`, rewardId: reward.id });
    }
    paidNote = [`credited ${points} points`, note].filter(Boolean).join('; ');
  }
  const paid = await save(ctx, { ...reward, status: 'paid', paidAt: at, updatedAt: at }, { event: 'paid', delta: 0, note: paidNote, actor, at });
  await publishCommission(ctx, 'commission.paid', reward.id);
  return paid;
}

/** pending -> approved at `at`; a points reward is credited and paid in the same step. */
async function approve(ctx: Ctx, reward: Reward, actor: Actor, at: string, note: string | null): Promise<Reward> {
  const approved = await save(ctx, { ...reward, status: 'approved', approvedAt: at, updatedAt: at }, { event: 'approved', delta: 0, note, actor, at });
  await publishCommission(ctx, 'commission.approved', reward.id);
  return reward.kind === 'points' ? await pay(ctx, approved, actor, at, null) : approved;
}

/** pending|approved -> rejected: the reason is kept, and a negative delta takes the value to 0. */
async function reject(ctx: Ctx, reward: Reward, actor: Actor, at: string, reason: string): Promise<Reward> {
  const rejected = await save(ctx, { ...reward, status: 'rejected', reason, updatedAt: at }, { event: 'rejected', delta: -netValue(reward), note: reason, actor, at });
  await publishCommission(ctx, 'commission.rejected', reward.id);
  return rejected;
}

/**
 * The most rewards one settlement job approves: a few ms of CPU (an update and a history row each, the index
 * entries they move, and the triggers of migrations 007 and 009: the advocate's counters, the per-day totals), so no
 * job holds the write queue or the event loop long. At 250, with 007's triggers alone, the worst /healthz during a
 * 105k backlog was 134 ms; at 100, with 009's too, 226 ms in the bench (in process, on the bench's big brand: 12 ms
 * median and 40 ms worst a batch of 100; 3 ms and 23-29 ms a batch of 25, cold cache included; ~125 us a reward).
 */
export const SETTLE_BATCH = 25;

/**
 * One bounded batch of the brand's due backlog: at most `limit` pending rewards whose cooling period has ended
 * become approved, oldest due first, dated when it ended (points rewards are credited and paid at that moment).
 * Answers the ids approved; fewer than `limit` means the backlog is empty.
 */
export async function settleDueBatch(ctx: Ctx, limit = SETTLE_BATCH): Promise<number[]> {
  await ctx.q.locks.hold({ commissionsOf: ctx.brand.id });
  const due = await ctx.q.rewards.findDue(ctx.brand.id, ctx.now.toISOString(), limit);
  for (const reward of due) await approve(ctx, reward, 'system', reward.availableAt, 'cooling period ended');
  return due.map((r) => r.id);
}

/** One bounded batch (settleDueBatch), answering how many: 0 once the backlog is empty (scripts loop on it). */
export const settleDueRewards = async (ctx: Ctx): Promise<number> => (await settleDueBatch(ctx)).length;

/**
 * The whole due backlog, batch after batch, in the caller's transaction: for the CLI, a process of its own. The
 * collector never calls this; it settles batch by batch, each its own job (jobs/settlement.ts).
 */
export async function approveDueRewards(ctx: Ctx): Promise<number[]> {
  const ids: number[] = [];
  for (let batch = await settleDueBatch(ctx); ; batch = await settleDueBatch(ctx)) {
    ids.push(...batch);
    if (batch.length < SETTLE_BATCH) return ids;
  }
}

/**
 * A reward a use case is about to read or change, brought up to date first: approved (dated at the end of its
 * cooling period) when that has passed, so its history stays in order without settling the brand's whole backlog.
 */
export async function settledReward(ctx: Ctx, reward: Reward): Promise<Reward> {
  if (reward.status !== 'pending' || reward.availableAt > ctx.now.toISOString()) return reward;
  await approve(ctx, reward, 'system', reward.availableAt, 'cooling period ended');
  return (await ctx.q.rewards.findById(ctx.brand.id, reward.id))!;
}

export const DEFAULT_REJECT_REASON = 'rejected by the operator';

/**
 * The operator's status change (API or CLI). The same status again changes nothing; a move the rules do not
 * allow is 409 invalid_transition; approving before the cooling period ends is recorded as an override.
 */
export async function setCommissionStatus(ctx: Ctx, id: number, status: OperatorStatus, reason: string | null, actor: Actor) {
  await ctx.q.locks.hold({ commissionsOf: ctx.brand.id });
  const found = await ctx.q.rewards.findById(ctx.brand.id, id);
  if (!found) throw commissionNotFound(id);
  const reward = await settledReward(ctx, found);
  if (statusChange(reward.status, status, reward.kind) === 'change') {
    const at = ctx.now.toISOString();
    if (status === 'approved') {
      const override = `operator override: approved before the cooling period ended (due ${reward.availableAt})`;
      await approve(ctx, reward, actor, at, reason ? `${override}; ${reason}` : override);
    } else if (status === 'paid') {
      await pay(ctx, reward, actor, at, reason);
    } else {
      await reject(ctx, reward, actor, at, reason ?? DEFAULT_REJECT_REASON);
    }
  }
  return getCommission(ctx, id);
}

/** How many approved commissions one payout chunk reads (one advocate with more is read in chunks of their own). */
export const PAYOUT_CHUNK = 500;

const lineView = (ctx: Ctx, { type, item: r, cents }: PayoutGroup<PayoutReward>['lines'][number]) => ({
  type,
  commission_id: r.id,
  amount: toDecimal(cents),
  level: r.level,
  order_id: r.orderId,
  approved_at: r.approvedAt,
});

function groupView(ctx: Ctx, g: PayoutGroup<PayoutReward>) {
  const a = g.lines[0]!.item;
  return {
    advocate_id: g.advocateId,
    advocate_name: a.advocateName,
    advocate_email: a.advocateEmail,
    payment_method: a.paymentMethod,
    payment_details: a.paymentDetails,
    subtotal: toDecimal(g.subtotal),
    currency: ctx.brand.currency,
    lines: g.lines.map((l) => lineView(ctx, l)),
  };
}

export type PayoutAdvocateView = ReturnType<typeof groupView>;

/** One chunk of a payout: whole advocates, with what they add up to (cents) and how many rolled over. */
export interface PayoutChunk {
  advocates: PayoutAdvocateView[];
  cents: number;
  rolledOver: number;
}

/**
 * A payout run, as lines a human pays from, grouped by advocate in advocate id order: each approved cash
 * commission, then the clawbacks that advocate still owes, netted off against them (domain/payouts.ts), and the
 * advocate's subtotal; advocates below the brand's `min_payout` roll over. Read in chunks of about
 * PAYOUT_CHUNK commissions, each of whole advocates, so each read is bounded. An advocate with more commissions
 * than a chunk is read in chunks of their own, each its own step (an empty chunk: the caller's loop turns between
 * them), then answered whole once their clawbacks are read: what POST /payouts checks (per advocate) is what was
 * listed. Does not settle the backlog first.
 */
export async function* payoutChunks(ctx: Ctx, chunk = PAYOUT_CHUNK, fromAdvocate = 0): AsyncGenerator<PayoutChunk> {
  const b = ctx.brand.id;
  // fromAdvocate: the advocates after this id only (the dashboard's payout page, one page of advocates at a time).
  for (let after = fromAdvocate; ;) {
    let rows = await ctx.q.rewards.payable(b, after, chunk);
    if (rows.length === 0) return;
    const full = rows.length === chunk;
    if (full) {
      // The last advocate may go on past this chunk: leave them to the next one, or read on when alone.
      const last = rows[rows.length - 1]!.advocateId;
      if (last === rows[0]!.advocateId) {
        for (let more = rows; more.length === chunk;) {
          yield { advocates: [], cents: 0, rolledOver: 0 };
          more = await ctx.q.rewards.payableOf(b, last, more[more.length - 1]!.id, chunk);
          rows = rows.concat(more);
        }
      } else {
        rows = rows.filter((r) => r.advocateId !== last);
      }
    }
    const upTo = rows[rows.length - 1]!.advocateId;
    const owed = await ctx.q.rewards.clawbacksDue(b, after, upTo);
    const { groups, rolledOver } = payoutGroups(rows.map((r) => ({ item: r, cents: r.amount })),
      owed.map((r) => ({ item: r, cents: r.clawedBack - r.clawbackRecovered })), ctx.brand.minPayout);
    yield { advocates: groups.map((g) => groupView(ctx, g)), cents: groups.reduce((sum, g) => sum + g.subtotal, 0), rolledOver };
    if (!full) return;
    after = upTo;
  }
}

/**
 * The payout as an answer: its advocates, chunk by chunk (read as they are taken), and a summary of what was
 * taken, asked for after the last chunk: the total (cents summed, made decimal once), the minimum, and how many
 * advocates were listed and how many rolled over.
 */
export function payoutAnswer(ctx: Ctx) {
  const tally = { cents: 0, rolledOver: 0, advocates: 0 };
  async function* advocates(): AsyncGenerator<PayoutAdvocateView[]> {
    for await (const chunk of payoutChunks(ctx)) {
      tally.cents += chunk.cents;
      tally.rolledOver += chunk.rolledOver;
      tally.advocates += chunk.advocates.length;
      yield chunk.advocates;
    }
  }
  return {
    advocates: advocates(),
    summary: () => ({
      total: toDecimal(tally.cents),
      currency: ctx.brand.currency,
      min_payout: toDecimal(ctx.brand.minPayout),
      advocate_count: tally.advocates,
      rolled_over: tally.rolledOver,
    }),
  };
}

/** The whole payout in one answer, as it stands (no settling): the CLI reads it in one read transaction. */
export async function wholePayout(ctx: Ctx) {
  const { advocates, summary } = payoutAnswer(ctx);
  const all = (await collect(advocates)).flat();
  return { advocates: all, ...summary() };
}

/** The whole payout in one answer, after settling the due backlog in the caller's transaction (tests). */
export async function payoutList(ctx: Ctx) {
  await approveDueRewards(ctx);
  return await wholePayout(ctx);
}

/** A payout line as a CSV row: its advocate's name, email, payment method and details, and subtotal on each line. */
export interface PayoutCsvRow {
  advocate: PayoutAdvocateView;
  line: PayoutAdvocateView['lines'][number];
}

export const payoutCsvRows = (advocates: PayoutAdvocateView[]): PayoutCsvRow[] =>
  advocates.flatMap((advocate) => advocate.lines.map((line) => ({ advocate, line })));

/** The payout CSV (CLI `payout export`, GET /payouts/export): one line per payout line; mark-paid reads it back. */
export const PAYOUT_CSV_COLUMNS: CsvColumn<PayoutCsvRow>[] = [
  ['type', (r) => r.line.type],
  ['commission_id', (r) => r.line.commission_id],
  ['advocate_id', (r) => r.advocate.advocate_id],
  ['advocate_name', (r) => r.advocate.advocate_name],
  ['advocate_email', (r) => r.advocate.advocate_email],
  ['payment_method', (r) => r.advocate.payment_method],
  ['payment_details', (r) => r.advocate.payment_details],
  ['amount', (r) => r.line.amount.toFixed(2)],
  ['advocate_subtotal', (r) => r.advocate.subtotal.toFixed(2)],
  ['currency', (r) => r.advocate.currency],
  ['level', (r) => r.line.level],
  ['order_id', (r) => r.line.order_id],
  ['approved_at', (r) => r.line.approved_at],
];

/** A clawback a payout nets off: the paid commission it belongs to, and how much (cents, positive). */
export interface Recovery {
  commissionId: number;
  cents: number;
}

/**
 * Records a payout, all or nothing: the commissions become paid, and the clawbacks netted off in it are
 * recorded as recovered. An unknown id is 404; a commission that is not approved, or a clawback larger than
 * what is still due, is 409, naming the id, and then nothing is written. A clawback is netted off only against
 * its own advocate's commissions in this same payout, as GET /payouts lists them: clawbacks of an advocate beyond
 * what that advocate is paid here are a 409 (clawback_not_covered). Answers what was paid and recovered.
 */
export async function markPaid(ctx: Ctx, ids: number[], actor: Actor, note: string | null, recoveries: Recovery[] = []) {
  // Each commission is paid once and each clawback netted once, also when payouts of one brand arrive at several
  // collector processes together: the second waits here and then reads the first's result.
  await ctx.q.locks.hold({ commissionsOf: ctx.brand.id });
  const unique = [...new Set(ids)];
  const rewards = await mapInOrder(unique, async (id) => {
    const found = await ctx.q.rewards.findById(ctx.brand.id, id);
    if (!found) throw commissionNotFound(id);
    const reward = await settledReward(ctx, found);
    if (reward.status !== 'approved') {
      throw new ApiError(409, 'invalid_transition', `Commission ${id} is ${reward.status}: a ${reward.status} commission cannot become paid`, [
        { field: 'id', message: `commission ${id}: ${reward.status} -> paid is not allowed; paid is reached only from approved` },
      ]);
    }
    return reward;
  });
  const byCommission = new Map<number, number>();
  for (const r of recoveries) byCommission.set(r.commissionId, (byCommission.get(r.commissionId) ?? 0) + r.cents);
  const recovered = await mapInOrder(byCommission, async ([commissionId, cents]) => {
    const reward = await ctx.q.rewards.findById(ctx.brand.id, commissionId);
    if (!reward) throw commissionNotFound(commissionId);
    // Only a paid cash commission owes money back (a points clawback is taken from the points balance at once).
    const due = reward.kind === 'cash' && reward.status === 'paid' ? reward.clawedBack - reward.clawbackRecovered : 0;
    if (cents <= 0 || cents > due) {
      throw new ApiError(409, 'clawback_changed', `Commission ${commissionId} has ${toDecimal(due)} of clawback due, not ${toDecimal(cents)}`, [
        { field: 'clawbacks', message: `commission ${commissionId}: ${toDecimal(due)} is due` },
      ]);
    }
    reward.clawbackRecovered += cents;
    return { reward, cents };
  });
  const beyond = overNetted(
    rewards.filter((r) => r.kind === 'cash').map((r) => ({ advocateId: r.advocateId, cents: r.amount })),
    recovered.map(({ reward, cents }) => ({ advocateId: reward.advocateId, cents })),
  );
  if (beyond.length > 0) {
    const problems = beyond.map((s) => ({
      field: 'clawbacks',
      message: `advocate ${s.advocateId}: ${toDecimal(s.clawbacks)} of clawbacks against ${toDecimal(s.commissions)} of their commissions in this payout`,
    }));
    throw new ApiError(409, 'clawback_not_covered',
      'A payout nets an advocate\'s clawbacks only against that advocate\'s own commissions in the same payout, as GET /payouts lists them: '
      + problems.map((p) => p.message).join('; '), problems);
  }
  const at = ctx.now.toISOString();
  for (const reward of rewards) await pay(ctx, reward, actor, at, note);
  for (const { reward, cents } of recovered) {
    await save(ctx, { ...reward, updatedAt: at }, {
      event: 'clawback_recovered', delta: 0, note: [`${toDecimal(cents)} netted off a payout`, note].filter(Boolean).join('; '), actor, at,
    });
  }
  const paid = await mapInOrder(unique, async (id) => commissionView(ctx, (await ctx.q.rewards.findDetail(ctx.brand.id, id))!));
  const cents = rewards.reduce((sum, r) => sum + r.amount, 0) - recovered.reduce((sum, r) => sum + r.cents, 0);
  const answer = {
    paid,
    recovered: recovered.map(({ reward, cents: c }) => ({ commission_id: reward.id, amount: toDecimal(c) })),
    total: toDecimal(cents),
    currency: ctx.brand.currency,
  };
  // After each commission's commission.paid: the payout as POST /payouts answers it, once.
  await publish(ctx, 'payout.created', () => answer);
  return answer;
}
