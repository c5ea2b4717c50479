// The adapter for the clients of 003_* (Reverb) (issue 15). (A placeholder: its routes land with issue 15.)
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';

export function reverbRoutes(_deps: AppDeps): Router {
  return Router();
}
