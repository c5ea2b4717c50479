// Environment (REFERLOOP_*) -> typed configuration, validated once at start-up.
import { z } from 'zod';
import { DEFAULT_DATA_DIR, databasePaths } from './paths.ts';

/**
 * The budgets, each set by REFERLOOP_RATE_LIMIT_<NAME>. Per client IP: the browser endpoints' calls with a publishable
 * key and the signed /convert (000_*'s table), and failed authentications (every endpoint together). Per key:
 * every call with a secret key, tracking and management together (a store's backend calls from one IP). The
 * dashboard's failed sign-ins: per client IP and, apart, per email.
 */
export const RATE_LIMITED_ENDPOINTS = ['visit', 'share', 'claim', 'check_eligibility', 'convert', 'testimonial', 'testimonial_read', 'secret_key', 'auth_failure',
  'sign_in', 'sign_up'] as const;
export type RateLimitedEndpoint = (typeof RATE_LIMITED_ENDPOINTS)[number];
export interface RateLimit { limit: number; windowMs: number }

export const DEFAULT_RATE_LIMITS: Record<RateLimitedEndpoint, RateLimit> = {
  // 000_*, "Rate Limits", per IP.
  visit: { limit: 100, windowMs: 60_000 },
  // Ours: a share (POST /track/share) is limited like a visit.
  share: { limit: 100, windowMs: 60_000 },
  claim: { limit: 20, windowMs: 3_600_000 },
  check_eligibility: { limit: 100, windowMs: 60_000 },
  convert: { limit: 100, windowMs: 60_000 },
  // Ours: a testimonial sent from a page (publishable key) like a claim; the approved ones read by pages like a visit.
  testimonial: { limit: 20, windowMs: 3_600_000 },
  testimonial_read: { limit: 100, windowMs: 60_000 },
  // Ours: 100 calls a second on average for each secret key, whatever the endpoint.
  secret_key: { limit: 6_000, windowMs: 60_000 },
  // Ours: refusals of a key or signature per IP; nobody guesses a 24-byte key, this keeps the noise down.
  auth_failure: { limit: 20, windowMs: 60_000 },
  // Ours: failed dashboard sign-ins (password or link), per IP and per email: 10 guesses per 15 minutes.
  sign_in: { limit: 10, windowMs: 15 * 60_000 },
  // Ours: the portal's self sign-ups (/portal/join/...), every one sent, per IP: 10 an hour.
  sign_up: { limit: 10, windowMs: 3_600_000 },
};

/** Settings of the per-IP policy before named keys: refused by name, so a deployment does not silently lose a limit. */
const RETIRED_RATE_LIMITS: Record<string, string> = {
  REFERLOOP_RATE_LIMIT_CONVERSION: 'REFERLOOP_RATE_LIMIT_SECRET_KEY',
  REFERLOOP_RATE_LIMIT_REFUND: 'REFERLOOP_RATE_LIMIT_SECRET_KEY',
  REFERLOOP_RATE_LIMIT_MANAGE: 'REFERLOOP_RATE_LIMIT_SECRET_KEY',
};

export interface Config {
  port: number;
  host: string;
  dbPath: string;
  dataDir: string;
  /** REFERLOOP_DATABASE_URL: a PostgreSQL database (postgres://...) instead of the SQLite file at dbPath */
  databaseUrl: string | undefined;
  /** Number of reverse proxies in front of us whose X-Forwarded-For we trust; 0 = use the socket address. */
  trustProxyHops: number;
  /** null = rate limiting off (bench only). */
  rateLimits: Record<RateLimitedEndpoint, RateLimit> | null;
  /** REFERLOOP_PLATFORM_QUOTAS=off: no per-plan quotas on /compat/platform (002_*'s table); they also need rateLimits. */
  platformQuotas: boolean;
  masterKey: string | undefined;
  logLevel: string;
  bodyLimit: string;
  trackerPath: string;
  /** How long a shutdown waits for answers still being sent (a stalled export's client) before cutting them. */
  shutdownGraceMs: number;
  /** The address people reach the collector at (sign-in links); unset: http://localhost:<port> (publicUrlOf). */
  publicUrl: string | undefined;
  /** Outgoing webhooks (webhooks/): how the deliverer sends. */
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /**
   * REFERLOOP_WEBHOOK_ALLOW_PRIVATE=1: endpoints may be http:// and may resolve to loopback, private, link-local or
   * metadata addresses (local development, the tests). Off: https only, public addresses only.
   */
  allowPrivate: boolean;
  /** REFERLOOP_WEBHOOK_TIMEOUT_MS: one attempt's limit, from connecting to the end of the answer (default 15 s). */
  timeoutMs: number;
}

