// /sso (002_*'s single sign-on): POST /sso/recognize, proven by an HMAC of the brand's secret key over the customer
// (no API key: the site's page or backend sends what its server signed); GET /sso/session, what a session token opens
// (the portal and widget's first call); and the operator's customer mappings (secret key).
import express, { type Request, type RequestHandler } from 'express';
import type { AppDeps } from '../../app.ts';
import { verifySsoSignature, type SsoClaim } from '../../domain/sso.ts';
import { ApiError } from '../../errors.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateMappingRequest, zMappingListQuery, zRecognizeRequest } from '../../schemas/sso.ts';
import { createMapping, deleteMapping, listMappings, recognize, sessionOf } from '../../services/sso.ts';
import { type Caller } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { parseBody } from '../parse.ts';
import { pageOf, pathId } from '../query.ts';
import { failAuthentication } from '../rateLimit.ts';
import { ok, useCase } from '../useCase.ts';
import { signingSecrets } from './convert.ts';

/** The signed fields as the request sent them, under either name (domain/sso.ts ssoMessage signs these). */
function claimOf(body: Record<string, unknown>): SsoClaim {
  const raw = (snake: string, camel: string): string | null => {
    const v = body[snake] ?? body[camel];
    return v === undefined || v === null ? null : String(v);
  };
  return {
    businessId: raw('business_id', 'businessId')!,
    externalCustomerId: raw('external_customer_id', 'externalCustomerId')!,
    timestamp: String(body.timestamp),
    externalEmail: raw('external_email', 'externalEmail'),
    externalName: raw('external_name', 'externalName'),
  };
}

/**
 * The brand named by business_id, proven by the signature of one of its active secret keys over the claim; a
 * malformed body is a 400 naming the field first. A refusal (unknown brand, wrong signature, a timestamp more than 300 s
 * away) is one 401 whatever the cause among the first two, and counts against the client IP's failed-authentication budget.
 */
function verifyRecognition(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { data } = parseBody(zRecognizeRequest, body);
    try {
      const brand = await deps.q.brands.getBrand(data.businessId);
      const secrets = brand ? await signingSecrets(deps, brand.id) : [];
      if (!brand || secrets.length === 0) throw new ApiError(401, 'invalid_signature', 'Unknown business or signature');
      const signedBy = verifySsoSignature(secrets.map((k) => k.secret), claimOf(body), data.signature, deps.now().getTime());
      res.locals.caller = { brand, keyKind: 'secret', keyId: secrets[signedBy]!.id } satisfies Caller;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return failAuthentication(deps, req, res, next, error);
      throw error;
    }
    next();
  };
}

const bearer = (req: Request): string | undefined => /^Bearer\s+(\S+)$/i.exec(req.get('Authorization') ?? '')?.[1];

export function ssoRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);

  router.post('/sso/recognize', jsonBody(deps.config.bodyLimit), verifyRecognition(deps),
    useCase(deps, 'sso_recognize', zRecognizeRequest, async (ctx, data) => ok(200, await recognize(ctx, data))));

  // A session token's own read: the advocate it acts as, until it expires. Nothing else takes a session token yet.
  router.get('/sso/session', async (req, res, next) => {
    try {
      const session = await sessionOf(deps.q, bearer(req), deps.now());
      res.json({ success: true, data: { advocate_id: session.advocateId, expires_at: session.expiresAt } });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return failAuthentication(deps, req, res, next, error);
      next(error);
    }
  });

  router.get('/sso/mappings', guard, readCase(deps, zMappingListQuery,
    async (ctx, query) => listMappings(ctx, query.advocate_id, pageOf(query))));
  router.post('/sso/mappings', guard, writeCase(deps, zCreateMappingRequest,
    async (ctx, data) => ok(201, { mapping: await createMapping(ctx, data) })));
  router.delete('/sso/mappings/:id', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(200, await deleteMapping(ctx, pathId(req.params.id, 'mapping')))));
  return router;
}
