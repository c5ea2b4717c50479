// GET /healthz: the process is up and the database answers.
import type { RequestHandler } from 'express';
import type { Db } from '../../db/open.ts';

export function healthHandler(db: Db): RequestHandler {
  const ping = db.prepare('SELECT 1').pluck();
  return (_req, res) => {
    ping.get();
    res.json({ status: 'ok' });
  };
}
