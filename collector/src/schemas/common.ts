// Field types shared by the request schemas: money as number or decimal string, ids, emails, products.
import { z } from 'zod';
import { MAX_CENTS, parseHundredths } from '../domain/money.ts';
import { normalizeEmail } from '../domain/identity.ts';

const requiredOr = (message: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? 'is required' : message;

/** A non-negative amount with at most two decimals, as a number or a plain decimal string -> integer cents. */
export const zCents = z
  .union([z.number(), z.string()], { error: requiredOr('must be a number or a decimal string') })
  .transform((value, ctx) => {
    const parsed = parseHundredths(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    if (parsed.value > MAX_CENTS) {
      ctx.addIssue({ code: 'custom', message: 'is too large (at most 999999999.99)' });
      return z.NEVER;
    }
    return parsed.value;
  });

/** A record id: a positive integer, also as a digit string. */
export const zId = z
  .union([z.number().int().positive(), z.string().regex(/^\d{1,15}$/).transform(Number)], {
    error: requiredOr('must be a positive integer'),
  })
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

/** No U+0000 anywhere in the string. */
export const NO_NUL = /^[^\u0000]*$/;

export const zText = (max = 255) =>
  z.string({ error: requiredOr('must be a string') }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
    // PostgreSQL's text cannot hold U+0000 (it would be a 500 there): refused on both engines alike.
    .regex(NO_NUL, 'must not contain a NUL character (U+0000)');

export const zCode = zText(64).regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, _ and -');

/**
 * A visitor id travels in a cookie (the collector may set `al_vid` itself), so it holds only characters a
 * cookie value carries unquoted: UUIDs (the tracker's and ours), and tokens such as `visitor_abc123`.
 */
export const zVisitorId = zText(64).regex(/^[A-Za-z0-9._:-]+$/, 'may contain only letters, digits, ".", ":", "_" and "-"');

export const zEmail = z
  .string({ error: requiredOr('must be a string') })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an email address' }))
  .transform(normalizeEmail);

export const zBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')], {
  error: requiredOr('must be true or false'),
});

export const zStatus = z.string().trim().regex(/^[a-z][a-z_]{0,31}$/, 'must be a lower-case word such as refunded');

export const zDiscountType = z.enum(['percentage', 'fixed', 'custom'], { error: 'must be percentage, fixed or custom' });

export const zMetadata = z.record(z.string(), z.unknown(), { error: 'must be an object' });

/**
 * Products: name/title/product_name, quantity/qty, price/total/line_total; every other field kept as sent.
 * Stored as { ...other fields, name, quantity, price_cents }: money inside stays in integer cents.
 */
export const zProducts = z
  .array(z.looseObject({
    name: zText().optional(), title: zText().optional(), product_name: zText().optional(),
    quantity: z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)], { error: 'must be a whole number' }).optional(),
    qty: z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)], { error: 'must be a whole number' }).optional(),
    price: zCents.optional(), total: zCents.optional(), line_total: zCents.optional(),
  }), { error: 'must be an array of product objects' })
  .max(500, 'at most 500 products')
  .transform((items) => items.map((p) => {
    const { name, title, product_name, quantity, qty, price, total, line_total, ...rest } = p;
    return {
      ...rest,
      name: name ?? title ?? product_name ?? 'Unknown Product',
      quantity: quantity ?? qty ?? 1,
      price_cents: price ?? total ?? line_total ?? 0,
    };
  }));

/** Coupons: stored as { ...other fields, code, discount_amount_cents, discount_tax_cents }. */
export const zCoupons = z
  .array(z.looseObject({
    code: zText(64),
    discount_amount: zCents.optional(),
    discount_tax: zCents.optional(),
  }), { error: 'must be an array of {code, discount_amount, discount_tax}' })
  .max(50, 'at most 50 coupons')
  .transform((items) => items.map(({ discount_amount, discount_tax, ...rest }) => ({
    ...rest,
    discount_amount_cents: discount_amount ?? 0,
    ...(discount_tax === undefined ? {} : { discount_tax_cents: discount_tax }),
  })));

export type Products = z.infer<typeof zProducts>;
export type Coupons = z.infer<typeof zCoupons>;

/** A query string or body with no fields (GET of one resource, DELETE, approve-due): anything sent becomes a warning. */
export const zNoFields = z.object({});
