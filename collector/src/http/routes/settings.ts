// Management API, /settings: the brand's programme (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { manageGuard } from '../manage.ts';

export function settingsRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);
  void guard;
  return router;
}
