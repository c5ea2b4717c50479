// POST /api/v1/track/visit, the hottest route, served before Express's router: the same shared steps as every
// route (log, rate limit, body, auth, plan, schema, commit queue, Idempotency-Key), no walk through the stack.
import type { ErrorRequestHandler, Express, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { DAY_MS } from '../../domain/time.ts';
import { zVisitRequest } from '../../schemas/track.ts';
import { recordVisit } from '../../services/visits.ts';
import { authenticate, browserEndpoint, requirePlan } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { ignoreVisitUnderGpc } from '../gpc.ts';
import { requestLog } from '../log.ts';
import { limitCaller } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';

export const VISIT_PATH = '/api/v1/track/visit';

/**
 * Safari keeps cookies written by script for 7 days at most. When this collector is served under the
 * site's own domain, the visit answer sets the same cookies from the server, which Safari keeps longer.
 */
function setTrackerCookies(req: Request, res: Response, cookieDomain: string | undefined, data: Awaited<ReturnType<typeof recordVisit>>) {
  if (!cookieDomain) return;
  const host = req.hostname;
  if (!(host === cookieDomain || host.endsWith(`.${cookieDomain}`))) return;
  const secure = req.secure || (req.get('Origin') ?? '').startsWith('https:');
  const base = { domain: cookieDomain, path: '/', sameSite: 'lax' as const, secure, httpOnly: false, encode: String };
  res.cookie('al_vid', data.visitor_id, { ...base, maxAge: 365 * DAY_MS });
  if (data.store_code) res.cookie('al_code', data.code, { ...base, maxAge: data.attribution_window_days * DAY_MS });
  else if (data.clear_existing) res.clearCookie('al_code', base);
}

/**
 * The steps as one Express handler: each step's `next` goes straight to the following step, not back through
 * Express's route dispatch (a layer per step). Same contract as Express 5's: an error, thrown or passed to next
 * or a rejected promise, skips the steps left and goes to the error middleware.
 */
function chain(steps: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let i = 0;
    const fail = (error: unknown) => next(error ?? new Error('Rejected promise'));
    const step = (error?: unknown) => {
      if (error) return next(error);
      const handler = steps[i++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.then(undefined, fail);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/** The route's steps in order; app.ts mounts them with `app.post(VISIT_PATH, visitRoute(deps))` before anything else. */
export function visitRoute(deps: AppDeps): RequestHandler {
  return chain([
    requestLog(deps.logger),
    browserEndpoint,
    jsonBody(deps.config.bodyLimit),
    authenticate(deps, { browser: true }),
    ...limitCaller(deps, 'visit'),
    requirePlan('premier', 'visit tracking'),
    ignoreVisitUnderGpc,
    useCase(deps, 'track/visit', zVisitRequest, async (ctx, data) => ok(200, await recordVisit(ctx, data)),
      // After COMMIT (and on an Idempotency-Key replay): the cookies name a visit that is stored.
      (answer, data, req, res) => {
        if (answer.status === 200) setTrackerCookies(req, res, data.cookie_domain, (answer.body as { data: Awaited<ReturnType<typeof recordVisit>> }).data);
      }),
  ]);
}

/**
 * A POST to exactly VISIT_PATH skips Express's router: app.handle does the same per-request setup as Express's own
 * (the Express request and response prototypes, locals), runs the visit's handler, and hands its errors to the one
 * error middleware (`onError`). Every other request, a visit with a query string or another spelling of the path
 * included, takes app.handle as before (where the same route is mounted first).
 */
export function serveVisitsFirst(app: Express, visit: RequestHandler, onError: ErrorRequestHandler): void {
  // app.handle(req, res, callback) is what the app function (the server's request listener) calls; not in Express's types.
  type Handle = (this: Express, req: Request, res: Response, callback?: unknown) => void;
  const dispatch = app as unknown as { handle: Handle };
  const handle = dispatch.handle;
  const { request, response } = app;
  dispatch.handle = function visitFirst(req, res, callback) {
    if (req.method !== 'POST' || req.url !== VISIT_PATH) return handle.call(this, req, res, callback);
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, request);
    Object.setPrototypeOf(res, response);
    res.locals ??= Object.create(null);
    req.originalUrl = req.url;
    req.baseUrl = '';
    // Where the router would hand an error to the error middleware, and what finalhandler would do were that to fail.
    const last = () => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    };
    const failed = (error?: unknown) => {
      try {
        onError(error ?? new Error('the visit route did not answer'), req, res, last);
      } catch {
        last();
      }
    };
    visit(req, res, failed);
  };
}
