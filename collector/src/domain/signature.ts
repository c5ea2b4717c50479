// The /convert webhook's HMAC-SHA256 signature, with the optional timestamp and its 300-second window.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.ts';

export const TIMESTAMP_TOLERANCE_S = 300;

const unauthorized = (code: string, message: string) => new ApiError(401, code, message);

/**
 * Accepts hex(HMAC(secret, body)), or with X-AL-Timestamp also hex(HMAC(secret, `${ts}.${body}`)), for any of
 * `secrets` (a brand's active secret keys); returns the index of the one that signed. Constant-time comparison;
 * a signature of the wrong length or not hex is a 401 before any comparison.
 */
export function verifySignature(
  secrets: string[], rawBody: Buffer, signature: string | undefined, timestamp: string | undefined, nowMs: number,
): number {
  if (!signature) throw unauthorized('missing_signature', 'X-AL-Signature header is required');
  if (!/^[0-9a-f]{64}$/i.test(signature.trim())) {
    throw unauthorized('invalid_signature', 'X-AL-Signature must be 64 hex characters (HMAC-SHA256)');
  }
  const given = Buffer.from(signature.trim(), 'hex');
  const candidates = [rawBody];
  if (timestamp !== undefined) {
    if (!/^\d{1,12}$/.test(timestamp.trim())) throw unauthorized('invalid_timestamp', 'X-AL-Timestamp must be a unix time in seconds');
    const skew = Math.abs(nowMs / 1000 - Number(timestamp));
    if (skew > TIMESTAMP_TOLERANCE_S) {
      throw unauthorized('timestamp_out_of_range', `X-AL-Timestamp is more than ${TIMESTAMP_TOLERANCE_S} seconds from the server's time`);
    }
    candidates.push(Buffer.concat([Buffer.from(`${timestamp.trim()}.`), rawBody]));
  }
  // Evaluate every key and candidate (no early exit) so timing does not tell which key or form nearly matched.
  let signedBy = -1;
  secrets.forEach((secret, i) => {
    for (const payload of candidates) {
      const expected = createHmac('sha256', secret).update(payload).digest();
      if (timingSafeEqual(expected, given)) signedBy = i;
    }
  });
  if (signedBy < 0) throw unauthorized('invalid_signature', 'X-AL-Signature does not match the request body');
  return signedBy;
}
