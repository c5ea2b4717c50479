// 003_*'s wire format (issue 15): HTTP Basic auth (consumer key = the brand id, consumer secret = one of its secret
// API keys), the body as curl's CURLOPT_POSTFIELDS sends it, and the envelope every answer is in, errors included:
// {"response":{"code":"200","message":"OK: …","data":{…}}}.
import { STATUS_CODES } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { authenticate } from '../../http/auth.ts';
import { errorHandler, setRetryAfter } from '../../http/errors.ts';
import { limitCaller } from '../../http/rateLimit.ts';

/** 003_*'s two success messages: a read's and a create's. */
export const OK_READ = 'OK: The request was successful. See response body for additional data.';
export const OK_CREATED = 'OK: The request was successful.';

/** Writes one envelope; the HTTP status is the envelope's code. */
export function reply(res: Response, status: number, message: string, data: Record<string, unknown>): void {
  const json = JSON.stringify({ response: { code: String(status), message, data } });
  res.writeHead(status, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(json))]);
  res.end(json);
}

/** Referloop's request names in errors, as 003_* names them (the adapter maps its fields onto these). */
const FIELD_NAMES: Record<string, string> = {
  referrer_advocate_id: 'referrer_advocate_uuid',
  referred_advocate_id: 'referred_customer_uuid',
  conversion_id: 'referred_order_uuid',
  order_id: 'referred_order_number',
  campaign_id: 'campaign_uuid',
};

const reverbField = (field: string) => FIELD_NAMES[field] ?? field;

const OUR_NAMES = new RegExp(`\\b(${Object.keys(FIELD_NAMES).join('|')})\\b`, 'g');

/** A message of /api/v1's rules with 003_*'s names in it. */
const reverbText = (text: string) => text.replace(OUR_NAMES, (name) => FIELD_NAMES[name]!);

/** http/auth.ts's refusals in 003_*'s words (its headers are the Basic credentials here). */
const AUTH_MESSAGES: Record<string, string> = {
  invalid_api_key: 'Invalid consumer secret',
  brand_mismatch: 'The consumer key is not the brand of this consumer secret',
  secret_key_required: 'The consumer secret must be a secret API key (rl_sk_…), not a publishable one',
};

/** An error as its envelope: `<HTTP reason>: <what happened>`, data naming Referloop's code and the fields. */
export function errorReply(res: Response, error: ApiError): void {
  const details = error.details.map((d) => ({ field: reverbField(d.field), message: reverbText(d.message) }));
  const text = error.details.length ? details.map((d) => `${d.field}: ${d.message}`).join('; ') : AUTH_MESSAGES[error.code] ?? reverbText(error.message);
  setRetryAfter(res, error);
  if (error.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Reverb API", charset="UTF-8"');
  reply(res, error.status, `${STATUS_CODES[error.status] ?? 'Error'}: ${text}`, { error: error.code, details });
}

export const reverbErrors = (logger: Logger): ErrorRequestHandler => errorHandler(logger, (_req, res, error) => errorReply(res, error));

/**
 * The body as 003_*'s clients send it: the PHP example posts json_encode()'s string with curl's default
 * Content-Type (application/x-www-form-urlencoded), so JSON is read whatever the type says; a real form body
 * (a=1&b=2) is read as one too. A GET's body is none.
 */
function reverbBody(limit: string): RequestHandler {
  const text = express.text({ type: () => true, limit });
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.body = {};
      next();
      return;
    }
    text(req, res, (err?: unknown) => {
      if (err) return next(err);
      const raw = typeof req.body === 'string' ? req.body.trim() : '';
      if (raw === '') req.body = {};
      else if (!raw.startsWith('{') && !raw.startsWith('[') && req.is('application/x-www-form-urlencoded')) {
        req.body = Object.fromEntries(new URLSearchParams(raw));
      } else {
        let parsed: unknown;
        try { parsed = JSON.parse(raw); } catch { parsed = undefined; }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          return next(new ApiError(400, 'invalid_json', 'Request body is not a JSON object', [{ field: 'body', message: 'must be a JSON object' }]));
        }
        req.body = parsed;
      }
      next();
    });
  };
}

/**
 * HTTP Basic: the consumer key is the brand id and the consumer secret one of the brand's secret keys
 * (rl_sk_…), checked exactly as /api/v1 checks X-Brand-ID + X-API-Key (http/auth.ts, its failed-attempt budget
 * and the key's rate limit included). Nothing else authenticates here: no Bearer, no X-API-Key of the client's.
 */
const basicCredentials: RequestHandler = (req, _res, next) => {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  delete req.headers['x-api-key'];
  delete req.headers['x-brand-id'];
  delete req.headers.authorization;
  if (colon <= 0 || colon === decoded.length - 1) {
    next(new ApiError(401, 'missing_credentials',
      'HTTP Basic authentication is required: the consumer key (the brand id) and the consumer secret (a secret API key)'));
    return;
  }
  req.headers['x-brand-id'] = decoded.slice(0, colon);
  req.headers['x-api-key'] = decoded.slice(colon + 1);
  next();
};

/** Before every route: the body, the Basic credentials, the key's rate limit. */
export function reverbGuard(deps: AppDeps): RequestHandler[] {
  return [reverbBody(deps.config.bodyLimit), basicCredentials, authenticate(deps, { browser: false }), ...limitCaller(deps)];
}
