// Every type of the client's surface, from the collector's own schemas (type imports only, so no zod at run time):
// requests as its request schemas take them (z.input), answers as its answer schemas describe them (z.output) — the
// same schemas the OpenAPI document is generated from, so the client cannot drift from the collector.
import type { z } from 'zod';
import type {
  zCheckEligibilityRequest, zClaimRequest, zConversionRequest, zRefundRequest, zShareRequest, zVisitRequest,
} from '../../collector/src/schemas/track.ts';
import type {
  zAddCodeRequest, zAdvocateListQuery, zCodeStatusRequest, zCreateAdvocateRequest, zPageQuery, zPointsRequest,
  zReferralListQuery, zUpdateAdvocateRequest,
} from '../../collector/src/schemas/advocates.ts';
import type { zCommissionListQuery, zCommissionStatusRequest, zPayoutRequest } from '../../collector/src/schemas/commissions.ts';
import type { zClaimListQuery, zConversionListQuery, zVisitListQuery } from '../../collector/src/schemas/records.ts';
import type {
  zCreateWebhookRequest, zDeliveryListQuery, zTestEventRequest, zUpdateWebhookRequest, zWebhookListQuery,
} from '../../collector/src/schemas/webhooks.ts';
import type { zSettingsPatch } from '../../collector/src/schemas/settings.ts';
import type { zCreateCampaignRequest, zUpdateCampaignRequest } from '../../collector/src/schemas/campaigns.ts';
import type { zCampaign } from '../../collector/src/schemas/answers/campaigns.ts';
import type { EventType } from '../../collector/src/webhooks/events.ts';
import type {
  zAdvocate, zAdvocateListItem, zPointsLedger, zPointsRecorded, zPointsTransaction, zReferral, zReferralCode, zReferralStats,
} from '../../collector/src/schemas/answers/advocates.ts';
import type { zApproveDueAnswer, zCommission, zCommissionDetail, zPayout, zPayoutRecorded, zRewardStatus } from '../../collector/src/schemas/answers/commissions.ts';
import type { pageFields } from '../../collector/src/schemas/answers/common.ts';
import type { zAttribution, zClaim, zConversion, zConversionDetail, zRewardSummary, zVisit } from '../../collector/src/schemas/answers/records.ts';
import type { zSettings } from '../../collector/src/schemas/answers/settings.ts';
import type { zReferralRecord, zShare } from '../../collector/src/schemas/answers/referralRecords.ts';
import type { zCreateReferralRecordRequest, zReferralRecordListQuery } from '../../collector/src/schemas/referralRecords.ts';
import type { zClaimAnswer, zConversionAnswer, zEligibilityAnswer, zRefundAnswer, zVisitAnswer } from '../../collector/src/schemas/answers/track.ts';
import type {
  zDeletedWebhookEndpoint, zDelivery, zDeliveryDetail, zWebhookEndpoint, zWebhookEndpointWithSecret,
} from '../../collector/src/schemas/answers/webhooks.ts';

export type { EventType };

// ---- Requests: bodies as sent (z.input), so aliases, decimal strings and digit-string ids are all accepted.

export type VisitRequest = z.input<typeof zVisitRequest>;
export type ShareRequest = z.input<typeof zShareRequest>;
export type CreateReferralRecordRequest = z.input<typeof zCreateReferralRecordRequest>;
export type ClaimRequest = z.input<typeof zClaimRequest>;
export type ConversionRequest = z.input<typeof zConversionRequest>;
export type RefundRequest = z.input<typeof zRefundRequest>;
export type CheckEligibilityRequest = z.input<typeof zCheckEligibilityRequest>;
export type CreateAdvocateRequest = z.input<typeof zCreateAdvocateRequest>;
export type UpdateAdvocateRequest = z.input<typeof zUpdateAdvocateRequest>;
export type AddCodeRequest = z.input<typeof zAddCodeRequest>;
export type PointsRequest = z.input<typeof zPointsRequest>;
export type CodeStatusRequest = z.input<typeof zCodeStatusRequest>;
export type CommissionStatusRequest = z.input<typeof zCommissionStatusRequest>;
export type PayoutRequest = z.input<typeof zPayoutRequest>;
export type CreateWebhookRequest = z.input<typeof zCreateWebhookRequest>;
export type UpdateWebhookRequest = z.input<typeof zUpdateWebhookRequest>;
export type TestEventRequest = z.input<typeof zTestEventRequest>;
export type SettingsPatch = z.input<typeof zSettingsPatch>;
export type CreateCampaignRequest = z.input<typeof zCreateCampaignRequest>;
export type UpdateCampaignRequest = z.input<typeof zUpdateCampaignRequest>;

