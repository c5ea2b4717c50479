// Standard Webhooks signing (https://www.standardwebhooks.com): a whsec_ secret per endpoint, and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several space-separated while a rotated
// secret is still valid. Receivers verify with the spec's libraries (collector/test/webhooks verifies with one).
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new signing secret: whsec_ and 32 random bytes in base64 (the spec allows 24 to 64). */
export const generateSecret = (): string => PREFIX + randomBytes(32).toString('base64');

/** The HMAC key a secret stands for: the bytes after whsec_ (base64). */
const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** One signature of a message: `v1,<base64>`. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  return 'v1,' + createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/**
 * An attempt's headers as the owner is shown them (the CLI, the dashboard): webhook-id and webhook-timestamp as sent;
 * the signature is not kept (made now it would be wrong for an attempt made before a rotation).
 */
export const shownHeaders = (id: string, timestamp: number): Record<string, string> =>
  ({ 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': 'v1,…' });

/** The three headers of an attempt, signed with every secret given (the current one first). */
export function webhookHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => sign(s, id, timestamp, body)).join(' '),
  };
}
