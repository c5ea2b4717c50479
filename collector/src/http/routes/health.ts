// GET /healthz: the process is up and the database answers.
import express from 'express';
import type { Db } from '../../db/open.ts';

export function healthRoutes(db: Db): express.Router {
  const router = express.Router();
  const ping = db.prepare('SELECT 1').pluck();
  router.get('/healthz', (_req, res) => {
    ping.get();
    res.json({ status: 'ok' });
  });
  return router;
}
