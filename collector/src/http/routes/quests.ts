// Management API, /quests (002_*): a brand's quests and their tasks, an advocate's progress, and completing a task
// for an advocate (its points once; the quest's reward once, with the last task). Secret key only.
import express, { type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { zCompleteTaskRequest, zCreateQuestRequest, zQuestListQuery, zQuestQuery, zUpdateQuestRequest } from '../../schemas/quests.ts';
import { completeTask, createQuest, getQuest, listQuests, updateQuest } from '../../services/quests.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { pathId } from '../query.ts';
import { ok } from '../useCase.ts';

const questIdOf = (req: Request) => pathId(req.params.id, 'quest');

export function questRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  // The whole list at once, oldest first: a brand has at most MAX_QUESTS (db/quests.ts).
  router.get('/quests', guard, readCase(deps, zQuestListQuery, async (ctx, query) => ({ quests: await listQuests(ctx, query.status) })));

  router.post('/quests', guard, writeCase(deps, zCreateQuestRequest, async (ctx, data) => ok(201, { quest: await createQuest(ctx, data) })));

  router.get('/quests/:id', guard, readCase(deps, zQuestQuery, (ctx, query, req) =>
    getQuest(ctx, questIdOf(req), { advocateId: query.advocate_id, limit: query.limit, before: query.cursor })));

  router.patch('/quests/:id', guard, writeCase(deps, zUpdateQuestRequest,
    async (ctx, data, req) => ok(200, { quest: await updateQuest(ctx, questIdOf(req), data) })));

  router.post('/quests/:id/complete', guard, writeCase(deps, zCompleteTaskRequest,
    async (ctx, data, req) => ok(200, await completeTask(ctx, questIdOf(req), data))));

  return router;
}
