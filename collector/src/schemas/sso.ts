// Request schemas of single sign-on (002_*'s /sso): the signed recognition and the customer mappings. 002_*'s camelCase
// names are aliases (`businessId`, `externalCustomerId`, `externalEmail`, `externalName`, `advocateId`); the snake_case
// one wins when both are sent.
import { z } from 'zod';
import { zPagination, zQueryInt } from '../http/query.ts';
import { zEmail, zId, zText } from './common.ts';

/** A field of the signed message: no line break (domain/sso.ts ssoMessage joins the fields by line). */
const zLine = (max: number) => zText(max).regex(/^[^\r\n]*$/, 'must not contain a line break');

/** Unix seconds, as a number or digits. */
const zUnixSeconds = z.union([z.number(), z.string().trim().regex(/^\d{1,12}$/, 'must be a unix time in seconds').transform(Number)], {
  error: 'must be a unix time in seconds',
}).pipe(z.number().int('must be a whole number of seconds').min(0, 'must be a unix time in seconds'));

/** One field under its snake_case name or its 002_* camelCase alias; `required` names the snake_case one when both are missing. */
function aliased<T extends Record<string, unknown>>(b: T, ctx: z.RefinementCtx, pairs: Array<[string, string]>) {
  for (const [snake, camel] of pairs) {
    if (b[snake] === undefined && b[camel] === undefined) ctx.addIssue({ code: 'custom', path: [snake], message: 'is required' });
  }
}

/** POST /sso/recognize: the site's logged-in customer, signed with one of the brand's secret keys. */
export const zRecognizeRequest = z.object({
  business_id: zLine(64).optional(),
  businessId: zLine(64).optional(),
  external_customer_id: zLine(255).optional(),
  externalCustomerId: zLine(255).optional(),
  timestamp: zUnixSeconds,
  signature: z.string({ error: 'must be a string' }).trim().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (HMAC-SHA256)'),
  external_email: zEmail.optional(),
  externalEmail: zEmail.optional(),
  external_name: zLine(200).optional(),
  externalName: zLine(200).optional(),
}).superRefine((b, ctx) => aliased(b, ctx, [['business_id', 'businessId'], ['external_customer_id', 'externalCustomerId']]))
  .transform((b) => ({
    businessId: (b.business_id ?? b.businessId)!,
    externalCustomerId: (b.external_customer_id ?? b.externalCustomerId)!,
    timestamp: b.timestamp,
    signature: b.signature.toLowerCase(),
    externalEmail: b.external_email ?? b.externalEmail ?? null,
    externalName: b.external_name ?? b.externalName ?? null,
  }));

export type RecognizeRequest = z.output<typeof zRecognizeRequest>;

/** POST /sso/mappings: a customer of the site tied to an advocate by the operator. */
export const zCreateMappingRequest = z.object({
  advocate_id: zId.optional(),
  advocateId: zId.optional(),
  external_customer_id: zLine(255).optional(),
  externalCustomerId: zLine(255).optional(),
  external_email: zEmail.optional(),
  externalEmail: zEmail.optional(),
  external_name: zLine(200).optional(),
  externalName: zLine(200).optional(),
}).superRefine((b, ctx) => aliased(b, ctx, [['advocate_id', 'advocateId'], ['external_customer_id', 'externalCustomerId']]))
  .transform((b) => ({
    advocateId: (b.advocate_id ?? b.advocateId)!,
    externalCustomerId: (b.external_customer_id ?? b.externalCustomerId)!,
    externalEmail: b.external_email ?? b.externalEmail ?? null,
    externalName: b.external_name ?? b.externalName ?? null,
  }));

export type CreateMappingRequest = z.output<typeof zCreateMappingRequest>;

/** GET /sso/mappings: newest first, paged like the other lists; one advocate's with `advocate_id`. */
export const zMappingListQuery = z.object({
  ...zPagination,
  advocate_id: zQueryInt(1, 999_999_999).optional(),
});
