// /dashboard/testimonials: the moderation queue.
// (A placeholder: its page lands with issue 13.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function testimonialPageRoutes(_deps: AppDeps): Router {
  return Router();
}
