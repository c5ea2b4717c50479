// /portal/quests: the brand's quests and the advocate's progress.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function questRoutes(_deps: AppDeps): Router {
  return Router();
}
