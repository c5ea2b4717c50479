// Use cases: read the brand's visits, claims and conversions (lists, one record, the conversions CSV).
import type {
  ClaimFilter, ClaimRecord, ConversionFilter, ConversionRecord, ScannedPage, Slice, VisitFilter, VisitRecord,
} from '../db/records.ts';
import type { Reward } from '../db/rewards.ts';
import { notFound } from '../errors.ts';
import { keysetBatches } from '../http/query.ts';
import { toDecimal } from '../domain/money.ts';
import type { ClaimListQuery, ConversionFilterQuery, VisitListQuery } from '../schemas/records.ts';
import type { Ctx } from './context.ts';

const decimalOrNull = (cents: number | null): number | null => (cents === null ? null : toDecimal(cents));
/** JSON columns (products, coupons_applied, metadata) answered as JSON again; money inside stays in *_cents. */
const jsonOrNull = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function visitView(v: VisitRecord) {
  return {
    id: v.id,
    visitor_id: v.visitorId,
    code: v.code,
    advocate_id: v.advocateId,
    share_channel: v.shareChannel,
    landing_page: v.landingPage,
    referrer: v.referrer,
    utm_source: v.utmSource,
    utm_medium: v.utmMedium,
    utm_campaign: v.utmCampaign,
    utm_term: v.utmTerm,
    utm_content: v.utmContent,
    created_at: v.createdAt,
  };
}

export function claimView(ctx: Ctx, c: ClaimRecord) {
  return {
    id: c.id,
    code: c.code,
    advocate_id: c.advocateId,
    email: c.email,
    name: c.name,
    phone: c.phone,
    visitor_id: c.visitorId,
    status: c.status,
    type: c.type,
    source: c.source,
    raw_value: decimalOrNull(c.rawValueCents),
    claim_value: decimalOrNull(c.claimValueCents),
    discount_applied: toDecimal(c.discountAppliedCents),
    discount_type: c.discountType,
    discount_value: c.discountValue,
    currency: ctx.brand.currency,
    order_id: c.orderId,
    conversion_id: c.conversionId,
    products: jsonOrNull(c.products),
    coupons_applied: jsonOrNull(c.couponsApplied),
    metadata: jsonOrNull(c.metadata),
    created_at: c.createdAt,
  };
}

export function conversionRecordView(ctx: Ctx, c: ConversionRecord) {
  return {
    id: c.id,
    order_id: c.orderId,
    email: c.email,
    name: c.name,
    visitor_id: c.visitorId,
    claim_id: c.claimId,
    advocate_id: c.advocateId,
    code: c.code,
    attribution: c.attribution,
    status: c.status,
    type: c.type,
    source: c.source,
    order_value: toDecimal(c.orderValueCents),
    order_total: decimalOrNull(c.orderTotalCents),
    tax: decimalOrNull(c.taxCents),
    shipping: decimalOrNull(c.shippingCents),
    discount: decimalOrNull(c.discountCents),
    discount_applied: toDecimal(c.discountAppliedCents),
    total_discount: toDecimal(c.totalDiscountCents),
    paid: toDecimal(c.paidCents),
    refunded: toDecimal(c.refundedCents),
    currency: ctx.brand.currency,
    products: jsonOrNull(c.products),
    coupons_applied: jsonOrNull(c.couponsApplied),
    metadata: jsonOrNull(c.metadata),
    created_at: c.createdAt,
  };
}

/** A list page's rows as views, with where its examination stopped (db/records.ts `page`). */
const viewed = <R, V>(page: ScannedPage<R>, view: (row: R) => V): ScannedPage<V> => ({ rows: page.rows.map(view), resumeAt: page.resumeAt });

const visitFilter = (query: VisitListQuery): VisitFilter => ({
  advocateId: query.advocate_id, code: query.code, visitorId: query.visitor_id, from: query.from, to: query.to,
});

/** One slice of the brand's visits, newest first (read only: lists may run on a read-only connection). */
export const listVisits = async (ctx: Ctx, query: VisitListQuery, slice: Slice) =>
  viewed(await ctx.q.records.visits(ctx.brand.id, visitFilter(query), slice), visitView);
