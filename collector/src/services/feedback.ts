// Use cases of feedback boards (002_*'s /feedback): boards, ideas posted by advocates, one vote per advocate and idea
// (a repeat answers the first vote; an unvote takes it back), and an idea's status as the brand plans it.
import { MAX_BOARDS, type Board, type Idea, type IdeaStatus, type Vote, type Voter } from '../db/feedback.ts';
import { ApiError, badField, notFound } from '../errors.ts';
import { encodeCursor, listPage, type Page } from '../http/query.ts';
import { encodeVotesCursor, type CreateIdeaRequest } from '../schemas/feedback.ts';
import { advocateSubject, publish } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';

export const boardView = (b: Board) => ({ id: b.id, name: b.name, description: b.description, created_at: b.createdAt, updated_at: b.updatedAt });
export type BoardView = ReturnType<typeof boardView>;

export const ideaView = (i: Idea) => ({
  id: i.id,
  board_id: i.boardId,
  advocate_id: i.advocateId,
  title: i.title,
  body: i.body,
  status: i.status,
  vote_count: i.voteCount,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  status_changed_at: i.statusChangedAt,
});
export type IdeaView = ReturnType<typeof ideaView>;

export const voteView = (v: Vote) => ({ id: v.id, idea_id: v.ideaId, advocate_id: v.advocateId, created_at: v.createdAt });
export type VoteView = ReturnType<typeof voteView>;
export const voterView = (v: Voter) => ({ ...voteView(v), name: v.name });
export type VoterView = ReturnType<typeof voterView>;

async function findBoard({ q, brand }: Ctx, id: number): Promise<Board> {
  const b = await q.feedback.board(brand.id, id);
  if (!b) throw notFound('board');
  return b;
}

async function findIdea({ q, brand }: Ctx, id: number): Promise<Idea> {
  const i = await q.feedback.idea(brand.id, id);
  if (!i) throw notFound('idea');
  return i;
}

/** The advocate who posts or votes: 404 naming advocate_id when unknown (or another brand's), 400 when blocked. */
async function activeAdvocate({ q, brand }: Ctx, id: number, field: string): Promise<number> {
  const advocate = await q.advocates.findById(brand.id, id);
  if (!advocate) throw new ApiError(404, 'not_found', 'No advocate with this id for this brand', [{ field, message: 'no such advocate in this brand' }]);
  if (advocate.status === 'blocked') throw badField(field, `advocate ${advocate.id} is blocked`);
  return advocate.id;
}

export const listBoards = async (ctx: Ctx): Promise<BoardView[]> => (await ctx.q.feedback.boards(ctx.brand.id)).map(boardView);

export const getBoard = async (ctx: Ctx, id: number): Promise<BoardView> => boardView(await findBoard(ctx, id));

export async function createBoard(ctx: Ctx, req: { name: string; description: string | null }): Promise<BoardView> {
  const { q, brand, now } = ctx;
  // Across collector processes, the count and the insert are one step per brand.
  await q.locks.hold({ boardsOf: brand.id });
  if (await q.feedback.boardCount(brand.id) >= MAX_BOARDS) {
    throw new ApiError(409, 'board_limit', `A brand has at most ${MAX_BOARDS} feedback boards`);
  }
  return getBoard(ctx, await q.feedback.insertBoard(brand.id, req, now.toISOString()));
}

export const getIdea = async (ctx: Ctx, id: number): Promise<IdeaView> => ideaView(await findIdea(ctx, id));

/** An advocate's idea in a board, open with no votes. */
export async function postIdea(ctx: Ctx, boardId: number, req: CreateIdeaRequest): Promise<IdeaView> {
  const { q, brand, now } = ctx;
  await findBoard(ctx, boardId);
  const advocateId = await activeAdvocate(ctx, req.advocateId, 'advocate_id');
  const id = await q.feedback.insertIdea(brand.id, { boardId, advocateId, title: req.title, body: req.body }, now.toISOString());
  const view = await getIdea(ctx, id);
  await publish(ctx, 'idea.created', () => view, advocateSubject(advocateId));
  return view;
}

