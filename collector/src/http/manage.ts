// The management API's shared route shape: per-IP limit, body, secret key only; every request first brings
// the brand's rewards up to date (pending ones whose cooling period has ended become approved, batch by batch,
// each batch its own commit-queue job), then reads on the read-only connection, beside the write queue, or writes
// inside the commit queue and answers after COMMIT.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Brand } from '../db/brands.ts';
import type { Conn } from '../db/port.ts';
import { ApiError } from '../errors.ts';
import { SETTLE_WAIT_BATCHES, type Settled } from '../jobs/settlement.ts';
import type { Ctx } from '../services/context.ts';
import { authenticate, callerOf } from './auth.ts';
import { jsonBody } from './body.ts';
import type { Answer } from './idempotency.ts';
import { parseBody } from './parse.ts';
import { parseQuery } from './query.ts';
import { streamCsv, type CsvColumn } from './csv.ts';
import { limitCaller } from './rateLimit.ts';
import { jsonListPieces, streamPieces, type PiecewiseItem } from './stream.ts';
import { send, useCase } from './useCase.ts';

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

const guards = new WeakMap<AppDeps, RequestHandler[]>();

/**
 * body parser (a GET or DELETE has no body: {}), secret-key authentication, the key's rate limit (one budget per
 * key across management and tracking, see rateLimit.ts): before every handler.
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
  return [optionalBody, authenticate(deps, { browser: false }), ...limitCaller(deps)];
}

/**
 * The brand's due rewards settled before a request reads or writes (jobs/settlement.ts); `keep` ids are kept. A
 * request waits for at most SETTLE_WAIT_BATCHES batches: a longer backlog goes on in the background and the
 * request is a 503 `settling` (Retry-After), since its answer would show as pending rewards that are due; with
 * `partial` (approve-due, whose answer is what it approved) it goes on and says `remaining`.
 */
async function settled(deps: AppDeps, res: Response, now: Date, keep = 0, partial = false): Promise<Settled> {
  return settledBrand(deps, callerOf(res).brand, now, keep, partial);
}

/** settled() for a brand (the dashboard's pages settle the same way, for the session's brand). */
export async function settledBrand(deps: AppDeps, brand: Brand, now: Date, keep = 0, partial = false): Promise<Settled> {
  const s = await deps.settlement.settleBrand(brand, now, keep, SETTLE_WAIT_BATCHES);
  if (s.remaining && !partial) {
    throw new ApiError(503, 'settling', `Commissions of this brand whose cooling period has ended are being approved (${s.count} so far, `
      + 'more than one request waits for); retry in a moment');
  }
  return s;
}

/**
 * Each batch of a long read in one read transaction of its own: the rows of a batch (a payout chunk's commissions
 * and clawbacks) are one moment's even while another process (the CLI) writes, and no transaction stays open
 * between batches, so the read sees each write committed before it and never holds back a checkpoint for long.
 */
export async function* batchSnapshots<T>(read: Conn, batches: AsyncIterable<T>): AsyncGenerator<T> {
  const it = batches[Symbol.asyncIterator]();
  const next = () => read.transaction(() => it.next(), { mode: 'read' });
  for (let n = await next(); !n.done; n = await next()) yield n.value;
}

/** A read's context: the read-only connection's queries. */
const readCtx = (deps: AppDeps, res: Response, now: Date): Ctx => ({ q: deps.rq, brand: callerOf(res).brand, now });

/**
 * GET: the query string parsed by `schema` (400 naming the field), `run` answers the data of a 200. It runs on the
 * read-only connection, never inside the commit queue, so a long read holds up no write and no /healthz.
 */
export function readCase<S extends z.ZodType>(
  deps: AppDeps, schema: S, run: (ctx: Ctx, query: z.output<S>, req: Request) => unknown,
): RequestHandler {
  return async (req, res) => {
    const { data, warnings } = parseQuery(schema, req.query);
    const now = deps.now();
    await settled(deps, res, now);
    send(res, { status: 200, body: { success: true, data: await run(readCtx(deps, res, now), data, req) } }, warnings);
  };
}

/** How many of the ids a write's settling approved are kept for it (POST /commissions/approve-due answers them). */
export const SETTLED_IDS_KEPT = 1000;

/** What the settling before this write approved (writeCase). */
export const settledBefore = (res: Response): Settled => res.locals.settled as Settled;

/**
 * POST, PUT, PATCH, DELETE: useCase (body schema, Idempotency-Key, commit queue) after settling due rewards (a bad
 * body is refused first, before anything is written). An Idempotency-Key is scoped to the method and path, so the
 * same key and body sent to another advocate's path is a conflict, not a replay of the first answer.
 */
export function writeCase<S extends z.ZodType>(
  deps: AppDeps, schema: S, run: (ctx: Ctx, data: z.output<S>, req: Request, res: Response) => Promise<Answer> | Answer,
  opts: { partialSettle?: boolean; committed?: (answer: Answer) => void } = {},
): RequestHandler {
  const write = useCase(deps, (req) => `${req.method} ${req.baseUrl}${req.path}`, schema, run, opts.committed);
  return async (req, res, next) => {
    parseBody(schema, (req.body ?? {}) as Record<string, unknown>);
    res.locals.settled = await settled(deps, res, deps.now(), SETTLED_IDS_KEPT, opts.partialSettle);
    await write(req, res, next);
  };
}

/**
 * GET of a CSV export: `run` gives the rows batch by batch (a keyset read of 200 rows each, on the
 * read-only connection), and each batch is written before the next is read (http/stream.ts).
 */
export function exportCase<S extends z.ZodType, T>(
  deps: AppDeps, schema: S, filename: string, columns: CsvColumn<T>[], run: (ctx: Ctx, query: z.output<S>) => AsyncIterable<T[]>,
): RequestHandler {
  return async (req, res) => {
    const { data } = parseQuery(schema, req.query);
    const now = deps.now();
    await settled(deps, res, now);
    await streamCsv(res, filename, columns, batchSnapshots(deps.read, run(readCtx(deps, res, now), data)));
  };
}

/**
 * GET of a long JSON list (the payout): `run` gives the list's items batch by batch and the fields that follow
 * them (totals), written as `{"success":true,"data":{"<name>":[...],...}}` like readCase's answers, streamed.
 */
export function streamCase<S extends z.ZodType>(
  deps: AppDeps, schema: S, name: string,
  run: (ctx: Ctx, query: z.output<S>) => Promise<{ batches: AsyncIterable<unknown[] | PiecewiseItem>; tail: () => Record<string, unknown> }>,
): RequestHandler {
  return async (req, res) => {
    const { data, warnings } = parseQuery(schema, req.query);
    const now = deps.now();
    await settled(deps, res, now);
    const { batches, tail } = await run(readCtx(deps, res, now), data);
    await streamPieces(res, () => {
      res.status(200);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
    }, jsonListPieces(name, batchSnapshots(deps.read, batches), () => (warnings.length ? { ...tail(), warnings } : tail())));
  };
}
