// /portal/links: the link builder (a landing page on the brand's origins, UTM fields).
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function linkRoutes(_deps: AppDeps): Router {
  return Router();
}
