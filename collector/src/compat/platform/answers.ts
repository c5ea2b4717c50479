// 002_*'s answers: Referloop's data with camelCase names and no envelope, its error body
// {"error":{"code","message","field"}}, and the two route shapes (a read, a write) that answer them over /api/v1's use cases.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { callerOf } from '../../http/auth.ts';
import { errorHandler, setRetryAfter } from '../../http/errors.ts';
import type { Answer } from '../../http/idempotency.ts';
import { settledBrand, writeCase } from '../../http/manage.ts';
import { parseQuery } from '../../http/query.ts';
import type { Ctx } from '../../services/context.ts';

const camelName = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** What the client wrote itself (an advocate's metadata) keeps its keys as they were sent. */
const VERBATIM = new Set(['metadata']);

/** Every key of `value`, deeply, in camelCase (created_at -> createdAt), but under `metadata`. */
export function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelName(k), VERBATIM.has(k) ? v : camel(v)]));
}

/** The answer of a write: the document's bare body, camelCase. */
export const bare = (status: number, body: Record<string, unknown>): Answer => ({ status, body: camel(body) });

/** The document's codes, by status: its table lists 400, 401, 403, 404, 429 and 500 (503: retry, with Retry-After). */
const CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 429: 'RATE_LIMITED', 500: 'SERVER_ERROR', 503: 'SERVICE_UNAVAILABLE',
};

/** Our refusals the document has no status for (a conflict, a body too large, a media type) are its 400, naming the field. */
const statusOf = (status: number): number => (CODES[status] ? status : status < 500 ? 400 : 500);

/** "email: is required" -> "Email is required": the field named first, as the document's example. */
const sentence = (field: string, message: string) => `${field.charAt(0).toUpperCase()}${field.slice(1)} ${message}`;

/** The field a refusal names (camelCase), or what it is about when it names none. */
function fieldOf(error: ApiError): string | null {
  const named = error.details[0]?.field;
  if (named && named !== 'body') return camelName(named);
  if (error.status === 401 || (error.status === 403 && error.code !== 'plan_required')) return 'authorization';
  if (error.status === 404 && error.code !== 'route_not_found') return 'id';
  return null;
}

export function errorBody(error: ApiError): { status: number; body: { error: { code: string; message: string; field: string | null } } } {
  const status = statusOf(error.status);
  const field = fieldOf(error);
  let message = error.message;
  if (error.code === 'invalid_request' && error.details.length) {
    message = error.details.map((d) => sentence(camelName(d.field), d.message)).join('; ');
  } else if (/^[a-z0-9_.]+: /.test(message)) {
    // "advocate_id: no advocate 9 in this brand": the field it starts with named as the request names it.
    message = message.replace(/^[a-z0-9_.]+/, camelName);
  } else if (error.code === 'missing_api_key') {
    message = 'An API key is required: send Authorization: Bearer <your secret key>';
  }
  return { status, body: { error: { code: CODES[status]!, message, field } } };
}

/** The adapter's one error handler: every refusal, a 404 of a path it does not serve included, in the document's body. */
export const platformErrors = (deps: Pick<AppDeps, 'logger'>): ErrorRequestHandler => errorHandler(deps.logger, (_req, res, apiError) => {
  setRetryAfter(res, apiError);
  const { status, body } = errorBody(apiError);
  res.status(status).json(body);
});

/**
 * A GET: the query parsed by `schema` (a 400 naming the field), the brand's due rewards settled as /api/v1's reads do,
 * `run` on the read-only connection, its answer sent bare and camelCase (unknown parameters named in `warnings`, as on /api/v1).
 */
export function platformRead<S extends z.ZodType>(
  deps: AppDeps, schema: S, run: (ctx: Ctx, query: z.output<S>, req: Request) => Promise<Record<string, unknown>>,
): RequestHandler {
  return async (req: Request, res: Response) => {
    const { data, warnings } = parseQuery(schema, req.query);
    const now = deps.now();
    const { brand } = callerOf(res);
    await settledBrand(deps, brand, now);
    const body = camel(await run({ q: deps.rq, brand, now }, data, req)) as Record<string, unknown>;
    res.status(200).json(warnings.length ? { ...body, warnings } : body);
  };
}

/** A POST or PATCH: /api/v1's writeCase (settling, Idempotency-Key, the commit queue, answered after COMMIT), bare. */
export function platformWrite<S extends z.ZodType>(
  deps: AppDeps, schema: S, status: number, run: (ctx: Ctx, data: z.output<S>, req: Request) => Promise<Record<string, unknown>>,
): RequestHandler {
  return writeCase(deps, schema, async (ctx, data, req) => bare(status, await run(ctx, data, req)));
}
