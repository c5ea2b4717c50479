// The one error middleware: ApiError and body-parser failures become our JSON envelope; nothing else leaks.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { databaseBusy, isBusyError } from '../db/commitQueue.ts';

const BODY_PARSER_ERRORS: Record<string, () => ApiError> = {
  'entity.too.large': () => new ApiError(413, 'payload_too_large', 'Request body is too large'),
  'entity.parse.failed': () => new ApiError(400, 'invalid_json', 'Request body is not valid JSON', [{ field: 'body', message: 'invalid JSON' }]),
  'encoding.unsupported': () => new ApiError(415, 'unsupported_encoding', 'Unsupported content encoding'),
  'charset.unsupported': () => new ApiError(415, 'unsupported_charset', 'Unsupported charset: send UTF-8'),
  'request.aborted': () => new ApiError(400, 'request_aborted', 'Request was aborted'),
};

/** Seconds a client should wait before retrying an answer with this code. */
const RETRY_AFTER_S: Record<string, number> = { database_busy: 5, database_unavailable: 5, settling: 1 };

/** The Retry-After an error's answer carries, if any (the API's and the dashboard's error pages alike). */
export function setRetryAfter(res: Response, error: ApiError): void {
  const retryAfter = RETRY_AFTER_S[error.code];
  if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
}

/**
 * PostgreSQL's contention (a serialization failure or deadlock still there after the write queue's retries) is busy;
 * a server gone or shutting down (SQLSTATE class 08, 57P01-57P03, a refused connection) is unavailable: both 503.
 */
function postgresTrouble(err: unknown): ApiError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (code === '40001' || code === '40P01' || code === '55P03') return databaseBusy();
  if (code.startsWith('08') || /^57P0[123]$/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET') {
    return new ApiError(503, 'database_unavailable', 'The database server cannot be reached; retry shortly');
  }
  return null;
}

export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  // Another process's write lock met outside the commit queue's retries: busy, not broken.
  if (isBusyError(err)) return databaseBusy();
  const pg = postgresTrouble(err);
  if (pg) return pg;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && BODY_PARSER_ERRORS[type]) return BODY_PARSER_ERRORS[type]();
  // Express's router could not percent-decode a path parameter (/advocates/%ZZ): the address is wrong, not the server.
  if (err instanceof URIError && (err as { status?: unknown }).status === 400) {
    return new ApiError(400, 'invalid_path', 'The address holds a badly percent-encoded part', [{ field: 'path', message: 'is not valid percent-encoding' }]);
  }
  return null;
}

/**
 * An error handler that answers with `send`: whatever was thrown as an ApiError (anything unknown a 500, logged), and
 * nothing once the answer has started. The API's (errorMiddleware) and each adapter's (compat/) differ only in `send`.
 */
export function errorHandler(logger: Logger, send: (req: Request, res: Response, error: ApiError) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err) ?? new ApiError(500, 'internal_error', 'Internal server error');
    if (apiError.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    send(req, res, apiError);
  };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return errorHandler(logger, (req, res, apiError) => {
    const origin = req.get('Origin');
    // An error carries nothing but the error, so any page may read it (success answers stay brand-origin only).
    if (res.locals.browserEndpoint && origin && !res.getHeader('Access-Control-Allow-Origin')) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.vary('Origin');
    }
    setRetryAfter(res, apiError);
    res.status(apiError.status).json(apiError.toJSON());
  });
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.path}`));
};
