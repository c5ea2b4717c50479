// POST /api/v1/track/visit, the hottest route, mounted as the app's first layer: the same shared steps as
// every route (log, rate limit, body, auth, plan, schema, commit queue, Idempotency-Key), no walk through the stack.
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { DAY_MS } from '../../domain/time.ts';
import { zVisitRequest } from '../../schemas/track.ts';
import { recordVisit } from '../../services/visits.ts';
import { authenticate, browserEndpoint, requirePlan } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { requestLog } from '../log.ts';
import { limitCaller } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';

export const VISIT_PATH = '/api/v1/track/visit';

/**
 * Safari keeps cookies written by script for 7 days at most. When this collector is served under the
 * site's own domain, the visit answer sets the same cookies from the server, which Safari keeps longer.
 */
function setTrackerCookies(req: Request, res: Response, cookieDomain: string | undefined, data: ReturnType<typeof recordVisit>) {
  if (!cookieDomain) return;
  const host = req.hostname;
  if (!(host === cookieDomain || host.endsWith(`.${cookieDomain}`))) return;
  const secure = req.secure || (req.get('Origin') ?? '').startsWith('https:');
  const base = { domain: cookieDomain, path: '/', sameSite: 'lax' as const, secure, httpOnly: false, encode: String };
  res.cookie('al_vid', data.visitor_id, { ...base, maxAge: 365 * DAY_MS });
  if (data.store_code) res.cookie('al_code', data.code, { ...base, maxAge: data.attribution_window_days * DAY_MS });
  else if (data.clear_existing) res.clearCookie('al_code', base);
}

/** The route's steps in order; app.ts mounts them with `app.post(VISIT_PATH, ...visitRoute(deps))` before anything else. */
export function visitRoute(deps: AppDeps): RequestHandler[] {
  return [
    requestLog(deps.logger),
    browserEndpoint,
    jsonBody(deps.config.bodyLimit),
    authenticate(deps, { browser: true }),
    ...limitCaller(deps, 'visit'),
    requirePlan('premier', 'visit tracking'),
    useCase(deps, 'track/visit', zVisitRequest, (ctx, data) => ok(200, recordVisit(ctx, data)),
      // After COMMIT (and on an Idempotency-Key replay): the cookies name a visit that is stored.
      (answer, data, req, res) => {
        if (answer.status === 200) setTrackerCookies(req, res, data.cookie_domain, (answer.body as { data: ReturnType<typeof recordVisit> }).data);
      }),
  ];
}
