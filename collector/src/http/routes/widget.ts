// The site widget (issue 14): GET /widget.js, its bundle beside al.js; GET /api/v1/track/referrer, who referred the
// visitor holding a code (the publishable key from one of the brand's origins, like track/*); GET /api/v1/sso/me, a
// session token's own advocate (their link and figures). Both reads run on the read connection and write nothing.
import express, { type Request, type RequestHandler } from 'express';
import { dirname, join } from 'node:path';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { zReferrerQuery } from '../../schemas/widget.ts';
import { sessionOf } from '../../services/sso.ts';
import { advocateSummaryOf, referrerOf } from '../../services/widget.ts';
import { authenticate, browserEndpoint, callerOf, corsPreflight } from '../auth.ts';
import { parseQuery } from '../query.ts';
import { failAuthentication, limitCaller } from '../rateLimit.ts';
import { ok, send } from '../useCase.ts';
import { trackerHandler } from './tracker.ts';

export const WIDGET_JS_PATH = '/widget.js';

/** GET /widget.js: dist/widget.js, built beside al.js by the same rollup config (so found beside config.trackerPath). */
export const widgetHandler = (trackerPath: string): RequestHandler => trackerHandler(join(dirname(trackerPath), 'widget.js'), 'widget.js');

const bearer = (req: Request): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.get('Authorization') ?? '')?.[1];

export function widgetRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  router.options(['/track/referrer', '/sso/me'], corsPreflight);

  // A referred visitor's page asks once per view: limited like a visit (the client IP's `visit` budget).
  router.get('/track/referrer', browserEndpoint, authenticate(deps, { browser: true }), ...limitCaller(deps, 'visit'), async (req, res) => {
    const { data, warnings } = parseQuery(zReferrerQuery, req.query);
    const answer = await referrerOf({ q: deps.rq, brand: callerOf(res).brand, now: deps.now() }, data.code);
    send(res, ok(200, answer), warnings);
  });

  // The token is the credential; from a browser (an Origin) it must also be one of its brand's allowed origins, and
  // only those may read the answer. A refusal counts against the client IP's failed-authentication budget.
  router.get('/sso/me', browserEndpoint, async (req, res, next) => {
    try {
      const session = await sessionOf(deps.rq, bearer(req), deps.now());
      const brand = await deps.rq.brands.getBrand(session.brandId);
      if (!brand) throw new ApiError(401, 'invalid_session', 'This session token is not known');
      const origin = req.get('Origin');
      if (origin !== undefined) {
        if (!brand.allowedOrigins.includes(origin)) throw new ApiError(403, 'origin_not_allowed', `Origin ${origin} is not allowed for this session's brand`);
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.vary('Origin');
      }
      const answer = await advocateSummaryOf({ q: deps.rq, brand, now: deps.now() }, session.advocateId);
      send(res, ok(200, answer), []);
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'invalid_session' || error.code === 'origin_not_allowed')) {
        return failAuthentication(deps, req, res, next, error);
      }
      next(error);
    }
  });
  return router;
}
