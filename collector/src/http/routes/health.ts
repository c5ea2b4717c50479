// GET /healthz: the process is up, the database answers, and its path still names the file that was opened.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Store } from '../../db/store.ts';

/**
 * A data folder deleted (or a database file replaced) under a running collector leaves it writing into a
 * file nobody will open again: 503, and the reason in the log once per change, not once per poll.
 * One stat() per call keeps this cheap enough to poll under load.
 */
export function healthHandler(store: Store, logger: Logger): RequestHandler {
  const ping = store.db.prepare('SELECT 1', { pluck: true });
  let reported: string | null = null;
  return async (_req, res) => {
    const problem = store.problem();
    if (problem !== reported) {
      if (problem) logger.error({ db: store.describe, reason: problem }, `healthz: unhealthy: ${problem}; restart the collector on the right file`);
      else logger.warn({ db: store.describe }, 'healthz: the database file is the opened one again');
      reported = problem;
    }
    if (problem) {
      res.status(503).json({ status: 'unavailable', reason: problem });
      return;
    }
    await ping.get();
    res.json({ status: 'ok' });
  };
}
