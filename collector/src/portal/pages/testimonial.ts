// /portal/testimonial: the advocate posts a testimonial.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function testimonialRoutes(_deps: AppDeps): Router {
  return Router();
}
