// /dashboard/quests: quests, their tasks, each advocate's progress.
// (A placeholder: its page lands with issue 13.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function questPageRoutes(_deps: AppDeps): Router {
  return Router();
}
