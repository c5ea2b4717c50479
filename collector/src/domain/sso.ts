// Single sign-on's signed message (POST /api/v1/sso/recognize): what the site signs with one of the brand's secret keys,
// and the check of a signature and its timestamp. Pure: no SQL, no HTTP.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.ts';

/** How far a recognition's timestamp may be from the server's time, either way. */
export const SSO_TOLERANCE_S = 300;
/** How long a session token opens the portal and widget as its advocate. */
export const SSO_SESSION_S = 3600;

/** The signed fields exactly as the request sent them (a number as its JSON digits), absent ones null. */
export interface SsoClaim {
  businessId: string;
  externalCustomerId: string;
  /** unix seconds */
  timestamp: string;
  externalEmail: string | null;
  externalName: string | null;
}

/**
 * The signed message: the five fields as sent, each on its own line, in this order (absent ones as empty lines):
 * business_id, external_customer_id, timestamp, external_email, external_name (or their camelCase aliases). No field
 * may hold a line break (the schema refuses one), so no two claims make the same message. The email and name are
 * signed too: they decide who an unmapped customer becomes.
 */
export const ssoMessage = (c: SsoClaim): string =>
  [c.businessId, c.externalCustomerId, c.timestamp, c.externalEmail ?? '', c.externalName ?? ''].join('\n');

/** hex(HMAC-SHA256(secret, message)): what a site computes (and what the tests sign with). */
export const ssoSignature = (secret: string, c: SsoClaim): string => createHmac('sha256', secret).update(ssoMessage(c)).digest('hex');

const unauthorized = (code: string, message: string) => new ApiError(401, code, message);

/**
 * Checks the timestamp (within SSO_TOLERANCE_S of `nowMs`) and the signature against each of `secrets` (the brand's
 * active secret keys), in constant time and without an early exit; answers the index of the key that signed, or
 * throws a 401.
 */
export function verifySsoSignature(secrets: string[], c: SsoClaim, signatureHex: string, nowMs: number): number {
  if (!(Math.abs(nowMs / 1000 - Number(c.timestamp)) <= SSO_TOLERANCE_S)) {
    throw unauthorized('timestamp_out_of_range', `timestamp is more than ${SSO_TOLERANCE_S} seconds from the server's time`);
  }
  const given = Buffer.from(signatureHex, 'hex');
  const message = ssoMessage(c);
  let signedBy = -1;
  secrets.forEach((secret, i) => {
    if (timingSafeEqual(createHmac('sha256', secret).update(message).digest(), given)) signedBy = i;
  });
  if (signedBy < 0) throw unauthorized('invalid_signature', 'signature does not match the business, customer and timestamp');
  return signedBy;
}
