// The management API's shared route shape: per-IP limit, body, secret key only; every request first brings
// the brand's rewards up to date (pending ones whose cooling period has ended become approved), then reads or
// writes inside the commit queue, and answers after COMMIT.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Ctx } from '../services/context.ts';
import { settleDueRewards } from '../services/commissions.ts';
import { authenticate, callerOf } from './auth.ts';
import { jsonBody } from './body.ts';
import type { Answer } from './idempotency.ts';
import { parseQuery } from './query.ts';
import { sendCsv, type CsvColumn } from './csv.ts';
import { rateLimiter } from './rateLimit.ts';
import { send, useCase } from './useCase.ts';

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

const guards = new WeakMap<AppDeps, RequestHandler[]>();

/**
 * rate limit, body parser (a GET or DELETE has no body: {}), secret-key authentication: before every handler.
 * One guard per app, so the `manage` limit is one budget across every management router.
 */
export function manageGuard(deps: AppDeps): RequestHandler[] {
  let guard = guards.get(deps);
  if (!guard) guards.set(deps, (guard = buildGuard(deps)));
  return guard;
}

function buildGuard(deps: AppDeps): RequestHandler[] {
  const body = jsonBody(deps.config.bodyLimit);
  const optionalBody: RequestHandler = (req, res, next) => {
    if (hasBody(req)) return body(req, res, next);
    req.body = {};
    next();
  };
  return [...rateLimiter('manage', deps.config.rateLimits?.manage), optionalBody, authenticate(deps.q, { browser: false })];
}

/** GET: the query string parsed by `schema` (400 naming the field), `run` answers the data of a 200. */
export function readCase<S extends z.ZodType>(
  deps: AppDeps, schema: S, run: (ctx: Ctx, query: z.output<S>, req: Request) => unknown,
): RequestHandler {
  return async (req, res) => {
    const { brand } = callerOf(res);
    const { data, warnings } = parseQuery(schema, req.query);
    const now = deps.now();
    const result = await deps.queue.run(() => {
      const ctx: Ctx = { q: deps.q, brand, now };
      settleDueRewards(ctx);
      return run(ctx, data, req);
    });
    send(res, { status: 200, body: { success: true, data: result } }, warnings);
  };
}

/**
 * POST, PUT, PATCH, DELETE: useCase (body schema, Idempotency-Key, commit queue) after settling due rewards.
 * An Idempotency-Key is scoped to the method and path, so the same key and body sent to another advocate's
 * path is a conflict, not a replay of the first answer.
 */
export function writeCase<S extends z.ZodType>(
  deps: AppDeps, schema: S, run: (ctx: Ctx, data: z.output<S>, req: Request, res: Response) => Answer,
): RequestHandler {
  return useCase(deps, (req) => `${req.method} ${req.baseUrl}${req.path}`, schema, (ctx, data, req, res) => {
    settleDueRewards(ctx);
    return run(ctx, data, req, res);
  });
}

/** GET of a CSV export: like readCase, but `run` returns the rows and they are answered as `filename`. */
export function exportCase<S extends z.ZodType, T>(
  deps: AppDeps, schema: S, filename: string, columns: CsvColumn<T>[], run: (ctx: Ctx, query: z.output<S>) => T[],
): RequestHandler {
  return async (req, res) => {
    const { brand } = callerOf(res);
    const { data } = parseQuery(schema, req.query);
    const now = deps.now();
    const rows = await deps.queue.run(() => {
      const ctx: Ctx = { q: deps.q, brand, now };
      settleDueRewards(ctx);
      return run(ctx, data);
    });
    sendCsv(res, filename, columns, rows);
  };
}
