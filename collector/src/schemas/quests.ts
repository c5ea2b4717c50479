// Request schemas of quests (002_*'s /quests): a quest's tasks and reward, its list and progress, completing a task.
// 002_*'s camelCase names are aliases (`advocateId`, `taskId`, `startsAt`, `endsAt`); the snake_case one wins when both are sent.
import { z } from 'zod';
import { MAX_TASKS } from '../db/quests.ts';
import { zPagination, zQueryDate, zQueryInt } from '../http/query.ts';
import { zWholePoints } from './catalogue.ts';
import { zId, zText } from './common.ts';

export const QUEST_STATUSES = ['draft', 'active', 'archived'] as const;
export const zQuestStatus = z.enum(QUEST_STATUSES, { error: `must be one of ${QUEST_STATUSES.join(', ')}` });

const zDescription = zText(2000).nullable();

const zTask = z.object({
  title: zText(200),
  description: zDescription.optional(),
  points: zWholePoints(0),
}).transform((t) => ({ ...t, description: t.description ?? null }));

/** A quest's reward once parsed: points, a catalogue reward, or neither (null for both). */
export interface QuestReward { rewardPoints: number | null; rewardCatalogueId: number | null }

const NO_REWARD: QuestReward = { rewardPoints: null, rewardCatalogueId: null };

/**
 * The quest's reward for completing every task: a whole number of points, `{ "points": N }` (002_*'s object, with
 * `type: "points"` or no type), a catalogue reward `{ "type": "catalogue", "reward_id": ID }` (002_*'s `rewardId` an
 * alias), or null for none (README, "Quests").
 */
const zQuestReward = z.union([
  z.null(), z.number(), z.string(),
  z.object({ type: z.string().optional(), points: z.unknown().optional(), reward_id: z.unknown().optional(), rewardId: z.unknown().optional() }),
], { error: 'must be a whole number of points, {"points": N}, {"type": "catalogue", "reward_id": ID} or null' })
  .transform((r, ctx): QuestReward => {
    if (r === null) return NO_REWARD;
    const fail = (path: string[], message: string) => {
      ctx.addIssue({ code: 'custom', path, message });
      return z.NEVER;
    };
    if (typeof r === 'object' && r.type === 'catalogue') {
      const id = zId.safeParse(r.reward_id !== undefined ? r.reward_id : r.rewardId);
      return id.success ? { rewardPoints: null, rewardCatalogueId: id.data } : fail(['reward_id'], 'must be the id of a catalogue reward');
    }
    if (typeof r === 'object' && r.type !== undefined && r.type !== 'points') {
      return fail(['type'], 'must be points or catalogue');
    }
    const points = zWholePoints(1).safeParse(typeof r === 'object' ? r.points : r);
    return points.success ? { rewardPoints: points.data, rewardCatalogueId: null }
      : fail(typeof r === 'object' ? ['points'] : [], points.error.issues[0]?.message ?? 'must be a whole number of points');
  });

/** A quest's dates: a date (2026-04-14) or an ISO date-time, or null for no bound. */
const zQuestDate = zQueryDate.nullable();

const datesInOrder = (b: { starts_at?: string | null | undefined; ends_at?: string | null | undefined }, ctx: z.RefinementCtx) => {
  if (b.starts_at && b.ends_at && b.ends_at <= b.starts_at) ctx.addIssue({ code: 'custom', path: ['ends_at'], message: 'must be after starts_at' });
};

const questFields = {
  title: zText(200),
  description: zDescription.optional(),
  reward: zQuestReward.optional(),
  reward_points: zQuestReward.optional(),
  status: zQuestStatus.optional(),
  starts_at: zQuestDate.optional(),
  startsAt: zQuestDate.optional(),
  ends_at: zQuestDate.optional(),
  endsAt: zQuestDate.optional(),
};

