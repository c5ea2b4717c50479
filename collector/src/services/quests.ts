// Use cases of quests (002_*'s /quests): a brand's quests and their tasks, an advocate completing a task (its points
// once per advocate and task) and, with the last task, the quest (its reward once), and the progress of a quest.
import { MAX_QUESTS, type Quest, type QuestCompletion, type QuestStatus, type QuestTask, type TaskCompletion } from '../db/quests.ts';
import { ApiError, badField, notFound } from '../errors.ts';
import { encodeCursor } from '../http/query.ts';
import type { CompleteTaskRequest, CreateQuestRequest, UpdateQuestRequest } from '../schemas/quests.ts';
import { advocateSubject, publishAll, type Published } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';
import { redemptionView } from './catalogue.ts';
import { postPoints } from './points.ts';

export const questView = (q: Quest) => ({
  id: q.id,
  title: q.title,
  description: q.description,
  reward_points: q.rewardPoints,
  reward: q.rewardCatalogueId !== null ? { type: 'catalogue' as const, reward_id: q.rewardCatalogueId }
    : q.rewardPoints !== null ? { type: 'points' as const, points: q.rewardPoints } : null,
  status: q.status,
  starts_at: q.startsAt,
  ends_at: q.endsAt,
  task_count: q.taskCount,
  created_at: q.createdAt,
  updated_at: q.updatedAt,
});

export type QuestView = ReturnType<typeof questView>;

export const taskView = (t: QuestTask) => ({ id: t.id, quest_id: t.questId, position: t.position, title: t.title, description: t.description, points: t.points });

export type TaskView = ReturnType<typeof taskView>;

export const completionView = (c: TaskCompletion) => ({
  id: c.id,
  quest_id: c.questId,
  task_id: c.taskId,
  advocate_id: c.advocateId,
  points_awarded: c.pointsAwarded,
  points_transaction_id: c.pointsTransactionId,
  created_at: c.createdAt,
});

export type CompletionView = ReturnType<typeof completionView>;

export const questCompletionView = (c: QuestCompletion) => ({
  id: c.id,
  quest_id: c.questId,
  advocate_id: c.advocateId,
  task_completion_id: c.taskCompletionId,
  reward_points: c.rewardPoints,
  points_transaction_id: c.pointsTransactionId,
  catalogue_reward_id: c.catalogueRewardId,
  redemption_id: c.redemptionId,
  reward_not_granted: c.rewardNotGranted,
  completed_at: c.createdAt,
});

export type QuestCompletionView = ReturnType<typeof questCompletionView>;

/** The quest, or 404 (unknown, or another brand's). */
async function findQuest({ q, brand }: Ctx, id: number): Promise<Quest> {
  const quest = await q.quests.find(brand.id, id);
  if (!quest) throw notFound('quest');
  return quest;
}

/** A quest's catalogue reward must be one of the brand's, active, when the quest is created or given it: else 400 naming it. */
async function checkCatalogueReward({ q, brand }: Ctx, id: number | null | undefined): Promise<void> {
  if (id === null || id === undefined) return;
  const reward = await q.catalogueRewards.find(brand.id, id);
  if (!reward) throw badField('reward.reward_id', `no catalogue reward ${id} in this brand`);
  if (reward.status !== 'active') throw badField('reward.reward_id', `catalogue reward ${id} is archived`);
}

/** The brand's quests, oldest first, every status unless `status` says otherwise. */
export const listQuests = async (ctx: Ctx, status?: QuestStatus): Promise<QuestView[]> =>
  (await ctx.q.quests.list(ctx.brand.id, status)).map(questView);

export async function createQuest(ctx: Ctx, req: CreateQuestRequest): Promise<QuestView> {
  const { q, brand, now } = ctx;
  // Across collector processes, the count and the insert are one step per brand.
  await q.locks.hold({ questsOf: brand.id });
  if (await q.quests.count(brand.id) >= MAX_QUESTS) {
    throw new ApiError(409, 'quest_limit', `A brand has at most ${MAX_QUESTS} quests (archived ones count): change one instead`);
  }
  await checkCatalogueReward(ctx, req.rewardCatalogueId);
  const { tasks, ...fields } = req;
  const id = await q.quests.insert(brand.id, fields, tasks, now.toISOString());
  return questView(await findQuest(ctx, id));
}

