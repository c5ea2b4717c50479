// The adapter for the clients of 002_* (the advocate platform) (issue 15). (A placeholder: its routes land with issue 15.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function platformRoutes(_deps: AppDeps): Router {
  return Router();
}
