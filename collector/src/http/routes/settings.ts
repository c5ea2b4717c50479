// Management API, /settings: the brand's programme (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zSettingsPatch } from '../../schemas/settings.ts';
import { settingsView, updateSettings } from '../../services/settings.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { ok } from '../useCase.ts';

export function settingsRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.get('/settings', ...guard, readCase(deps, zNoFields, (ctx) => ({ settings: settingsView(ctx.brand) })));

  // PUT is the same partial update: a client that sends back the whole GET answer changes nothing else.
  const update = writeCase(deps, zSettingsPatch, async (ctx, patch) => ok(200, { settings: await updateSettings(ctx, patch) }));
  router.patch('/settings', ...guard, update);
  router.put('/settings', ...guard, update);

  return router;
}
