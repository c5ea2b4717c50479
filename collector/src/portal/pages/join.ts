// /portal/join/:campaign: self sign-up to a campaign (public, before the session check).
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function joinRoutes(_deps: AppDeps): Router {
  return Router();
}