/** Where the collector is reached from a browser: REFERLOOP_PUBLIC_URL, else this machine's port. */
export const publicUrlOf = (config: Pick<Config, 'publicUrl' | 'port'>): string =>
  (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');

const WINDOW_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** "20/1h" -> { limit: 20, windowMs: 3600000 } */
export function parseRateLimit(value: string): RateLimit {
  const m = /^(\d+)\/(\d+)([smh])$/.exec(value.trim());
  if (!m) throw new Error(`rate limit "${value}" must look like 100/1m, 20/1h or 10/30s`);
  return { limit: Number(m[1]), windowMs: Number(m[2]) * WINDOW_UNITS[m[3]!]! };
}

const envSchema = z.object({
  REFERLOOP_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  REFERLOOP_HOST: z.string().default('0.0.0.0'),
  REFERLOOP_DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
  REFERLOOP_DB: z.string().optional(),
  REFERLOOP_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (unset: the SQLite file of REFERLOOP_DB)').optional(),
  REFERLOOP_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  REFERLOOP_RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  REFERLOOP_PLATFORM_QUOTAS: z.enum(['on', 'off']).default('on'),
  REFERLOOP_MASTER_KEY: z.string().optional(),
  REFERLOOP_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REFERLOOP_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/).default('100kb'),
  REFERLOOP_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  REFERLOOP_TRACKER_PATH: z.string().default('dist/al.js'),
  REFERLOOP_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  REFERLOOP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  REFERLOOP_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://referrals.example.com' }).optional(),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  for (const [name, instead] of Object.entries(RETIRED_RATE_LIMITS)) {
    if (env[name]) throw new Error(`invalid configuration:\n  ${name} is no longer read: calls with a secret key are limited per key by ${instead}`);
  }
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  let rateLimits: Config['rateLimits'] = null;
  if (e.REFERLOOP_RATE_LIMITS === 'on') {
    rateLimits = { ...DEFAULT_RATE_LIMITS };
    for (const name of RATE_LIMITED_ENDPOINTS) {
      const override = env[`REFERLOOP_RATE_LIMIT_${name.toUpperCase()}`];
      if (override) rateLimits[name] = parseRateLimit(override);
    }
  }
  return {
    port: e.REFERLOOP_PORT,
    host: e.REFERLOOP_HOST,
    ...databasePaths(env),
    databaseUrl: e.REFERLOOP_DATABASE_URL,
    trustProxyHops: e.REFERLOOP_TRUST_PROXY_HOPS,
    rateLimits,
    platformQuotas: e.REFERLOOP_PLATFORM_QUOTAS === 'on',
    masterKey: e.REFERLOOP_MASTER_KEY,
    logLevel: e.REFERLOOP_LOG_LEVEL,
    bodyLimit: e.REFERLOOP_BODY_LIMIT,
    trackerPath: e.REFERLOOP_TRACKER_PATH,
    shutdownGraceMs: e.REFERLOOP_SHUTDOWN_GRACE_MS,
    publicUrl: e.REFERLOOP_PUBLIC_URL,
    webhooks: {
      allowPrivate: e.REFERLOOP_WEBHOOK_ALLOW_PRIVATE === '1',
      timeoutMs: e.REFERLOOP_WEBHOOK_TIMEOUT_MS,
    },
    ...overrides,
  };
}
