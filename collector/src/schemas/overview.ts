// The overview's query string: a preset of 7, 30 or 90 days (30 by default), or a custom range of UTC days.
import { z } from 'zod';
import { DEFAULT_PRESET, MAX_RANGE_DAYS, RANGE_PRESETS, dayRange } from '../domain/overview.ts';

const zDay = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-04-14')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a valid date');

const PRESETS = RANGE_PRESETS.map(String) as [string, ...string[]];

export const zOverviewQuery = z.object({
  range: z.enum([...PRESETS, 'custom'], { error: `must be ${RANGE_PRESETS.join(', ')} or custom` }).optional(),
  // An empty date input of the GET form sends from= : not given.
  from: z.preprocess((v) => (v === '' ? undefined : v), zDay.optional()),
  to: z.preprocess((v) => (v === '' ? undefined : v), zDay.optional()),
}).superRefine((q, ctx) => {
  const custom = q.range === 'custom' || (q.range === undefined && (q.from !== undefined || q.to !== undefined));
  if (!custom) return;
  if (q.from === undefined) ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for a custom range' });
  if (q.to === undefined) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for a custom range' });
  if (q.from === undefined || q.to === undefined) return;
  if (q.from > q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
  else if (dayRange(q.from, q.to).days > MAX_RANGE_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
}).transform((q): { kind: 'custom'; from: string; to: string } | { kind: 'preset'; days: number } =>
  (q.range === 'custom' || (q.range === undefined && q.from !== undefined)
    ? { kind: 'custom', from: q.from!, to: q.to! }
    : { kind: 'preset', days: q.range === undefined ? DEFAULT_PRESET : Number(q.range) }));

export type OverviewQuery = z.output<typeof zOverviewQuery>;
