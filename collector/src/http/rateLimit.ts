// Rate limits, run after authentication: a secret key per key (one budget across every endpoint), a publishable key
// and the signed /convert per client IP (000_*'s table), failed authentications per IP on their own small budget.
import { ipKeyGenerator, rateLimit, type RateLimitRequestHandler } from 'express-rate-limit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AppDeps } from '../app.ts';
import type { RateLimit } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { Caller } from './auth.ts';

/** The endpoints whose calls without a secret key are limited per client IP, each on its own budget. */
export type IpLimitedEndpoint = 'visit' | 'share' | 'claim' | 'check_eligibility' | 'convert' | 'testimonial' | 'testimonial_read';

type LimitDeps = Pick<AppDeps, 'config' | 'logger' | 'store'>;

interface Limiters {
  secretKey: RateLimitRequestHandler;
  authFailure: RateLimitRequestHandler;
  /** the dashboard's failed sign-ins, per client IP and per email */
  signInIp: RateLimitRequestHandler;
  signInEmail: RateLimitRequestHandler;
  /** the portal's self sign-ups, every one sent, per client IP */
  signUp: RateLimitRequestHandler;
  ip: Record<IpLimitedEndpoint, RateLimitRequestHandler>;
}

const PATHS: Record<IpLimitedEndpoint, string> = {
  visit: 'track/visit', share: 'track/share', claim: 'track/claim', check_eligibility: 'track/check-eligibility', convert: 'convert',
  testimonial: 'POST testimonials', testimonial_read: 'testimonials/public',
};

const per = (limit: RateLimit) => `at most ${limit.limit} per ${limit.windowMs / 1000} s`;

/** One express-rate-limit answering with our envelope; `key` picks the counter. */
function limiter(deps: LimitDeps, name: string, limit: RateLimit, key: (req: Request, res: Response) => string,
  message: (res: Response) => string, opts: { failuresOnly?: boolean } = {}): RateLimitRequestHandler {
  // Shared by every collector process of the database where the engine has several (PostgreSQL), else in memory.
  const store = deps.store.limitStore?.(`${name}:`);
  return rateLimit({
    ...(store ? { store } : {}),
    // Answers below 400 (a sign-in's 303) give their count back: only failures spend the budget.
    skipSuccessfulRequests: opts.failuresOnly ?? false,
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    keyGenerator: key,
    // X-Forwarded-For is deliberately ignored unless trusted proxy hops are configured (app 'trust proxy').
    validate: { xForwardedForHeader: false, keyGeneratorIpFallback: false },
    handler: (_req, res, next) => next(new ApiError(429, 'rate_limited', message(res))),
  });
}

/**
 * The client IP a per-IP budget counts (IPv6 by /56, as express-rate-limit does). With trusted proxy hops, a request
 * without X-Forwarded-For means nothing is in front of us and clients can pick their own IP: said once.
 */
function clientIpKey(trustProxyHops: number, logger: Logger): (req: Request) => string {
  let warned = trustProxyHops === 0;
  return (req) => {
    if (!warned && req.headers['x-forwarded-for'] === undefined) {
      warned = true;
      logger.warn({ trust_proxy_hops: trustProxyHops, ip: req.ip },
        `REFERLOOP_TRUST_PROXY_HOPS is ${trustProxyHops} but a request arrived without X-Forwarded-For: nothing seems to be `
        + 'in front of the collector, so clients can pick their own IP with that header. Set REFERLOOP_TRUST_PROXY_HOPS=0 '
        + 'unless a reverse proxy that sets X-Forwarded-For is in front (this is logged once).');
    }
    return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '');
  };
}

/** A password sign-in's email as typed, trimmed and in lower case (the form's own schema runs after this step). */
const signInEmailKey = (req: Request): string => {
  const email = (req.body as Record<string, unknown> | undefined)?.email;
  return `email:${typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : ''}`;
};

// One set per app (its config object): a budget is shared by every route that uses it.
const perApp = new WeakMap<LimitDeps['config'], Limiters | null>();

