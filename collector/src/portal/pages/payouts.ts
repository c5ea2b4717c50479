// /portal/payouts and /portal/payout-details: payouts received, and where to be paid.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function payoutRoutes(_deps: AppDeps): Router {
  return Router();
}
