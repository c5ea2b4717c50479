// 003_*'s UUIDs for what Referloop numbers (issue 15): a deterministic derivation, no column and no migration. A
// UUID (RFC 9562 version 8) carries the brand's tag, the kind of thing and its id, so it maps back by parsing and
// is stable for as long as the thing exists, on both engines alike:
//   <tag: 8 hex of sha256("reverb:" + brand id)>-<kind: 4 hex>-8<id hex 0-2>-8<id hex 3-5>-<id hex 6-17>
// The tag makes another brand's UUID no UUID of this brand (its lookups are by brand too). Referral records keep
// their own stored uuid (the rewards' uuid column), which is what 003_*'s referral_uuid is.
import { createHash } from 'node:crypto';

export const KINDS = { website: '0001', campaign: '0002', advocate: '0003', order: '0004', customer: '0005' } as const;
export type Kind = keyof typeof KINDS;

const tags = new Map<string, string>();

/** The brand's 8 hex digits (cached: a brand id never changes). */
export function brandTag(brandId: string): string {
  let tag = tags.get(brandId);
  if (tag === undefined) {
    tag = createHash('sha256').update(`reverb:${brandId}`).digest('hex').slice(0, 8);
    if (tags.size > 10_000) tags.clear();
    tags.set(brandId, tag);
  }
  return tag;
}

/** The UUID of `kind` number `id` of the brand. */
export function toUuid(brandId: string, kind: Kind, id: number): string {
  const h = id.toString(16).padStart(18, '0');
  return `${brandTag(brandId)}-${KINDS[kind]}-8${h.slice(0, 3)}-8${h.slice(3, 6)}-${h.slice(6)}`;
}

const SHAPE = /^([0-9a-f]{8})-([0-9a-f]{4})-8([0-9a-f]{3})-8([0-9a-f]{3})-([0-9a-f]{12})$/;

/** The id a UUID of the brand names for `kind`, or null (another brand's, another kind, not one of ours). */
export function fromUuid(brandId: string, kind: Kind, uuid: string): number | null {
  const m = SHAPE.exec(uuid.trim().toLowerCase());
  if (!m || m[1] !== brandTag(brandId) || m[2] !== KINDS[kind]) return null;
  const id = Number.parseInt(`${m[3]}${m[4]}${m[5]}`, 16);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Which of ours a UUID of the brand is, if any. */
export function kindOf(brandId: string, uuid: string): Kind | null {
  const m = SHAPE.exec(uuid.trim().toLowerCase());
  if (!m || m[1] !== brandTag(brandId)) return null;
  return (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k] === m[2]) ?? null;
}
