// Management API, /campaigns: a brand's campaigns and their rules (secret key only).
import express, { type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateCampaignRequest, zUpdateCampaignRequest } from '../../schemas/campaigns.ts';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from '../../services/campaigns.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { pathId } from '../query.ts';
import { ok } from '../useCase.ts';

const campaignIdOf = (req: Request) => pathId(req.params.id, 'campaign');

export function campaignRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  // Every campaign at once, oldest first: a brand has at most MAX_CAMPAIGNS (db/campaigns.ts).
  router.get('/campaigns', guard, readCase(deps, zNoFields, async (ctx) => ({ campaigns: await listCampaigns(ctx) })));

  router.post('/campaigns', guard, writeCase(deps, zCreateCampaignRequest,
    async (ctx, data) => ok(201, { campaign: await createCampaign(ctx, data) })));

  router.get('/campaigns/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ campaign: await getCampaign(ctx, campaignIdOf(req)) })));

  router.patch('/campaigns/:id', guard, writeCase(deps, zUpdateCampaignRequest,
    async (ctx, data, req) => ok(200, { campaign: await updateCampaign(ctx, campaignIdOf(req), data) })));

  // Archiving is a status change (PATCH status); also a route of its own, the "archive", that needs no body.
  router.post('/campaigns/:id/archive', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(200, { campaign: await updateCampaign(ctx, campaignIdOf(req), { status: 'archived' }) })));

  return router;
}
