// 004_* (Refgrow)'s prefixed ids and its error body. Ids: `aff_<advocate id>`, `comm_<commission id>`,
// `conv_<conversion id>`, `click_<the click's visitor id, its 32 hex digits>` (each click of /referrals/track is the
// one visit of a visitor of its own). Errors: {"success":false,"error":{"code","message","details":{"field","issue"}}}
// with the document's codes, Referloop's ApiError mapped onto them (its first detail's field, named as 004_* names it).
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError, type ErrorDetail } from '../../errors.ts';
import { errorHandler, setRetryAfter } from '../../http/errors.ts';

export type IdKind = 'aff' | 'comm' | 'conv';

const WHAT: Record<IdKind, string> = { aff: 'affiliate', comm: 'commission', conv: 'conversion' };

export const prefixed = (kind: IdKind, id: number): string => `${kind}_${id}`;
export const prefixedOrNull = (kind: IdKind, id: number | null): string | null => (id === null ? null : prefixed(kind, id));

export const refgrowNotFound = (what: string, field: string): ApiError =>
  new ApiError(404, 'not_found', `No ${what} with this id for this program`, [{ field, message: `no ${what} with this id` }]);

/** The issue of an id that does not have its kind's form, or null: `aff_` and digits. */
export function idIssue(kind: IdKind, text: string): string | null {
  if (!text.startsWith(`${kind}_`)) return `must be a string beginning with '${kind}_'`;
  return /^\d{1,15}$/.test(text.slice(kind.length + 1)) ? null : `must be '${kind}_' followed by digits`;
}

/** Our id of a prefixed id: 400 invalid_request naming `field` when malformed; 0 (found nowhere) for `aff_0`. */
export function parseId(kind: IdKind, text: string | string[] | undefined, field: string): number {
  const value = (Array.isArray(text) ? text[0] : text) ?? '';
  const issue = idIssue(kind, value);
  if (issue) throw new ApiError(400, 'invalid_request', `Invalid ${WHAT[kind]} ID format`, [{ field, message: issue }]);
  return Number(value.slice(kind.length + 1));
}

/** click_<32 hex digits> <-> the visitor id (a UUID) of that click's visit. */
export const clickIdOf = (visitorId: string): string => `click_${visitorId.replace(/-/g, '')}`;
export const CLICK_ID = /^click_[0-9a-f]{32}$/;
export function visitorOfClick(clickId: string): string {
  const h = clickId.slice('click_'.length);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Referloop's field names as 004_* names them (a use case's refusal names ours). */
const FIELD_NAMES: Record<string, string> = {
  referral_code: 'referralCode',
  code: 'referralCode',
  order_id: 'orderId',
  order_value: 'amount',
  email: 'email',
  advocate_id: 'affiliateId',
  visitor_id: 'clickId',
  metadata: 'customFields',
  payment_method: 'paymentMethod',
  payment_details: 'paymentDetails',
};

const CODES: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_denied',
  404: 'resource_not_found',
  429: 'rate_limit_exceeded',
};

/** What a refusal with no field of its own is about. */
const DEFAULT_FIELD: Record<string, string> = {
  authentication_error: 'Authorization',
  resource_not_found: 'id',
};

const MESSAGES: Record<string, string> = {
  missing_api_key: 'An API key is required: send Authorization: Bearer <the brand\'s secret key>',
};

/** Our words as 004_* says them: an advocate is an affiliate, a brand a program. */
const inDocumentWords = (text: string): string =>
  text.replace(/\b([Aa])dvocate(s?)\b/g, (_m, a: string, s: string) => `${a === 'A' ? 'A' : 'a'}ffiliate${s}`).replace(/\bthis brand\b/g, 'this program');

/**
 * The answer of a refusal: its status (401, 403, 404, 429 kept; any other 4xx is the document's 400 invalid_request;
 * 5xx kept, with Retry-After when it is worth a retry, as server_error) and the document's body.
 */
export function refgrowError(e: ApiError, customerEmail = false): { status: number; body: Record<string, unknown> } {
  const code = e.status >= 500 ? 'server_error' : CODES[e.status] ?? 'invalid_request';
  const status = e.status >= 500 || CODES[e.status] ? e.status : 400;
  const detail: ErrorDetail | undefined = e.details[0];
  const ours = detail?.field;
  const field = ours === undefined ? (e.code === 'route_not_found' ? 'path' : DEFAULT_FIELD[code] ?? null)
    : ours === 'email' && customerEmail ? 'customer.email' : FIELD_NAMES[ours] ?? ours;
  let message = MESSAGES[e.code] ?? e.message;
  if (ours !== undefined && field !== null && field !== ours) message = message.split(`${ours}:`).join(`${field}:`);
  const issue = inDocumentWords(detail?.message ?? message);
  return { status, body: { success: false, error: { code, message: inDocumentWords(message), details: { field, issue } } } };
}

/** The adapter's one error handler: nothing but the document's body leaves it, a 500 included. */
export const refgrowErrors = (logger: Logger): ErrorRequestHandler => errorHandler(logger, (req, res, apiError) => {
  setRetryAfter(res, apiError);
  const { status, body } = refgrowError(apiError, req.path === '/referrals/convert');
  res.status(status).json(body);
});
