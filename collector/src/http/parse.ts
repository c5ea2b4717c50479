// Turns a request body into a schema's output, or a 400 naming each bad field; unknown fields become warnings.
import type { z } from 'zod';
import { ApiError, type ErrorDetail } from '../errors.ts';

/** The top-level field names a schema knows, through its refinements and transforms. */
function knownFields(schema: z.ZodType): Set<string> {
  let def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  while (def.type === 'pipe') def = (def.in as { _zod: { def: Record<string, unknown> } })._zod.def;
  return new Set(def.type === 'object' ? Object.keys(def.shape as object) : []);
}

const cache = new WeakMap<z.ZodType, Set<string>>();

export function parseBody<S extends z.ZodType>(schema: S, body: Record<string, unknown>): { data: z.output<S>; warnings: string[] } {
  let known = cache.get(schema);
  if (!known) cache.set(schema, (known = knownFields(schema)));
  const result = schema.safeParse(body);
  if (!result.success) {
    const details: ErrorDetail[] = result.error.issues.map((issue) => ({
      field: issue.path.length ? issue.path.join('.') : 'body',
      message: issue.message,
    }));
    const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
    throw new ApiError(400, 'invalid_request', summary, details);
  }
  const warnings = Object.keys(body)
    .filter((k) => !known.has(k))
    .map((k) => `unknown field "${k}" was ignored`);
  return { data: result.data, warnings };
}
