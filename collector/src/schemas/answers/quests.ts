// Answer schemas of quests (services/quests.ts questView, taskView, completionView, questCompletionView, getQuest, completeTask)
// and of 002_*'s simple referral calls (POST /referrals/track, /referrals/convert: services/referralTracking.ts).
import { z } from 'zod';
import type { CompletedAnswer, CompletionView, ProgressView, QuestCompletionView, QuestDetail, QuestView, TaskView } from '../../services/quests.ts';
import type { convertReferral, trackReferral } from '../../services/referralTracking.ts';
import { zQuestStatus } from '../quests.ts';
import { zInstant, zRecordId, type Fits, type Same } from './common.ts';
import { zConversionAnswer } from './track.ts';

const zPoints = z.number().int().min(0);

export const zQuest = z.strictObject({
  id: zRecordId,
  title: z.string(),
  description: z.string().nullable(),
  reward_points: z.number().int().positive().nullable().meta({ description: 'Points awarded once to each advocate who completes every task; null: none' }),
  reward: z.union([
    z.strictObject({ type: z.literal('points'), points: z.number().int().positive() }),
    z.strictObject({ type: z.literal('catalogue'), reward_id: zRecordId.meta({ description: 'The catalogue reward granted (a redemption of 0 points, pending)' }) }),
  ]).nullable().meta({ description: 'The quest\'s reward for completing every task: points or a catalogue reward; null: none' }),
  status: zQuestStatus.meta({ description: 'Tasks are completed only while active (and between starts_at and ends_at)' }),
  starts_at: zInstant.nullable(),
  ends_at: zInstant.nullable().meta({ description: 'Exclusive: from this instant the tasks can no longer be completed' }),
  task_count: z.number().int().min(1),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'Quest', description: 'A quest: tasks an advocate completes for points, and a reward for completing them all (002_*)' });

export const zQuestTask = z.strictObject({
  id: zRecordId,
  quest_id: zRecordId,
  position: z.number().int().positive().meta({ description: 'The task\'s place in the quest, from 1' }),
  title: z.string(),
  description: z.string().nullable(),
  points: zPoints.meta({ description: 'Points awarded once to each advocate who completes the task' }),
}).meta({ id: 'QuestTask' });

export const zTaskCompletion = z.strictObject({
  id: zRecordId,
  quest_id: zRecordId,
  task_id: zRecordId,
  advocate_id: zRecordId,
  points_awarded: zPoints.meta({ description: 'The task\'s points when it was completed' }),
  points_transaction_id: zRecordId.nullable().meta({ description: 'The ledger entry of those points (null for a task of 0 points)' }),
  created_at: zInstant,
}).meta({ id: 'TaskCompletion', description: 'A task of a quest completed by an advocate (once per advocate and task)' });

export const zQuestCompletion = z.strictObject({
  id: zRecordId,
  quest_id: zRecordId,
  advocate_id: zRecordId,
  task_completion_id: zRecordId.meta({ description: 'The completion of the last task, which completed the quest' }),
  reward_points: zPoints.meta({ description: 'The quest\'s reward awarded (0 when the quest has none)' }),
  points_transaction_id: zRecordId.nullable(),
  catalogue_reward_id: zRecordId.nullable().meta({ description: 'The quest\'s catalogue reward when it completed; null: none' }),
  redemption_id: zRecordId.nullable().meta({ description: 'The redemption (0 points, pending) that granted it; null when not granted' }),
  reward_not_granted: z.enum(['out_of_stock', 'archived']).nullable()
    .meta({ description: 'Why the catalogue reward was not granted (the quest completed all the same, the tasks\' points stay)' }),
  completed_at: zInstant,
}).meta({ id: 'QuestCompletion', description: 'A quest completed by an advocate: every task done (once per advocate and quest)' });

export const zQuestProgress = z.strictObject({
  advocate_id: zRecordId,
  completed_task_ids: z.array(zRecordId),
  tasks_completed: zPoints,
  tasks_total: z.number().int().min(1),
  points_awarded: zPoints.meta({ description: 'The points of the tasks done, and the quest\'s reward once completed' }),
  completed: z.boolean(),
  completed_at: zInstant.nullable(),
  redemption_id: zRecordId.nullable().meta({ description: 'The redemption that granted the quest\'s catalogue reward on completion; null: none' }),
  reward_not_granted: z.enum(['out_of_stock', 'archived']).nullable()
    .meta({ description: 'Why the quest\'s catalogue reward was not granted on completion; null: granted, or no catalogue reward' }),
}).meta({ id: 'QuestProgress' });

/** GET /quests/:id. */
export const zQuestDetail = z.strictObject({
  quest: zQuest,
  tasks: z.array(zQuestTask),
  progress: z.array(zQuestProgress).meta({ description: 'Advocates with a task done, highest advocate id first (or the one advocate_id asked)' }),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next advocates; null at the end' }),
});

/** POST /quests/:id/complete. */
export const zTaskCompleted = z.strictObject({
  completion: zTaskCompletion,
  points_awarded: zPoints.meta({ description: 'The task\'s points, and the quest\'s reward when this completion completed the quest' }),
  quest_completion: zQuestCompletion.nullable().meta({ description: 'The advocate\'s completion of the quest, once every task is done' }),
  duplicate: z.literal(true).optional().meta({ description: 'The task was completed before: the first completion and its points, nothing awarded again' }),
});

/** POST /referrals/track. */
export const zReferralTracked = z.strictObject({
  tracked: z.literal(true),
  visitor_id: z.string().meta({ description: 'The visitor the click was counted for (generated when none was sent)' }),
});

/** POST /referrals/convert. */
export const zReferralConverted = z.strictObject({
  conversion: zConversionAnswer,
  points_awarded: zPoints.meta({ description: 'The points commission this conversion earned the code\'s advocate (pending until its cooling period ends); 0 for a cash one or none' }),
});

const _quest: Same<z.output<typeof zQuest>, QuestView> = true;
const _task: Same<z.output<typeof zQuestTask>, TaskView> = true;
const _completion: Same<z.output<typeof zTaskCompletion>, CompletionView> = true;
const _questCompletion: Same<z.output<typeof zQuestCompletion>, QuestCompletionView> = true;
const _progress: Same<z.output<typeof zQuestProgress>, ProgressView> = true;
const _detail: Same<z.output<typeof zQuestDetail>, QuestDetail> = true;
const _completed: Same<z.output<typeof zTaskCompleted>, CompletedAnswer> = true;
const _tracked: Same<z.output<typeof zReferralTracked>, Awaited<ReturnType<typeof trackReferral>>> = true;
const _converted: Fits<z.output<typeof zReferralConverted>, Awaited<ReturnType<typeof convertReferral>>> = true;
