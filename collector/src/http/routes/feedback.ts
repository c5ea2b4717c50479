// /api/v1/feedback (002_*): a brand's feedback boards, the ideas advocates post in them, votes (one per advocate and
// idea), and an idea's status (secret key only: a browser cannot prove which advocate it speaks for).
import express, { type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateBoardRequest, zCreateIdeaRequest, zIdeaListQuery, zIdeaStatusRequest, zVoteRequest } from '../../schemas/feedback.ts';
import {
  createBoard, getBoard, getIdea, listBoards, listIdeas, postIdea, setIdeaStatus, unvoteIdea, voteForIdea,
} from '../../services/feedback.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { pageOf, pathId } from '../query.ts';
import { ok } from '../useCase.ts';

const boardIdOf = (req: Request) => pathId(req.params.id, 'board');
const ideaIdOf = (req: Request) => pathId(req.params.id, 'idea');

export function feedbackRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  // Every board at once, oldest first: a brand has at most MAX_BOARDS (db/feedback.ts).
  router.get('/feedback/boards', guard, readCase(deps, zNoFields, async (ctx) => ({ boards: await listBoards(ctx) })));

  router.post('/feedback/boards', guard, writeCase(deps, zCreateBoardRequest, async (ctx, data) => ok(201, { board: await createBoard(ctx, data) })));

  router.get('/feedback/boards/:id', guard, readCase(deps, zNoFields, async (ctx, _query, req) => ({ board: await getBoard(ctx, boardIdOf(req)) })));

  router.get('/feedback/boards/:id/ideas', guard, readCase(deps, zIdeaListQuery, (ctx, query, req) =>
    listIdeas(ctx, boardIdOf(req), { status: query.status, sort: query.sort ?? 'newest', votes: query.cursor?.votes },
      pageOf({ ...query, cursor: query.cursor?.id }))));

  router.post('/feedback/boards/:id/ideas', guard, writeCase(deps, zCreateIdeaRequest,
    async (ctx, data, req) => ok(201, { idea: await postIdea(ctx, boardIdOf(req), data) })));

  router.get('/feedback/ideas/:id', guard, readCase(deps, zNoFields, async (ctx, _query, req) => ({ idea: await getIdea(ctx, ideaIdOf(req)) })));

  router.patch('/feedback/ideas/:id', guard, writeCase(deps, zIdeaStatusRequest,
    async (ctx, data, req) => ok(200, { idea: await setIdeaStatus(ctx, ideaIdOf(req), data.status) })));

  // A vote: 201 when counted, 200 with the first vote when the advocate had voted.
  router.post('/feedback/ideas/:id/votes', guard, writeCase(deps, zVoteRequest, async (ctx, data, req) => {
    const voted = await voteForIdea(ctx, ideaIdOf(req), data);
    return ok(voted.created ? 201 : 200, voted);
  }));

  router.delete('/feedback/ideas/:id/votes/:advocate_id', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(200, await unvoteIdea(ctx, ideaIdOf(req), pathId(req.params.advocate_id, 'advocate')))));

  return router;
}
