// Request schemas of feedback boards (002_*'s /feedback): boards, the ideas advocates post in them, votes, and an
// idea's status. 002_*'s `advocateId` is an alias of `advocate_id` (the snake_case one wins when both are sent).
import { z } from 'zod';
import { IDEA_STATUSES } from '../db/feedback.ts';
import { zPagination } from '../http/query.ts';
import { zId, zText } from './common.ts';

export const zIdeaStatus = z.enum(IDEA_STATUSES, { error: `must be one of ${IDEA_STATUSES.join(', ')}` });

/** `advocate_id` or `advocateId`, required: the advocate who posts or votes. */
const advocateFields = { advocate_id: zId.optional(), advocateId: zId.optional() };
const requireAdvocate = (b: { advocate_id?: number | undefined; advocateId?: number | undefined }, ctx: z.RefinementCtx) => {
  if (b.advocate_id === undefined && b.advocateId === undefined) ctx.addIssue({ code: 'custom', path: ['advocate_id'], message: 'is required' });
};
const advocateOf = (b: { advocate_id?: number | undefined; advocateId?: number | undefined }): number => (b.advocate_id ?? b.advocateId)!;

/** POST /feedback/boards. */
export const zCreateBoardRequest = z.object({
  name: zText(200),
  description: zText(2000).nullable().optional(),
}).transform((b) => ({ name: b.name, description: b.description ?? null }));

/** POST /feedback/boards/:id/ideas: an advocate's idea. */
export const zCreateIdeaRequest = z.object({ ...advocateFields, title: zText(200), body: zText(5000).optional() }).superRefine(requireAdvocate)
  .transform((b) => ({ advocateId: advocateOf(b), title: b.title, body: b.body ?? null }));
export type CreateIdeaRequest = z.output<typeof zCreateIdeaRequest>;

/** POST /feedback/ideas/:id/votes. */
export const zVoteRequest = z.object(advocateFields).superRefine(requireAdvocate).transform((b) => ({ advocateId: advocateOf(b) }));

/** PATCH /feedback/ideas/:id (002_*). */
export const zIdeaStatusRequest = z.object({ status: zIdeaStatus });

/** The cursor of a page by votes: the last idea's vote count and id (base64url JSON, opaque to clients). */
export const encodeVotesCursor = (idea: { id: number; vote_count: number }): string =>
  Buffer.from(JSON.stringify({ id: idea.id, votes: idea.vote_count })).toString('base64url');

const zIdeaCursor = z.string().max(200).transform((text, ctx) => {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { id?: unknown; votes?: unknown } | null;
    const whole = (n: unknown, min: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
    if (/^[A-Za-z0-9_-]+$/.test(text) && whole(v?.id, 1) && (v!.votes === undefined || whole(v!.votes, 0))) {
      return { id: v!.id as number, votes: v!.votes as number | undefined };
    }
  } catch { /* not JSON: refused below */ }
  ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out (use next_cursor of the previous page)' });
  return z.NEVER;
});

/** GET /feedback/boards/:id/ideas (002_*): by status; `sort` newest (default) or votes (most first, ties newest first). */
export const zIdeaListQuery = z.object({
  ...zPagination,
  cursor: zIdeaCursor.optional(),
  status: zIdeaStatus.optional(),
  sort: z.enum(['newest', 'votes'], { error: 'must be newest or votes' }).optional(),
}).superRefine((q, ctx) => {
  if (q.sort === 'votes' && q.cursor && q.cursor.votes === undefined) {
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'is a cursor of the newest-first order: page by votes with the next_cursor of a page by votes' });
  }
});
export type IdeaListQuery = z.output<typeof zIdeaListQuery>;