/** Changes the fields given (the tasks never change: a completion's points are its task's). */
export async function updateQuest(ctx: Ctx, id: number, req: UpdateQuestRequest): Promise<QuestView> {
  const { q, brand, now } = ctx;
  // Two changes of one quest at once: the second reads what the first wrote (no field lost between them).
  await q.locks.hold({ questsOf: brand.id });
  const current = await findQuest(ctx, id);
  if (req.rewardCatalogueId !== current.rewardCatalogueId) await checkCatalogueReward(ctx, req.rewardCatalogueId);
  const pick = <K extends keyof UpdateQuestRequest & keyof Quest>(k: K) => (req[k] !== undefined ? req[k] : current[k]) as Quest[K];
  const next = {
    title: pick('title'), description: pick('description'), rewardPoints: pick('rewardPoints'),
    rewardCatalogueId: pick('rewardCatalogueId'), status: pick('status'),
    startsAt: pick('startsAt'), endsAt: pick('endsAt'),
  };
  if (next.startsAt && next.endsAt && next.endsAt <= next.startsAt) throw badField('ends_at', `must be after starts_at (${next.startsAt})`);
  await q.quests.update(brand.id, id, next, now.toISOString());
  return questView(await findQuest(ctx, id));
}

/** One advocate's progress in a quest, from their task completions and their completion of the quest (if any). */
function progressOf(advocateId: number, tasks: TaskCompletion[], quest: QuestCompletion | undefined, taskCount: number) {
  return {
    advocate_id: advocateId,
    completed_task_ids: tasks.map((t) => t.taskId),
    tasks_completed: tasks.length,
    tasks_total: taskCount,
    points_awarded: tasks.reduce((sum, t) => sum + t.pointsAwarded, 0) + (quest?.rewardPoints ?? 0),
    completed: quest !== undefined,
    completed_at: quest?.createdAt ?? null,
    // The quest's catalogue reward on completion: its redemption, or why it was not granted (null for both otherwise).
    redemption_id: quest?.redemptionId ?? null,
    reward_not_granted: quest?.rewardNotGranted ?? null,
  };
}

export type ProgressView = ReturnType<typeof progressOf>;

/**
 * The quest, its tasks in order, and the progress of a page of its advocates (those with a task done, highest advocate
 * id first; `advocateId`: that advocate alone, 404 if the brand has no such advocate).
 */
export async function getQuest(ctx: Ctx, id: number, page: { advocateId?: number | undefined; limit?: number | undefined; before?: number | undefined } = {}) {
  const { q, brand } = ctx;
  const quest = await findQuest(ctx, id);
  if (page.advocateId !== undefined && !await q.advocates.findById(brand.id, page.advocateId)) {
    throw new ApiError(404, 'not_found', 'No advocate with this id for this brand', [{ field: 'advocate_id', message: 'no such advocate in this brand' }]);
  }
  const limit = page.limit ?? 100;
  const found = await q.quests.progress(brand.id, id, { before: page.before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1, only: page.advocateId });
  const shown = found.advocateIds.slice(0, limit);
  const progress = shown.map((a) => progressOf(a, found.tasks.filter((t) => t.advocateId === a), found.quests.find((c) => c.advocateId === a), quest.taskCount));
  return {
    quest: questView(quest),
    tasks: (await q.quests.tasks(brand.id, id)).map(taskView),
    progress,
    next_cursor: found.advocateIds.length > limit ? encodeCursor(shown[shown.length - 1]!) : null,
  };
}

export type QuestDetail = Awaited<ReturnType<typeof getQuest>>;

/** Why a task of this quest cannot be completed now (not active, not started, ended), or null. */
function closedReason(quest: Quest, at: string): string | null {
  if (quest.status !== 'active') return `is ${quest.status}`;
  if (quest.startsAt !== null && at < quest.startsAt) return `starts at ${quest.startsAt}`;
  if (quest.endsAt !== null && at >= quest.endsAt) return `ended at ${quest.endsAt}`;
  return null;
}

/**
 * Grants the quest's catalogue reward to the advocate who completed it: a pending redemption of 0 points naming the
 * quest, a unit of a limited stock taken, under the reward's lock (taken in completeTask). An archived or out-of-stock
 * reward is not granted: the quest completes all the same and its completion says why (README, "Quests").
 */
async function grantCatalogueReward(ctx: Ctx, quest: Quest, advocateId: number, at: string) {
  const { q, brand } = ctx;
  const reward = await q.catalogueRewards.find(brand.id, quest.rewardCatalogueId!);
  if (!reward || reward.status !== 'active') return { redemption: null, notGranted: 'archived' as const };
  if (reward.stock !== null && !await q.catalogueRewards.takeUnit(brand.id, reward.id, at)) return { redemption: null, notGranted: 'out_of_stock' as const };
  const id = await q.redemptions.insert(brand.id, {
    catalogueRewardId: reward.id, advocateId, pointsCost: 0, pointsTransactionId: null, createdAt: at, questId: quest.id,
  });
  return { redemption: redemptionView((await q.redemptions.find(brand.id, id))!), notGranted: null };
}

