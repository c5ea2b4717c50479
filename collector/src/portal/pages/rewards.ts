// /portal/rewards: points, the catalogue to redeem from, and the advocate's redemptions.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function rewardRoutes(_deps: AppDeps): Router {
  return Router();
}
