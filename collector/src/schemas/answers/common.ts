// The answers' shared shapes: the success envelope, the list pages, the error envelope, /healthz's answer, and the
// compile-time drift guards (Same, Fits) that tie each schema to its view's type. Every answer object is a
// strict object, so the OpenAPI document says `additionalProperties: false` and the contract test (which checks real
// answers against the document) fails on a field the document does not name.
import { z } from 'zod';

/** An ISO 8601 instant as the API writes it (UTC, milliseconds): 2026-04-14T12:00:00.000Z. */
export const zInstant = z.iso.datetime({ offset: false });
/** Money as the API answers it: a decimal number of the brand's currency (12.5 is 12.50). */
export const zMoney = z.number().meta({ description: 'An amount in the currency, as a decimal number (12.5 is 12.50)' });
/** A record id. */
export const zRecordId = z.number().int().positive();
/** An ISO 4217 currency code. */
export const zCurrency = z.string().length(3).meta({ description: 'ISO 4217 currency code', example: 'USD' });

/** A decimal count of the currency, or whole points where the commission's `kind` is points. */
export const zCashOrPoints = z.number()
  .meta({ description: 'For a cash commission an amount in the currency as a decimal number; for a points one, whole points' });
/** A stored JSON object (metadata) as it was sent. */
export const zJsonObject = z.record(z.string(), z.unknown());

/** The fields that were sent and ignored: beside `data`, or (unwrapped answers) beside the answer's own fields. */
export const zWarnings = z.array(z.string()).optional().meta({ description: 'One message per field that was sent and ignored (unknown or misspelt)' });

/** `{"success":true,"data":...}`, with `warnings` naming ignored fields when there were any. */
export const envelope = <T extends z.ZodType>(data: T) => z.strictObject({ success: z.literal(true), data, warnings: zWarnings });

/** The cursor fields of a list page (http/query.ts listPage). */
export const pageFields = {
  limit: z.number().int().positive(),
  has_more: z.boolean(),
  next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null at the end' }),
  page: z.number().int().positive().optional().meta({ description: 'Only when paged by page/offset' }),
  offset: z.number().int().min(0).optional().meta({ description: 'Only when paged by page/offset' }),
  total: z.number().int().min(0).optional().meta({ description: 'Only with total=true' }),
};

/** A newest-first list page: `{ [name]: items, limit, has_more, next_cursor, page?, offset?, total? }`. */
export const listOf = <N extends string, T extends z.ZodType>(name: N, item: T) =>
  z.strictObject({ [name]: z.array(item), ...pageFields } as { [K in N]: z.ZodArray<T> } & typeof pageFields);

/** A short list with an exact total (http/query.ts countedList). */
export const countedListOf = <N extends string, T extends z.ZodType>(name: N, item: T) =>
  z.strictObject({
    [name]: z.array(item), total: z.number().int().min(0), page: z.number().int().positive(), limit: z.number().int().positive(),
    offset: z.number().int().min(0), has_more: z.boolean(),
  } as { [K in N]: z.ZodArray<T> } & { total: z.ZodNumber; page: z.ZodNumber; limit: z.ZodNumber; offset: z.ZodNumber; has_more: z.ZodBoolean });

/** `{"success":false,"error","code","details"}`: every refusal and failure (errors.ts ApiError.toJSON). */
export const zErrorAnswer = z.looseObject({
  success: z.literal(false),
  error: z.string().meta({ description: 'What went wrong, for people' }),
  code: z.string().meta({ description: 'What went wrong, for programs: one of the values listed in the description of this schema' }),
  details: z.array(z.strictObject({ field: z.string(), message: z.string() }))
    .meta({ description: 'One entry per field that was refused (empty when no field is to blame)' }),
}).meta({ id: 'Error' });

// ---- drift guards at compile time: `const _x: Same<z.output<typeof zX>, XView> = true;` fails to compile on drift.

/** A and B are assignable both ways: the schema answers exactly the view's type. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** The schema's type S with its literals widened where the view's type V says only `string` or `boolean`, deeply. */
type Like<S, V> =
  string extends V ? (S extends string ? string : S)
  : boolean extends V ? (S extends boolean ? boolean : S)
  : V extends readonly (infer VI)[] ? (S extends readonly (infer SI)[] ? Like<SI, VI>[] : S)
  : V extends object ? (S extends object ? { [K in keyof S]: K extends keyof V ? Like<S[K], V[K]> : S[K] } : S)
  : S;

/**
 * Same, except that where the view's type says only `string` (or `boolean`) the schema may name the values (an enum,
 * a literal): the schema's output fits the view, and the view fits the schema once those literals are widened.
 */
export type Fits<Schema, View> = [Schema] extends [View] ? ([View] extends [Like<Schema, View>] ? true : false) : false;

/** GET /healthz, not enveloped: 200 `{"status":"ok"}`; 503 `{"status":"unavailable","reason"}` (the database file is not the one opened). */
export const zHealth = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('ok') }),
  z.strictObject({ status: z.literal('unavailable'), reason: z.string().meta({ description: 'What is wrong with the database file' }) }),
]).meta({ id: 'Health', description: 'Whether the collector and its database answer (200 ok, 503 unavailable)' });

/** `{ [name]: item }`: the one-resource answers (`{"advocate": {...}}`). */
export const named = <N extends string, S extends z.ZodType>(name: N, item: S) => z.strictObject({ [name]: item } as Record<N, S>);
