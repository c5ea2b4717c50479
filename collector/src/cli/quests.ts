// referloop quest ...: a brand's quests, through the API's schemas and use cases, in one transaction on the database
// (a completion's points, the quest's reward and their records together, as the API does).
import { zCompleteTaskRequest, zCreateQuestRequest, zQuestListQuery, zUpdateQuestRequest } from '../schemas/quests.ts';
import { completeTask, createQuest, getQuest, listQuests, updateQuest, type QuestView } from '../services/quests.ts';
import { parse, print, table, type BrandOpts } from './common.ts';
import { inBrand, readBrand } from './inBrand.ts';

const QUEST_COLUMNS = ['id', 'title', 'status', 'task_count', 'reward_points', 'reward_catalogue_id', 'starts_at', 'ends_at'];
const TASK_COLUMNS = ['id', 'position', 'title', 'points'];
const PROGRESS_COLUMNS = ['advocate_id', 'tasks_completed', 'tasks_total', 'points_awarded', 'completed_at', 'redemption_id', 'reward_not_granted'];

/**
 * The quest's fields as the command line gives them (POST /quests's names); `--reward-points none` clears the reward,
 * `--reward-catalogue ID` makes it a catalogue reward (commander refuses the two together).
 */
export interface QuestFieldOpts {
  title?: string; description?: string; rewardPoints?: string; rewardCatalogue?: string; status?: string; startsAt?: string; endsAt?: string;
}

const rewardOf = (o: QuestFieldOpts) => o.rewardCatalogue !== undefined ? { type: 'catalogue', reward_id: o.rewardCatalogue }
  : o.rewardPoints === 'none' ? null : o.rewardPoints;

const questFields = (o: QuestFieldOpts) => ({
  title: o.title, description: o.description, reward: rewardOf(o), status: o.status, starts_at: o.startsAt, ends_at: o.endsAt,
});

/** A quest as a table row: its catalogue reward's id in a column of its own (the JSON keeps `reward` as the API answers it). */
const questRow = (q: QuestView) => ({ ...q, reward_catalogue_id: q.reward?.type === 'catalogue' ? q.reward.reward_id : null });

/** `--task "Share your link=10"`: the title, then the points after the last `=` (a task's points are required). */
const taskOf = (text: string) => {
  const at = text.lastIndexOf('=');
  return at < 0 ? { title: text } : { title: text.slice(0, at), points: text.slice(at + 1) };
};

const printQuest = (opts: BrandOpts, quest: QuestView) => print(opts, { quest }, table([questRow(quest)], QUEST_COLUMNS));

export async function questList(opts: BrandOpts & { status?: string }): Promise<void> {
  const query = parse(zQuestListQuery, { status: opts.status });
  const quests = await readBrand(opts, (ctx) => listQuests(ctx, query.status));
  print(opts, { quests }, table(quests.map(questRow), QUEST_COLUMNS));
}

export async function questGet(opts: BrandOpts & { id: string; advocate?: string }): Promise<void> {
  const r = await readBrand(opts, (ctx) => getQuest(ctx, Number(opts.id), { advocateId: opts.advocate === undefined ? undefined : Number(opts.advocate) }));
  print(opts, r, [table([questRow(r.quest)], QUEST_COLUMNS), table(r.tasks, TASK_COLUMNS), table(r.progress, PROGRESS_COLUMNS)].join('\n\n'));
}

export async function questAdd(opts: BrandOpts & QuestFieldOpts & { task: string[] }): Promise<void> {
  const request = parse(zCreateQuestRequest, { ...questFields(opts), tasks: opts.task.map(taskOf) });
  printQuest(opts, await inBrand(opts, (ctx) => createQuest(ctx, request)));
}

export async function questSet(opts: BrandOpts & QuestFieldOpts & { id: string }): Promise<void> {
  const change = parse(zUpdateQuestRequest, questFields(opts));
  printQuest(opts, await inBrand(opts, (ctx) => updateQuest(ctx, Number(opts.id), change)));
}

export async function questComplete(opts: BrandOpts & { id: string; advocate: string; task: string }): Promise<void> {
  const request = parse(zCompleteTaskRequest, { advocate_id: opts.advocate, task_id: opts.task });
  const r = await inBrand(opts, (ctx) => completeTask(ctx, Number(opts.id), request));
  const done = r.quest_completion;
  const granted = done?.catalogue_reward_id == null ? ''
    : done.redemption_id !== null ? `, catalogue reward ${done.catalogue_reward_id} granted: redemption ${done.redemption_id}`
      : `, catalogue reward ${done.catalogue_reward_id} not granted: ${done.reward_not_granted}`;
  const quest = done ? `; quest completed (reward ${done.reward_points} points${granted})` : '';
  print(opts, r, `task ${r.completion.task_id} completed by advocate ${r.completion.advocate_id}${r.duplicate ? ' (before: nothing awarded again)' : ''}: `
    + `${r.points_awarded} points${quest}`);
}
