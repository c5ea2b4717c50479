// 002_*'s "Rate Limits": per plan, requests per minute and per day, counted per brand (every key of the brand, every
// route of this prefix together), on top of Referloop's own per-key budget. Usage headers on every answer after the
// key is known: X-RateLimit-Limit / -Remaining / -Reset for the minute, X-RateLimit-Daily-Limit / -Remaining / -Reset
// for the day. Off with REFERLOOP_PLATFORM_QUOTAS=off (and with REFERLOOP_RATE_LIMITS=off, as every limit).
import { rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../../app.ts';
import type { Plan } from '../../db/brands.ts';
import { ApiError } from '../../errors.ts';
import { callerOf } from '../../http/auth.ts';

interface Quota { perMinute: number; perDay: number }

/** The document's table; Referloop's `premier` is its Professional. */
export const PLATFORM_QUOTAS: Record<Plan, Quota> = {
  starter: { perMinute: 30, perDay: 1_000 },
  growth: { perMinute: 60, perDay: 10_000 },
  premier: { perMinute: 120, perDay: 100_000 },
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface Counted { limit: number; remaining: number; resetTime?: Date | undefined }

const quotaOf = (res: Response): Quota => PLATFORM_QUOTAS[callerOf(res).brand.plan];
const epochSeconds = (info: Counted, nowMs: number) => Math.ceil((info.resetTime?.getTime() ?? nowMs) / 1000);

/** One window's counter per brand; `headers` sets its usage headers once it has counted, on a refusal too. */
function counter(deps: Pick<AppDeps, 'store'>, name: 'minute' | 'day', windowMs: number, limitOf: (q: Quota) => number,
  headers: (res: Response, info: Counted) => void): RequestHandler {
  const prop = `platform_${name}`;
  const infoOf = (req: Request) => (req as unknown as Record<string, Counted>)[prop]!;
  const store = deps.store.limitStore?.(`${prop}:`);
  const limiter = rateLimit({
    ...(store ? { store } : {}),
    windowMs,
    limit: (_req, res) => limitOf(quotaOf(res)),
    standardHeaders: false,
    legacyHeaders: false,
    requestPropertyName: prop,
    keyGenerator: (_req, res) => `brand:${callerOf(res).brand.id}`,
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (req, res, next) => {
      const info = infoOf(req);
      headers(res, info);
      const now = Date.now();
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(((info.resetTime?.getTime() ?? now + windowMs) - now) / 1000))));
      next(new ApiError(429, 'rate_limited',
        `Rate limit exceeded: ${info.limit} requests per ${name} on the ${callerOf(res).brand.plan} plan; retry after the Retry-After seconds`));
    },
  });
  return (req, res, next) => void limiter(req, res, (err?: unknown) => {
    if (err === undefined) headers(res, infoOf(req));
    next(err);
  });
}

/** X-RateLimit-Limit / -Remaining / -Reset (epoch seconds), under `prefix`. */
const usageHeaders = (prefix: string) => (res: Response, info: Counted) => {
  res.setHeader(`${prefix}-Limit`, String(info.limit));
  res.setHeader(`${prefix}-Remaining`, String(info.remaining));
  res.setHeader(`${prefix}-Reset`, String(epochSeconds(info, Date.now())));
};

/** The day's and the minute's counters, day first: every call counts against both, so both headers are on every answer. */
export function platformQuotas(deps: Pick<AppDeps, 'config' | 'store'>): RequestHandler[] {
  if (!deps.config.rateLimits || !deps.config.platformQuotas) return [];
  return [
    counter(deps, 'day', DAY_MS, (q) => q.perDay, usageHeaders('X-RateLimit-Daily')),
    counter(deps, 'minute', MINUTE_MS, (q) => q.perMinute, usageHeaders('X-RateLimit')),
  ];
}