/** The answer of a completion: the task's points, and the quest's reward when this completion completed the quest. */
function completedAnswer(completion: TaskCompletion, questCompletion: QuestCompletion | undefined, duplicate: boolean) {
  const completedQuest = questCompletion?.taskCompletionId === completion.id;
  return {
    completion: completionView(completion),
    points_awarded: completion.pointsAwarded + (completedQuest ? questCompletion!.rewardPoints : 0),
    quest_completion: questCompletion ? questCompletionView(questCompletion) : null,
    ...(duplicate ? { duplicate: true as const } : {}),
  };
}

export type CompletedAnswer = ReturnType<typeof completedAnswer>;

/**
 * An advocate completed a task of a quest: the task's points are awarded (a ledger entry) and the completion recorded,
 * once per advocate and task; a repeat answers the first completion, with `duplicate: true`. The completion of the
 * quest's last task completes the quest and awards its reward, once. Under the `questOf` lock of (quest, advocate),
 * so concurrent completions of one advocate in one quest take turns across processes; the UNIQUE indexes of migration
 * 018 hold the same rule underneath.
 */
export async function completeTask(ctx: Ctx, questId: number, req: CompleteTaskRequest): Promise<CompletedAnswer> {
  const { q, brand, now } = ctx;
  const quest = await findQuest(ctx, questId);
  const tasks = await q.quests.tasks(brand.id, questId);
  const task = tasks.find((t) => t.id === req.taskId);
  if (!task) throw new ApiError(404, 'not_found', 'No task with this id in this quest', [{ field: 'task_id', message: `no such task in quest ${questId}` }]);
  const advocate = await q.advocates.findById(brand.id, req.advocateId);
  if (!advocate) {
    throw new ApiError(404, 'not_found', 'No advocate with this id for this brand', [{ field: 'advocate_id', message: 'no such advocate in this brand' }]);
  }
  await q.locks.hold({ questOf: brand.id, questId, advocateId: advocate.id });
  // The reward's lock before the points' (postPoints below), in redeem's order: the grant's unit of stock is taken
  // under the lock every redemption of it takes.
  if (quest.rewardCatalogueId !== null) await q.locks.hold({ catalogueRewardOf: brand.id, catalogueRewardId: quest.rewardCatalogueId });
  const earlier = await q.quests.completion(brand.id, task.id, advocate.id);
  if (earlier) return completedAnswer(earlier, await q.quests.questCompletion(brand.id, questId, advocate.id), true);

  if (advocate.status === 'blocked') throw badField('advocate_id', `advocate ${advocate.id} is blocked: a blocked advocate earns nothing`);
  const at = now.toISOString();
  const closed = closedReason(quest, at);
  if (closed) throw new ApiError(409, 'quest_closed', `Quest ${questId} ${closed}: its tasks cannot be completed now`, [{ field: 'status', message: closed }]);

  const award = async (points: number, description: string) => points === 0 ? null
    : (await postPoints(ctx, advocate.id, { amount: points, type: 'award', description })).transaction.id;
  const taskTx = await award(task.points, `Quest ${quest.id} task ${task.position}: ${task.title}`);
  const completion = { questId, taskId: task.id, advocateId: advocate.id, pointsAwarded: task.points, pointsTransactionId: taskTx, createdAt: at };
  const completionId = await q.quests.insertCompletion(brand.id, completion);
  const done = { id: completionId, ...completion };
  const events: Published[] = [{ type: 'quest.task_completed', data: () => completionView(done), subject: advocateSubject(advocate.id) }];

  let questCompletion: QuestCompletion | undefined;
  if (await q.quests.completedTasks(brand.id, questId, advocate.id) === tasks.length) {
    const rewardPoints = quest.rewardPoints ?? 0;
    const rewardTx = await award(rewardPoints, `Quest ${quest.id} completed: ${quest.title}`);
    const granted = quest.rewardCatalogueId === null ? null : await grantCatalogueReward(ctx, quest, advocate.id, at);
    const c = {
      questId, advocateId: advocate.id, taskCompletionId: completionId, rewardPoints, pointsTransactionId: rewardTx, createdAt: at,
      catalogueRewardId: quest.rewardCatalogueId, redemptionId: granted?.redemption?.id ?? null, rewardNotGranted: granted?.notGranted ?? null,
    };
    questCompletion = { id: await q.quests.insertQuestCompletion(brand.id, c), ...c };
    const view = questCompletionView(questCompletion);
    if (granted?.redemption) {
      const redemption = granted.redemption;
      events.push({ type: 'reward.redeemed', data: () => redemption, subject: advocateSubject(advocate.id) });
    }
    events.push({ type: 'quest.completed', data: () => view, subject: advocateSubject(advocate.id) });
  }
  await publishAll(ctx, events);
  return completedAnswer(done, questCompletion, false);
}
