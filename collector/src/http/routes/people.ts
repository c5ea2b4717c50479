// Management API, /people: a person's data on request (GET) and its erasure (DELETE), by email (secret key only).
import express from 'express';
import type { AppDeps } from '../../app.ts';
import { erasureHash } from '../../domain/privacy.ts';
import { zPersonQuery } from '../../schemas/people.ts';
import { erasePerson, exportPerson } from '../../services/people.ts';
import { expandOutbox } from '../../webhooks/outbox.ts';
import { callerOf } from '../auth.ts';
import { manageGuard, readCase } from '../manage.ts';
import { parseQuery } from '../query.ts';
import { ok, send } from '../useCase.ts';

/** After an erasure the -wal file is emptied; a reader in the way (a long export) delays it: tried again, 10 times a second apart. */
const WAL_TRUNCATE_RETRIES = 10;

function truncateWalSoon(deps: AppDeps, attempt = 0): void {
  if (deps.q.people.truncateWal()) return;
  if (attempt >= WAL_TRUNCATE_RETRIES) {
    deps.logger.warn('after an erasure the -wal file could not be emptied (readers in the way); the next checkpoints reuse it');
    return;
  }
  setTimeout(() => truncateWalSoon(deps, attempt + 1), 1000).unref();
}

export function peopleRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);
  const hashOf = (brandId: string, email: string) => erasureHash(deps.masterKey, brandId, email);

  router.get('/people', guard, readCase(deps, zPersonQuery,
    async (ctx, query) => ({ person: await exportPerson(ctx, query.email, hashOf(ctx.brand.id, query.email)) })));

  // The email in the query string (as GET) or in a JSON body, for clients that keep it out of URLs. Not behind
  // Idempotency-Key: a repeated erasure changes nothing and answers the first one again, and a stored answer keyed by
  // the request would keep a hash of the email beside it.
  router.delete('/people', ...guard, async (req, res) => {
    const { data, warnings } = parseQuery(zPersonQuery, { ...(req.body as object), ...req.query });
    const { brand, keyId } = callerOf(res);
    // The outbox's queued changes expanded first, in jobs of their own: the erasure's job then has only the last few.
    await expandOutbox(deps);
    const now = deps.now();
    const answer = await deps.queue.run(() =>
      erasePerson({ q: deps.q, brand, now }, data.email, hashOf(brand.id, data.email), { actor: 'api', keyId }));
    if (!answer.already_erased) truncateWalSoon(deps);
    send(res, ok(200, answer), warnings);
  });

  return router;
}