/** How many visits match: exact, costs O(matches) (the CLI). */
export const countVisits = (ctx: Ctx, query: VisitListQuery) => ctx.q.records.countVisits(ctx.brand.id, visitFilter(query));
/** `total=true`: how many visits match, counted within db/keyset.ts WALK_BUDGET rows (else a 400 naming total). */
export const totalVisits = (ctx: Ctx, query: VisitListQuery) => ctx.q.records.totalVisits(ctx.brand.id, visitFilter(query));

const claimFilter = (query: ClaimListQuery): ClaimFilter => ({
  status: query.status, advocateId: query.advocate_id, code: query.code, email: query.email, from: query.from, to: query.to,
});

export const listClaims = async (ctx: Ctx, query: ClaimListQuery, slice: Slice) =>
  viewed(await ctx.q.records.claims(ctx.brand.id, claimFilter(query), slice), (c) => claimView(ctx, c));
export const countClaims = (ctx: Ctx, query: ClaimListQuery) => ctx.q.records.countClaims(ctx.brand.id, claimFilter(query));
export const totalClaims = (ctx: Ctx, query: ClaimListQuery) => ctx.q.records.totalClaims(ctx.brand.id, claimFilter(query));

const conversionFilter = (query: ConversionFilterQuery): ConversionFilter => ({
  status: query.status, advocateId: query.advocate_id, code: query.code, attributed: query.attributed,
  from: query.from, to: query.to,
});

export const listConversions = async (ctx: Ctx, query: ConversionFilterQuery, slice: Slice) =>
  viewed(await ctx.q.records.conversions(ctx.brand.id, conversionFilter(query), slice), (c) => conversionRecordView(ctx, c));
export const countConversions = (ctx: Ctx, query: ConversionFilterQuery) =>
  ctx.q.records.countConversions(ctx.brand.id, conversionFilter(query));
export const totalConversions = (ctx: Ctx, query: ConversionFilterQuery) =>
  ctx.q.records.totalConversions(ctx.brand.id, conversionFilter(query));

export async function getClaim(ctx: Ctx, id: number) {
  const claim = await ctx.q.records.claim(ctx.brand.id, id);
  if (!claim) throw notFound('claim');
  return { claim: claimView(ctx, claim) };
}

/** One conversion with its rewards (level 1 and, with a second-level programme, level 2). */
export async function getConversion(ctx: Ctx, id: number) {
  const conversion = await ctx.q.records.conversion(ctx.brand.id, id);
  if (!conversion) throw notFound('conversion');
  return { conversion: conversionDetailView(ctx, conversion, await ctx.q.rewards.findByConversion(ctx.brand.id, id)) };
}

/** GET /conversions/:id's conversion: the record and its rewards (also the data of the conversion.* webhook events). */
export const conversionDetailView = (ctx: Ctx, conversion: ConversionRecord, rewards: Reward[]) => ({
  ...conversionRecordView(ctx, conversion),
  rewards: rewards.map((r) => ({
    id: r.id,
    advocate_id: r.advocateId,
    level: r.level,
    kind: r.kind,
    status: r.status,
    amount: r.kind === 'cash' ? toDecimal(r.amount) : r.amount,
    available_at: r.availableAt,
  })),
});

export type ConversionRow = ReturnType<typeof conversionRecordView>;

/**
 * Every conversion of the filter, newest first, for the CSV export: keyset batches, each one bounded read (a date
 * filter's batch examines at most SCAN_BUDGET rows, and may be short or empty).
 */
export async function* exportConversions(ctx: Ctx, query: ConversionFilterQuery): AsyncGenerator<ConversionRow[]> {
  const filter = conversionFilter(query);
  const batches = keysetBatches((before, limit) => ctx.q.records.conversions(ctx.brand.id, filter, { before, limit, offset: 0 }));
  for await (const rows of batches) yield rows.map((c) => conversionRecordView(ctx, c));
}