/** Each field of a quest under its one name (reward_points or reward, starts_at or startsAt...). */
const oneName = <B extends { reward?: QuestReward | undefined; reward_points?: QuestReward | undefined; starts_at?: string | null | undefined;
  startsAt?: string | null | undefined; ends_at?: string | null | undefined; endsAt?: string | null | undefined }>(
  { reward, reward_points, starts_at, startsAt, ends_at, endsAt, ...b }: B) => ({
  ...b, ...(reward_points !== undefined ? reward_points : reward), startsAt: starts_at !== undefined ? starts_at : startsAt,
  endsAt: ends_at !== undefined ? ends_at : endsAt,
});

const withSnakeDates = <B extends { starts_at?: string | null | undefined; startsAt?: string | null | undefined;
  ends_at?: string | null | undefined; endsAt?: string | null | undefined }>(b: B) =>
  ({ starts_at: b.starts_at !== undefined ? b.starts_at : b.startsAt, ends_at: b.ends_at !== undefined ? b.ends_at : b.endsAt });

/** POST /quests (002_*): a title, its tasks (each a title and points) in order, an optional reward in points, dates, a status. */
export const zCreateQuestRequest = z.object({
  ...questFields,
  tasks: z.array(zTask, { error: 'must be an array of {title, points}' }).min(1, 'must hold at least one task')
    .max(MAX_TASKS, `at most ${MAX_TASKS} tasks`),
}).superRefine((b, ctx) => datesInOrder(withSnakeDates(b), ctx))
  .transform((b) => {
    const q = oneName(b);
    return {
      title: q.title, description: q.description ?? null, rewardPoints: q.rewardPoints ?? null,
      rewardCatalogueId: q.rewardCatalogueId ?? null, status: q.status ?? 'active',
      startsAt: q.startsAt ?? null, endsAt: q.endsAt ?? null, tasks: q.tasks,
    };
  });

export type CreateQuestRequest = z.output<typeof zCreateQuestRequest>;

const UPDATABLE = ['title', 'description', 'rewardPoints', 'status', 'startsAt', 'endsAt'] as const;

/** PATCH /quests/:id: only the fields given change (null clears a reward or a date); the tasks never change. */
export const zUpdateQuestRequest = z.object({ ...questFields, title: zText(200).optional() })
  .superRefine((b, ctx) => datesInOrder(withSnakeDates(b), ctx))
  .transform(oneName)
  .refine((b) => UPDATABLE.some((k) => b[k] !== undefined), { message: 'give at least one of title, description, reward, status, starts_at, ends_at' });

export type UpdateQuestRequest = z.output<typeof zUpdateQuestRequest>;

/** POST /quests/:id/complete (002_*): the advocate and the task of this quest they completed. */
export const zCompleteTaskRequest = z.object({
  advocate_id: zId.optional(),
  advocateId: zId.optional(),
  task_id: zId.optional(),
  taskId: zId.optional(),
}).superRefine((b, ctx) => {
  if (b.advocate_id === undefined && b.advocateId === undefined) ctx.addIssue({ code: 'custom', path: ['advocate_id'], message: 'is required' });
  if (b.task_id === undefined && b.taskId === undefined) ctx.addIssue({ code: 'custom', path: ['task_id'], message: 'is required' });
}).transform((b) => ({ advocateId: (b.advocate_id ?? b.advocateId)!, taskId: (b.task_id ?? b.taskId)! }));

export type CompleteTaskRequest = z.output<typeof zCompleteTaskRequest>;

/** GET /quests: the whole list (a brand has at most db/quests.ts MAX_QUESTS), by status. */
export const zQuestListQuery = z.object({ status: zQuestStatus.optional() });

/** GET /quests/:id: the quest, its tasks and a page of its advocates' progress (highest advocate id first), or one advocate's. */
export const zQuestQuery = z.object({
  advocate_id: zQueryInt(1, 999_999_999).optional(),
  limit: zQueryInt(1, 100).optional(),
  cursor: zPagination.cursor,
});
