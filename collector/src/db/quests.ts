// Queries for quests (migration 018): a brand's quests and their tasks, each task completed by an advocate once, each
// quest completed by an advocate once (its reward), and a quest's progress advocate by advocate.
import type { Conn } from './port.ts';

export type QuestStatus = 'draft' | 'active' | 'archived';

export interface Quest {
  id: number;
  title: string;
  description: string | null;
  /** points awarded once per advocate on completing every task; null: none */
  rewardPoints: number | null;
  /** the catalogue reward granted once per advocate on completing every task (migration 022); null: none */
  rewardCatalogueId: number | null;
  status: QuestStatus;
  startsAt: string | null;
  endsAt: string | null;
  taskCount: number;
  createdAt: string;
  updatedAt: string;
}

export type QuestFields = Pick<Quest, 'title' | 'description' | 'rewardPoints' | 'rewardCatalogueId' | 'status' | 'startsAt' | 'endsAt'>;

/** Why a quest's catalogue reward was not granted on completion (the quest completed all the same). */
export type RewardNotGranted = 'out_of_stock' | 'archived';

export interface QuestTask {
  id: number;
  questId: number;
  position: number;
  title: string;
  description: string | null;
  points: number;
}

export type TaskFields = Pick<QuestTask, 'title' | 'description' | 'points'>;

export interface TaskCompletion {
  id: number;
  questId: number;
  taskId: number;
  advocateId: number;
  pointsAwarded: number;
  pointsTransactionId: number | null;
  createdAt: string;
}

export interface QuestCompletion {
  id: number;
  questId: number;
  advocateId: number;
  /** the task completion that completed the quest */
  taskCompletionId: number;
  rewardPoints: number;
  pointsTransactionId: number | null;
  createdAt: string;
  /** the quest's catalogue reward at completion, its redemption when granted, or why not (migration 022) */
  catalogueRewardId: number | null;
  redemptionId: number | null;
  rewardNotGranted: RewardNotGranted | null;
}

/** How many quests a brand may have (archived ones count): the list is answered whole. */
export const MAX_QUESTS = 500;
/** How many tasks a quest may have. */
export const MAX_TASKS = 50;

const QUEST_COLUMNS = `id, title, description, reward_points AS rewardPoints, reward_catalogue_id AS rewardCatalogueId, status, starts_at AS startsAt, ends_at AS endsAt,
  (SELECT count(*) FROM quest_tasks t WHERE t.brand_id = quests.brand_id AND t.quest_id = quests.id) AS taskCount,
  created_at AS createdAt, updated_at AS updatedAt`;
const TASK_COLUMNS = 'id, quest_id AS questId, position, title, description, points';
const COMPLETION_COLUMNS = `id, quest_id AS questId, task_id AS taskId, advocate_id AS advocateId, points_awarded AS pointsAwarded,
  points_transaction_id AS pointsTransactionId, created_at AS createdAt`;
const QUEST_COMPLETION_COLUMNS = `id, quest_id AS questId, advocate_id AS advocateId, task_completion_id AS taskCompletionId,
  reward_points AS rewardPoints, points_transaction_id AS pointsTransactionId, created_at AS createdAt,
  catalogue_reward_id AS catalogueRewardId, redemption_id AS redemptionId, reward_not_granted AS rewardNotGranted`;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null ? null : Number(v));

const toQuest = (r: Quest): Quest => ({
  ...r, id: num(r.id), rewardPoints: numOrNull(r.rewardPoints), rewardCatalogueId: numOrNull(r.rewardCatalogueId), taskCount: num(r.taskCount) });
const toTask = (r: QuestTask): QuestTask => ({ ...r, id: num(r.id), questId: num(r.questId), position: num(r.position), points: num(r.points) });
const toCompletion = (r: TaskCompletion): TaskCompletion => ({
  ...r, id: num(r.id), questId: num(r.questId), taskId: num(r.taskId), advocateId: num(r.advocateId), pointsAwarded: num(r.pointsAwarded),
  pointsTransactionId: numOrNull(r.pointsTransactionId),
});
const toQuestCompletion = (r: QuestCompletion): QuestCompletion => ({
  ...r, id: num(r.id), questId: num(r.questId), advocateId: num(r.advocateId), taskCompletionId: num(r.taskCompletionId),
  rewardPoints: num(r.rewardPoints), pointsTransactionId: numOrNull(r.pointsTransactionId), catalogueRewardId: numOrNull(r.catalogueRewardId),
  redemptionId: numOrNull(r.redemptionId),
});

