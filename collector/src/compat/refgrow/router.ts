// The adapter for the clients of 004_* (Refgrow) (issue 15). (A placeholder: its routes land with issue 15.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function refgrowRoutes(_deps: AppDeps): Router {
  return Router();
}
