// /portal/ideas: feedback boards, ideas and votes.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function ideaRoutes(_deps: AppDeps): Router {
  return Router();
}
