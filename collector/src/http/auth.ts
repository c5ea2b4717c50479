// Who is calling: the brand always comes from the key (headers, Bearer, or the tracker's text/plain body).
import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { hashKey, type KeyKind } from '../domain/keys.ts';
import type { Brand, Plan } from '../db/brands.ts';
import { keyUsageOf } from '../services/keyUsage.ts';
import { failAuthentication } from './rateLimit.ts';

export interface Caller {
  brand: Brand;
  keyKind: KeyKind;
  /** the key's id: its rate-limit budget and its last use */
  keyId: number;
}

export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

const header = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.trim() || undefined;

/**
 * Authenticates the request. `browser`: the endpoint also takes publishable keys, whose calls must come
 * from one of the brand's allowed origins (CORS alone would not stop a beacon or a curl). A refusal counts against
 * the client IP's failed-authentication budget (rateLimit.ts); the caller's own budget is the next step's.
 */
export function authenticate(deps: Pick<AppDeps, 'q' | 'queue' | 'config' | 'logger' | 'now' | 'store'>, opts: { browser: boolean }): RequestHandler {
  const { q } = deps;
  const usage = keyUsageOf(deps);
  return async (req, res, next) => {
    const refuse = (status: number, code: string, message: string) =>
      failAuthentication(deps, req, res, next, new ApiError(status, code, message));
    let key = header(req.headers['x-api-key']) ?? /^Bearer\s+(\S+)$/i.exec(header(req.headers.authorization) ?? '')?.[1];
    let claimedBrand = header(req.headers['x-brand-id']);
    const body = req.body as Record<string, unknown>;
    // The tracker's form: brand_id + key inside a text/plain body (no preflight), on browser endpoints only
    // (each reads its body with jsonBody, which tells whether it came as text/plain: no second look at Content-Type).
    if (opts.browser && req.sentAsText && body && typeof body === 'object') {
      if (!key && typeof body.key === 'string') key = body.key;
      if (!claimedBrand && typeof body.brand_id === 'string') claimedBrand = body.brand_id;
      delete body.key;
      delete body.brand_id;
    }
    if (!key) {
      refuse(401, 'missing_api_key', 'An API key is required: send X-API-Key and X-Brand-ID headers');
      return;
    }
    const owner = await q.brands.findKeyOwner(hashKey(key));
    if (!owner) {
      refuse(401, 'invalid_api_key', 'Invalid API key');
      return;
    }
    const { brand, kind, keyId } = owner;
    if (claimedBrand !== undefined && claimedBrand !== brand.id) {
      refuse(403, 'brand_mismatch', 'X-Brand-ID does not match the API key');
      return;
    }
    if (kind === 'publishable') {
      if (!opts.browser) {
        refuse(403, 'secret_key_required', 'This endpoint needs the secret key; publishable keys are for the browser tracker');
        return;
      }
      const origin = header(req.headers.origin);
      if (!origin || !brand.allowedOrigins.includes(origin)) {
        refuse(403, 'origin_not_allowed', `Origin ${origin ?? '(none)'} is not allowed for this brand's publishable key`);
        return;
      }
    }
    allowOrigin(res, header(req.headers.origin), brand);
    usage.touch(keyId, deps.now());
    res.locals.caller = { brand, keyKind: kind, keyId } satisfies Caller;
    next();
  };
}

/**
 * Marks a browser endpoint: its error answers are readable cross-origin (see errors.ts), so the tracker can
 * tell "the collector said no" (429, 415, 401…) from "no answer", even before the brand is known.
 */
export const browserEndpoint: RequestHandler = (_req, res, next) => {
  res.locals.browserEndpoint = true;
  next();
};

/** CORS answer for the brand's own origins only, with credentials so a same-site collector can set cookies. */
function allowOrigin(res: Response, origin: string | undefined, brand: Brand): void {
  if (!origin || !brand.allowedOrigins.includes(origin)) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.vary('Origin');
}

/** Preflight for pages that call the browser endpoints with JSON; the real request is checked by authenticate. */
export const corsPreflight: RequestHandler = (req, res) => {
  const origin = header(req.headers.origin);
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  res.vary('Origin');
  res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-API-Key, X-Brand-ID, Authorization, Idempotency-Key');
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
};

const PLAN_RANK: Record<Plan, number> = { starter: 0, growth: 1, premier: 2 };

/** 403 with a clear message when the brand's plan lacks the feature (001_*: claims and visits are Premier). */
export function requirePlan(plan: Plan, feature: string): RequestHandler {
  return (_req, res, next) => {
    const { brand } = callerOf(res);
    if (PLAN_RANK[brand.plan] < PLAN_RANK[plan]) {
      next(new ApiError(403, 'plan_required', `Feature not available: ${feature} requires the ${plan} plan (this brand is on ${brand.plan})`));
      return;
    }
    next();
  };
}
