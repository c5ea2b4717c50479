// Reward actions (003_*'s reward_action_type): what an advocate earns a reward for, and when a count earns one.
import type { ActionRewardType } from '../db/brands.ts';
import type { RewardAction } from '../db/rewards.ts';

export const PURCHASE: RewardAction = 1;
export const ENROLMENT: RewardAction = 2;
export const CLICKS: RewardAction = 3;
export const SHARES: RewardAction = 4;

/** Each action as people name it. */
export const ACTION_NAMES: Record<RewardAction, string> = {
  1: 'a referred purchase',
  2: 'a referred enrolment',
  3: 'clicks reached',
  4: 'shares reached',
};

/** An action's reward by its rule: nothing, a fixed amount (cents) or points. */
export function actionReward(type: ActionRewardType, value: number): { kind: 'cash' | 'points'; amount: number } | null {
  switch (type) {
    case 'none': return null;
    case 'fixed': return { kind: 'cash', amount: value };
    case 'points': return { kind: 'points', amount: value };
  }
}

/**
 * The milestone a count earns as it becomes `count` (one more click or share than before): the threshold itself
 * when the count reaches it, and with `repeats` every multiple of it; null when this step earns nothing. The event
 * that makes the count reach the milestone earns it, so a count already past the threshold when the rule is set
 * earns only at the next multiple (with repeats) or never (once).
 */
export function milestoneAt(count: number, threshold: number, repeats: boolean): number | null {
  if (count < threshold) return null;
  if (repeats) return count % threshold === 0 ? count : null;
  return count === threshold ? count : null;
}