function limitersOf(deps: LimitDeps): Limiters | null {
  const known = perApp.get(deps.config);
  if (known !== undefined) return known;
  const limits = deps.config.rateLimits;
  let l: Limiters | null = null;
  if (limits) {
    const ip = clientIpKey(deps.config.trustProxyHops, deps.logger);
    const perIp = (name: IpLimitedEndpoint) =>
      limiter(deps, name, limits[name], ip, () => `Too many requests to ${PATHS[name]}: ${per(limits[name])} per IP`);
    l = {
      secretKey: limiter(deps, 'secret_key', limits.secret_key, (_req, res) => `key:${(res.locals.caller as Caller).keyId}`,
        () => `Too many requests with this secret key: ${per(limits.secret_key)} per key, every endpoint together`),
      authFailure: limiter(deps, 'auth_failure', limits.auth_failure, ip, (res) =>
        `Too many failed authentications from this IP: ${per(limits.auth_failure)} (this one: ${(res.locals.authFailure as ApiError).message})`),
      signInIp: limiter(deps, 'sign_in_ip', limits.sign_in, ip, () => `Too many failed sign-ins from this IP: ${per(limits.sign_in)}`, { failuresOnly: true }),
      signInEmail: limiter(deps, 'sign_in_email', limits.sign_in, signInEmailKey, () => `Too many failed sign-ins for this email: ${per(limits.sign_in)}`, { failuresOnly: true }),
      signUp: limiter(deps, 'sign_up', limits.sign_up, ip, () => `Too many sign-ups from this IP: ${per(limits.sign_up)}`),
      ip: { visit: perIp('visit'), share: perIp('share'), claim: perIp('claim'), check_eligibility: perIp('check_eligibility'), convert: perIp('convert'),
        testimonial: perIp('testimonial'), testimonial_read: perIp('testimonial_read') },
    };
  }
  perApp.set(deps.config, l);
  return l;
}

/**
 * The step after `authenticate`: a secret key's call counts against that key's budget (every endpoint, tracking and
 * management, together); a publishable key's against the client IP's budget of `endpoint` (the browser endpoints).
 * No step at all when limits are off (`...limitCaller(deps, 'visit')`).
 */
export function limitCaller(deps: LimitDeps, endpoint?: Exclude<IpLimitedEndpoint, 'convert'>): RequestHandler[] {
  const l = limitersOf(deps);
  if (!l) return [];
  const { secretKey } = l;
  const perIp = endpoint && l.ip[endpoint];
  return [(req, res, next) => ((res.locals.caller as Caller).keyKind === 'secret' || !perIp ? secretKey : perIp)(req, res, next)];
}

/** The signed /convert, after its signature was verified: per client IP, as in 000_*'s table. */
export function limitClientIp(deps: LimitDeps, endpoint: 'convert'): RequestHandler[] {
  const l = limitersOf(deps);
  return l ? [l.ip[endpoint]] : [];
}

/**
 * A refused key or signature (`error`, a 401 or 403 of authentication) counts against the client IP's failed
 * authentication budget and is answered as itself, or as a 429 once the budget is spent. Successful calls never come
 * here, so a valid key still works from an IP that spent its budget.
 */
export function failAuthentication(deps: LimitDeps, req: Request, res: Response, next: NextFunction, error: ApiError): void {
  const l = limitersOf(deps);
  if (!l) return next(error);
  res.locals.authFailure = error;
  void l.authFailure(req, res, (err?: unknown) => next(err ?? error));
}

/**
 * The dashboard's sign-in (a password form or a link's button): failed attempts count per client IP and, for a
 * password, per email, on the `sign_in` budget; a successful sign-in gives its count back. A 429 past either.
 */
export function limitSignIn(deps: LimitDeps, kind: 'password' | 'link'): RequestHandler[] {
  const l = limitersOf(deps);
  if (!l) return [];
  return kind === 'password' ? [l.signInIp, l.signInEmail] : [l.signInIp];
}

/** The portal's self sign-up form (/portal/join/...): every post counts per client IP on the `sign_up` budget, a 429 past it. */
export function limitSignUp(deps: LimitDeps): RequestHandler[] {
  const l = limitersOf(deps);
  return l ? [l.signUp] : [];
}
