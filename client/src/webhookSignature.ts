// verifyWebhook: a receiver's check that a delivery is ours, unchanged and recent (Standard Webhooks), before it trusts
// the body: webhook-signature holds `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, several
// space-separated while a rotated secret still signs; the key is the secret's part after whsec_, base64-decoded.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.ts';
import type { WebhookEvent } from './types.ts';

/** A request's headers: a fetch Headers, or a plain object such as node's req.headers (names in any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** the receiver's clock (default: the system's) */
  now?: () => Date;
  /** how far webhook-timestamp may be from now, in seconds (default 300: the spec's 5 minutes) */
  toleranceSeconds?: number;
}

const SECRET_PREFIX = 'whsec_';
const DEFAULT_TOLERANCE_S = 300;

function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

const required = (headers: WebhookHeaders, name: string): string => {
  const value = headerOf(headers, name)?.trim();
  if (!value) throw new WebhookVerificationError(`the ${name} header is missing`);
  return value;
};

/**
 * The delivery's event when `body` (the raw body, before any JSON parsing) is signed with `secret` (whsec_…) and its
 * webhook-timestamp is within the tolerance of now; else throws a WebhookVerificationError.
 */
export function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array, opts: VerifyOptions = {}): WebhookEvent {
  const id = required(headers, 'webhook-id');
  const timestamp = required(headers, 'webhook-timestamp');
  const signatures = required(headers, 'webhook-signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not a Unix time in seconds');
  const nowS = Math.floor((opts.now?.() ?? new Date()).getTime() / 1000);
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_S;
  if (nowS - Number(timestamp) > tolerance) throw new WebhookVerificationError('webhook-timestamp is too old');
  if (Number(timestamp) - nowS > tolerance) throw new WebhookVerificationError('webhook-timestamp is in the future');

  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  if (key.length === 0) throw new WebhookVerificationError('the secret is empty');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  const signed = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!signed) throw new WebhookVerificationError('no signature matches the secret');

  try {
    return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as WebhookEvent;
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
}
