// GET /healthz: the process is up, the database answers, and its path still names the file that was opened.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { databaseFileProblem, type Db } from '../../db/open.ts';

/**
 * A data folder deleted (or a database file replaced) under a running collector leaves it writing into a
 * file nobody will open again: 503, and the reason in the log once per change, not once per poll.
 * One stat() per call keeps this cheap enough to poll under load.
 */
export function healthHandler(db: Db, logger: Logger): RequestHandler {
  const ping = db.prepare('SELECT 1').pluck();
  let reported: string | null = null;
  return (_req, res) => {
    const problem = databaseFileProblem(db);
    if (problem !== reported) {
      if (problem) logger.error({ db: db.name, reason: problem }, `healthz: unhealthy: ${problem}; restart the collector on the right file`);
      else logger.warn({ db: db.name }, 'healthz: the database file is the opened one again');
      reported = problem;
    }
    if (problem) {
      res.status(503).json({ status: 'unavailable', reason: problem });
      return;
    }
    ping.get();
    res.json({ status: 'ok' });
  };
}