/** A new status; the same one again changes nothing. A change publishes idea.status_changed (with `previous_status`). */
export async function setIdeaStatus(ctx: Ctx, id: number, status: IdeaStatus): Promise<IdeaView> {
  const current = await findIdea(ctx, id);
  if (current.status === status) return ideaView(current);
  await ctx.q.feedback.setStatus(ctx.brand.id, id, status, ctx.now.toISOString());
  const view = await getIdea(ctx, id);
  await publish(ctx, 'idea.status_changed', () => ({ ...view, previous_status: current.status }), advocateSubject(current.advocateId));
  return view;
}

/**
 * The advocate's vote on an idea: recorded and counted once (the vote's UNIQUE key; a repeat, also a concurrent one,
 * answers the first vote with `created: false`).
 */
export async function voteForIdea(ctx: Ctx, ideaId: number, req: { advocateId: number }) {
  const { q, brand, now } = ctx;
  await findIdea(ctx, ideaId);
  const advocateId = await activeAdvocate(ctx, req.advocateId, 'advocate_id');
  const created = await q.feedback.addVote(brand.id, ideaId, advocateId, now.toISOString());
  const vote = (await q.feedback.vote(brand.id, ideaId, advocateId))!;
  return { vote: voteView(vote), idea: await getIdea(ctx, ideaId), created };
}

/** Takes the advocate's vote back (`removed: false` when there was none): the count follows. */
export async function unvoteIdea(ctx: Ctx, ideaId: number, advocateId: number) {
  await findIdea(ctx, ideaId);
  if (!await ctx.q.advocates.findById(ctx.brand.id, advocateId)) throw notFound('advocate');
  const removed = await ctx.q.feedback.removeVote(ctx.brand.id, ideaId, advocateId);
  return { idea: await getIdea(ctx, ideaId), removed };
}

/**
 * A page of a board's ideas, newest first or by votes (most first, ties newest first: a walk of the votes index from the
 * cursor's vote count and id). `votesCursor`: the vote count of the cursor's idea, for sort=votes.
 */
export async function listIdeas(ctx: Ctx, boardId: number, opts: { status?: IdeaStatus | undefined; sort: 'newest' | 'votes'; votes?: number | undefined },
  page: Page) {
  await findBoard(ctx, boardId);
  const { q, brand } = ctx;
  const filter = { boardId, status: opts.status };
  const answer = await listPage('ideas', page, async (slice) => (opts.sort === 'votes'
    ? await q.feedback.votesPage(brand.id, filter, { ...slice, votes: page.before === null ? Number.MAX_SAFE_INTEGER : opts.votes! })
    : await q.feedback.newestPage(brand.id, filter, slice)).map(ideaView), () => q.feedback.total(brand.id, filter));
  // listPage's cursor is the last idea's id: by votes it also carries the idea's vote count.
  const last = answer.ideas.at(-1);
  if (opts.sort === 'votes' && answer.next_cursor !== null && last) answer.next_cursor = encodeVotesCursor(last);
  return answer;
}

/**
 * A page of an idea's voters, highest advocate id first (the votes' UNIQUE key walked below the cursor's advocate id,
 * so a page costs the same however many voted); `next_cursor` names the last voter.
 */
export async function listVoters(ctx: Ctx, ideaId: number, page: { before: number | null; limit: number }) {
  await findIdea(ctx, ideaId);
  const rows = await ctx.q.feedback.voters(ctx.brand.id, ideaId, { before: page.before, limit: page.limit + 1 });
  const voters = rows.slice(0, page.limit).map(voterView);
  const more = rows.length > page.limit;
  return { voters, limit: page.limit, has_more: more, next_cursor: more ? encodeCursor(voters.at(-1)!.advocate_id) : null };
}