export function createQuestQueries(db: Conn) {
  const lists = {
    all: db.prepare(`SELECT ${QUEST_COLUMNS} FROM quests WHERE brand_id = ? ORDER BY id`),
    status: db.prepare(`SELECT ${QUEST_COLUMNS} FROM quests WHERE brand_id = ? AND status = ? ORDER BY id`),
  };
  const find = db.prepare(`SELECT ${QUEST_COLUMNS} FROM quests WHERE brand_id = ? AND id = ?`);
  const count = db.prepare('SELECT count(*) FROM quests WHERE brand_id = ?', { pluck: true });
  const insert = db.prepare(
    `INSERT INTO quests (brand_id, title, description, reward_points, reward_catalogue_id, status, starts_at, ends_at, created_at, updated_at)
     VALUES (@brandId, @title, @description, @rewardPoints, @rewardCatalogueId, @status, @startsAt, @endsAt, @now, @now)`);
  const update = db.prepare(
    `UPDATE quests SET title = @title, description = @description, reward_points = @rewardPoints,
       reward_catalogue_id = @rewardCatalogueId, status = @status, starts_at = @startsAt,
       ends_at = @endsAt, updated_at = @now
     WHERE brand_id = @brandId AND id = @id`);
  const insertTask = db.prepare(
    'INSERT INTO quest_tasks (brand_id, quest_id, position, title, description, points) VALUES (?, ?, ?, ?, ?, ?)');
  const tasks = db.prepare(`SELECT ${TASK_COLUMNS} FROM quest_tasks WHERE brand_id = ? AND quest_id = ? ORDER BY position`);
  const completion = db.prepare(`SELECT ${COMPLETION_COLUMNS} FROM task_completions WHERE brand_id = ? AND task_id = ? AND advocate_id = ?`);
  const insertCompletion = db.prepare(
    `INSERT INTO task_completions (brand_id, quest_id, task_id, advocate_id, points_awarded, points_transaction_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const completedTasks = db.prepare(
    'SELECT count(*) FROM task_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id = ?', { pluck: true });
  const questCompletion = db.prepare(
    `SELECT ${QUEST_COMPLETION_COLUMNS} FROM quest_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id = ?`);
  const insertQuestCompletion = db.prepare(
    `INSERT INTO quest_completions (brand_id, quest_id, advocate_id, task_completion_id, reward_points, points_transaction_id, created_at,
       catalogue_reward_id, redemption_id, reward_not_granted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A page of the advocates with progress in a quest, highest advocate id first (task_completions_quest walks them).
  const progressAdvocates = db.prepare(
    `SELECT DISTINCT advocate_id FROM task_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id < ?
     ORDER BY advocate_id DESC LIMIT ?`, { pluck: true });
  const completionsBetween = db.prepare(
    `SELECT ${COMPLETION_COLUMNS} FROM task_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id BETWEEN ? AND ?
     ORDER BY advocate_id DESC, task_id`);
  const questCompletionsBetween = db.prepare(
    `SELECT ${QUEST_COMPLETION_COLUMNS} FROM quest_completions WHERE brand_id = ? AND quest_id = ? AND advocate_id BETWEEN ? AND ?`);

  return {
    /** The brand's quests (at most MAX_QUESTS), oldest first. */
    list: async (brandId: string, status?: QuestStatus): Promise<Quest[]> =>
      ((status ? await lists.status.all(brandId, status) : await lists.all.all(brandId)) as Quest[]).map(toQuest),
    find: async (brandId: string, id: number): Promise<Quest | undefined> => {
      const r = await find.get(brandId, id) as Quest | undefined;
      return r && toQuest(r);
    },
    count: async (brandId: string): Promise<number> => Number(await count.get(brandId)),
    /** The quest and its tasks, numbered from 1 in the order given. */
    async insert(brandId: string, quest: QuestFields, questTasks: readonly TaskFields[], now: string): Promise<number> {
      const id = Number((await insert.run({ brandId, ...quest, now })).lastInsertRowid);
      for (const [i, t] of questTasks.entries()) await insertTask.run(brandId, id, i + 1, t.title, t.description, t.points);
      return id;
    },
    /** Writes every field as given (the tasks stay). */
    async update(brandId: string, id: number, quest: QuestFields, now: string): Promise<void> {
      await update.run({ brandId, id, ...quest, now });
    },
    tasks: async (brandId: string, questId: number): Promise<QuestTask[]> => (await tasks.all(brandId, questId) as QuestTask[]).map(toTask),
    completion: async (brandId: string, taskId: number, advocateId: number): Promise<TaskCompletion | undefined> => {
      const r = await completion.get(brandId, taskId, advocateId) as TaskCompletion | undefined;
      return r && toCompletion(r);
    },
    insertCompletion: async (brandId: string, c: Omit<TaskCompletion, 'id'>): Promise<number> => Number((await insertCompletion.run(
      brandId, c.questId, c.taskId, c.advocateId, c.pointsAwarded, c.pointsTransactionId, c.createdAt)).lastInsertRowid),
    completedTasks: async (brandId: string, questId: number, advocateId: number): Promise<number> =>
      Number(await completedTasks.get(brandId, questId, advocateId)),
    questCompletion: async (brandId: string, questId: number, advocateId: number): Promise<QuestCompletion | undefined> => {
      const r = await questCompletion.get(brandId, questId, advocateId) as QuestCompletion | undefined;
      return r && toQuestCompletion(r);
    },
    insertQuestCompletion: async (brandId: string, c: Omit<QuestCompletion, 'id'>): Promise<number> => Number((await insertQuestCompletion.run(
      brandId, c.questId, c.advocateId, c.taskCompletionId, c.rewardPoints, c.pointsTransactionId, c.createdAt,
      c.catalogueRewardId, c.redemptionId, c.rewardNotGranted)).lastInsertRowid),
    /**
     * The task and quest completions of at most `limit` advocates with progress in the quest, below advocate id `before`,
     * highest id first (`only`: that advocate alone).
     */
    async progress(brandId: string, questId: number, page: { before: number; limit: number; only?: number | undefined }) {
      const ids = page.only !== undefined ? [page.only]
        : (await progressAdvocates.all(brandId, questId, page.before, page.limit) as unknown[]).map(num);
      if (ids.length === 0) return { advocateIds: [], tasks: [], quests: [] };
      const [low, high] = [ids[ids.length - 1]!, ids[0]!];
      return {
        advocateIds: ids,
        tasks: (await completionsBetween.all(brandId, questId, low, high) as TaskCompletion[]).map(toCompletion),
        quests: (await questCompletionsBetween.all(brandId, questId, low, high) as QuestCompletion[]).map(toQuestCompletion),
      };
    },
  };
}
