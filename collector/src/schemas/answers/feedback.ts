// Answer schemas of feedback boards (services/feedback.ts boardView, ideaView, voteView).
import { z } from 'zod';
import type { BoardView, IdeaView, unvoteIdea, voteForIdea, VoteView } from '../../services/feedback.ts';
import { zIdeaStatus } from '../feedback.ts';
import { zInstant, zRecordId, type Same } from './common.ts';

export const zBoard = z.strictObject({
  id: zRecordId,
  name: z.string(),
  description: z.string().nullable(),
  created_at: zInstant,
  updated_at: zInstant,
}).meta({ id: 'FeedbackBoard', description: 'A feedback board: where advocates post ideas' });

export const zIdea = z.strictObject({
  id: zRecordId,
  board_id: zRecordId,
  advocate_id: zRecordId.meta({ description: 'The advocate who posted it' }),
  title: z.string(),
  body: z.string().nullable(),
  status: zIdeaStatus,
  vote_count: z.number().int().min(0).meta({ description: 'One vote per advocate' }),
  created_at: zInstant,
  updated_at: zInstant,
  status_changed_at: zInstant.nullable(),
}).meta({ id: 'Idea', description: 'An idea in a feedback board' });

export const zIdeaStatusChanged = zIdea.extend({ previous_status: zIdeaStatus })
  .meta({ id: 'IdeaStatusChanged', description: 'An idea whose status changed, with the status it had' });

export const zVote = z.strictObject({
  id: zRecordId,
  idea_id: zRecordId,
  advocate_id: zRecordId,
  created_at: zInstant,
}).meta({ id: 'Vote', description: "An advocate's vote on an idea (one per advocate and idea)" });

/** POST /feedback/ideas/:id/votes. */
export const zVoted = z.strictObject({
  vote: zVote,
  idea: zIdea,
  created: z.boolean().meta({ description: 'false: the advocate had voted; this is that first vote, and nothing was counted' }),
});

/** DELETE /feedback/ideas/:id/votes/:advocate_id. */
export const zUnvoted = z.strictObject({
  idea: zIdea,
  removed: z.boolean().meta({ description: 'false: the advocate had no vote on the idea' }),
});

const _board: Same<z.output<typeof zBoard>, BoardView> = true;
const _idea: Same<z.output<typeof zIdea>, IdeaView> = true;
const _vote: Same<z.output<typeof zVote>, VoteView> = true;
const _voted: Same<z.output<typeof zVoted>, Awaited<ReturnType<typeof voteForIdea>>> = true;
const _unvoted: Same<z.output<typeof zUnvoted>, Awaited<ReturnType<typeof unvoteIdea>>> = true;
