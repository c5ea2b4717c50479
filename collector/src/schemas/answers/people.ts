// Answer schemas of /people: a person's data on request, and its erasure (services/people.ts).
import { z } from 'zod';
import type { erasePerson, PersonExport } from '../../services/people.ts';
import { zActor } from './commissions.ts';
import { zInstant, zRecordId, type Fits, type Same } from './common.ts';

/** A row as the database holds it: every column of its table but brand_id, amounts in cents (`_cents`, rewards' units). */
const zStoredRow = z.record(z.string(), z.unknown())
  .meta({ id: 'StoredRow', description: 'A stored row: the columns of its table (see the migrations) but brand_id; money in cents' });
const rows = z.array(zStoredRow);

/** What an erasure changed, per kind of record (a count left out: that kind was not looked at, or none was found). */
const COUNTED = ['commissions_rejected', 'codes_deactivated', 'advocates', 'claims', 'conversions', 'refunds', 'refund_notes', 'visits',
  'idempotency_answers', 'webhook_deliveries', 'referral_records', 'sso_mappings', 'sso_sessions',
  'testimonials'] as const;
const zErasureCounts = z.strictObject(Object.fromEntries(COUNTED.map((k) => [k, z.number().int().min(0).optional()])) as
  Record<(typeof COUNTED)[number], z.ZodOptional<z.ZodNumber>>);

const zErasureRecord = z.strictObject({
  erasure_id: zRecordId,
  erased_at: zInstant,
  actor: zActor,
  key_id: zRecordId.nullable().meta({ description: 'The API key that asked; null from the CLI' }),
  counts: zErasureCounts,
});

/** GET /people's `person`: everything the brand holds about an email, as stored. */
export const zPersonExport = z.strictObject({
  email: z.string(),
  customer: z.strictObject({ claims: rows, conversions: rows, refunds: rows, visitor_ids: z.array(z.string()), visits: rows,
    referral_records: rows.meta({ description: 'Entered referral records naming the email (a tracked one is its conversion\'s)' }) }),
  advocate: z.strictObject({
    profile: zStoredRow,
    codes: rows,
    commissions: rows,
    commission_history: rows,
    points: rows,
    payouts: z.array(z.strictObject({
      paid_at: zInstant, commissions: z.number().int().positive(), amount_cents: z.number().int(), points: z.number().int(),
    })).meta({ description: 'The payouts that paid this advocate, grouped by paid_at' }),
    ideas: rows.meta({ description: 'The feedback ideas the advocate posted' }),
    idea_votes: rows.meta({ description: "The advocate's votes on feedback ideas" }),
  }).nullable().meta({ description: 'null: the email is no advocate\'s' }),
  sso_mappings: rows.meta({ description: 'Single sign-on mappings naming the email, or of the email\'s advocate' }),
  testimonials: rows.meta({ description: 'Testimonials given with the email, or written as the email\'s advocate (an erasure deletes them)' }),
  erasures: z.array(zErasureRecord).meta({ description: 'The erasures already made for this email' }),
}).meta({ id: 'PersonExport', description: 'Everything the brand holds about one email, as stored (amounts in cents)' });

/** DELETE /people. */
export const zErasure = z.strictObject({
  erasure: zErasureRecord,
  already_erased: z.boolean().meta({ description: 'true: erased before; this is the first erasure, and nothing was written' }),
}).meta({ id: 'Erasure', description: 'A person\'s erasure' });

type AsAdvocate<T extends { advocate: unknown }> = Omit<NonNullable<T['advocate']>, 'profile'>;
type Person = z.output<typeof zPersonExport>;
const _person: Same<Omit<Person, 'advocate' | 'erasures'>, Omit<PersonExport, 'advocate' | 'erasures'>> = true;
const _advocate: Same<AsAdvocate<Person>, AsAdvocate<PersonExport>> = true;
const _erasure: Fits<z.output<typeof zErasure>, Awaited<ReturnType<typeof erasePerson>>> = true;