/**
 * A query schema's fields as a caller gives them: a query string holds text, so the schemas take `"20"` and
 * `"true"`; here a free-text field also takes a number (`limit: 20`) and a `"true" | "false"` field a boolean.
 */
type QueryValue<V> = V extends 'true' | 'false' ? V | boolean : string extends V ? string | number : V;
export type QueryOf<T> = { [K in keyof T]?: QueryValue<Exclude<T[K], undefined>> };

export type AdvocateListQuery = QueryOf<z.input<typeof zAdvocateListQuery>>;
export type ReferralListQuery = QueryOf<z.input<typeof zReferralListQuery>>;
export type PointsLedgerQuery = QueryOf<z.input<typeof zPageQuery>>;
export type CommissionListQuery = QueryOf<z.input<typeof zCommissionListQuery>>;
export type VisitListQuery = QueryOf<z.input<typeof zVisitListQuery>>;
export type ClaimListQuery = QueryOf<z.input<typeof zClaimListQuery>>;
export type ConversionListQuery = QueryOf<z.input<typeof zConversionListQuery>>;
export type ReferralRecordListQuery = QueryOf<z.input<typeof zReferralRecordListQuery>>;
export type WebhookListQuery = QueryOf<z.input<typeof zWebhookListQuery>>;
export type DeliveryListQuery = QueryOf<z.input<typeof zDeliveryListQuery>>;

// ---- Answers: what `data` holds (single resources unwrapped from their name, e.g. data.advocate).

type Out<T extends z.ZodType> = z.output<T>;

/** One page of a list: `next_cursor` is null on the last page; `page`/`offset` only when paged by offset. */
export type Page<N extends string, T> = { [K in N]: T[] } & Out<z.ZodObject<typeof pageFields>>;

export type CommissionStatus = Out<typeof zRewardStatus>;
export type Attribution = Out<typeof zAttribution>;
export type RewardSummary = Out<typeof zRewardSummary>;
export type VisitResult = Out<typeof zVisitAnswer>;
export type ClaimResult = Out<typeof zClaimAnswer>;
/** `duplicate: true`: the same order_id was recorded before; this is that conversion and nothing new was written. */
export type ConversionResult = Out<typeof zConversionAnswer>;
export type RefundResult = Out<typeof zRefundAnswer>;
/** Answered unwrapped (without success/data). */
export type EligibilityResult = Out<typeof zEligibilityAnswer>;
/** An advocate in a list: its codes as strings. */
export type Advocate = Out<typeof zAdvocateListItem>;
/** One advocate: its codes as objects. */
export type AdvocateDetail = Out<typeof zAdvocate>;
export type AdvocateCode = Out<typeof zReferralCode>;
export type ReferralStats = Out<typeof zReferralStats>;
export type Referral = Out<typeof zReferral>;
export type PointsTransaction = Out<typeof zPointsTransaction>;
export type PointsResult = Out<typeof zPointsRecorded>;
export type PointsLedger = Out<typeof zPointsLedger>;
export type Commission = Out<typeof zCommission>;
export type CommissionDetail = Out<typeof zCommissionDetail>;
export type ApproveDueResult = Out<typeof zApproveDueAnswer>;
export type Payout = Out<typeof zPayout>;
export type PayoutAdvocate = Payout['advocates'][number];
export type PayoutResult = Out<typeof zPayoutRecorded>;
export type Visit = Out<typeof zVisit>;
export type Claim = Out<typeof zClaim>;
export type Conversion = Out<typeof zConversion>;
export type ConversionDetail = Out<typeof zConversionDetail>;
export type Settings = Out<typeof zSettings>;
export type Campaign = Out<typeof zCampaign>;
export type ReferralRecord = Out<typeof zReferralRecord>;
export type Share = Out<typeof zShare>;
export type Webhook = Out<typeof zWebhookEndpoint>;
export type WebhookWithSecret = Out<typeof zWebhookEndpointWithSecret>;
export type DeletedWebhook = Out<typeof zDeletedWebhookEndpoint>;
export type Delivery = Out<typeof zDelivery>;
export type DeliveryDetail = Out<typeof zDeliveryDetail>;

/** A delivery's body, as verifyWebhook answers it (`data` per type: the README's "Events", the document's webhooks). */
export interface WebhookEvent {
  type: EventType;
  timestamp: string;
  data: unknown;
}
