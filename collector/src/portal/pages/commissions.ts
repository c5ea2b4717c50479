// /portal/commissions: the advocate's commissions and their status.
// (A placeholder: its page lands with issue 14.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function commissionRoutes(_deps: AppDeps): Router {
  return Router();
}
