// /dashboard/feedback: boards, ideas and votes, idea status.
// (A placeholder: its page lands with issue 13.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function feedbackPageRoutes(_deps: AppDeps): Router {
  return Router();
}
