// Per-client-IP rate limits (000_*'s table by default), answered with our error envelope and RateLimit-* headers.
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { RateLimit } from '../config.ts';
import { ApiError } from '../errors.ts';

/** The limiter, or an empty list when limits are off: `...rateLimiter(...)` adds no step to the route then. */
export function rateLimiter(name: string, limit: RateLimit | undefined): RequestHandler[] {
  if (!limit) return [];
  return [rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    identifier: name,
    // X-Forwarded-For is deliberately ignored unless trusted proxy hops are configured (app 'trust proxy').
    validate: { xForwardedForHeader: false },
    handler: (_req, _res, next) => {
      next(new ApiError(429, 'rate_limited', `Too many requests to ${name}: at most ${limit.limit} per ${limit.windowMs / 1000} s per IP`));
    },
  })];
}
