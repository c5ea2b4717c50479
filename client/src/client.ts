// The Referloop class: the API's routes by family (track, advocates, commissions, ...), each a typed call of transport.ts.
import { transport, type Call, type ClientOptions, type Query, type RequestOptions, type Send } from './transport.ts';
import type {
  AddCodeRequest, AdvocateDetail, Campaign, CreateCampaignRequest, UpdateCampaignRequest, Advocate, AdvocateListQuery, ApproveDueResult, CheckEligibilityRequest, Claim,
  ClaimListQuery, ClaimRequest, ClaimResult, CodeStatusRequest, Commission, CommissionDetail, CommissionListQuery,
  CommissionStatusRequest, Conversion, ConversionDetail, ConversionListQuery, ConversionRequest, ConversionResult,
  CreateAdvocateRequest, CreateWebhookRequest, DeletedWebhook, Delivery, DeliveryDetail, DeliveryListQuery,
  EligibilityResult, Page, Payout, PayoutRequest, PayoutResult, PointsLedger, PointsLedgerQuery, PointsRequest,
  PointsResult, Referral, ReferralListQuery, ReferralStats, RefundRequest, RefundResult, Settings, SettingsPatch,
  TestEventRequest, UpdateAdvocateRequest, UpdateWebhookRequest, Visit, VisitListQuery, VisitRequest, VisitResult,
  Webhook, WebhookListQuery, WebhookWithSecret, ShareRequest, Share, ReferralRecord, ReferralRecordListQuery, CreateReferralRecordRequest,
} from './types.ts';

/** A path segment: an id or a code, escaped. */
const seg = (value: number | string): string => encodeURIComponent(String(value));

/** A query as the transport sends it (the typed queries hold only strings, numbers and booleans). */
const asQuery = (query: object | undefined): Query | undefined => query as Query | undefined;

/**
 * A list route: `list` answers one page (follow `next_cursor` by passing it as `cursor`); `iterate` walks every
 * item across pages by cursor, starting from `cursor` when given.
 */
function lister<N extends string, T, Q extends object>(send: Send, name: N, path: string) {
  const list = (query?: Q, opts?: RequestOptions) =>
    send<Page<N, T>>({ method: 'GET', path, query: asQuery(query) }, opts);
  async function* iterate(query?: Omit<Q, 'page' | 'offset'>, opts?: RequestOptions): AsyncGenerator<T, void, undefined> {
    let cursor = (query as { cursor?: string } | undefined)?.cursor;
    for (;;) {
      const page = await send<Page<N, T>>({ method: 'GET', path, query: { ...asQuery(query), cursor } }, opts);
      yield* page[name];
      if (!page.has_more || page.next_cursor === null) return;
      cursor = page.next_cursor;
    }
  }
  return { list, iterate };
}

/** A call whose data holds one resource under its name ({advocate: …}): answers the resource. */
const one = async <T>(send: Send, name: string, call: Call, opts?: RequestOptions): Promise<T> =>
  (await send<Record<string, T>>(call, opts))[name]!;

const post = (path: string, body?: unknown): Call => ({ method: 'POST', path, body });
/** A POST that gets an Idempotency-Key only when the caller gives one (Call.autoKey). */
const postUnkeyed = (path: string, body: unknown): Call => ({ method: 'POST', path, body, autoKey: false });

function trackApi(send: Send) {
  return {
    /** no Idempotency-Key unless `opts.idempotencyKey` (a visit retried after a lost answer may count twice) */
    visit: (body: VisitRequest, opts?: RequestOptions) => send<VisitResult>(postUnkeyed('/track/visit', body), opts),
    claim: (body: ClaimRequest, opts?: RequestOptions) => send<ClaimResult>(post('/track/claim', body), opts),
    /** an advocate shared their link; no Idempotency-Key unless `opts.idempotencyKey`, as a visit */
    share: (body: ShareRequest, opts?: RequestOptions) => one<Share>(send, 'share', postUnkeyed('/track/share', body), opts),
    /** 201 a new conversion; the same order_id again answers that conversion with `duplicate: true` */
    conversion: (body: ConversionRequest, opts?: RequestOptions) => send<ConversionResult>(post('/track/conversion', body), opts),
    refund: (body: RefundRequest, opts?: RequestOptions) => send<RefundResult>(post('/track/refund', body), opts),
    checkEligibility: (body: CheckEligibilityRequest, opts?: RequestOptions) =>
      send<EligibilityResult>(postUnkeyed('/track/check-eligibility', body), opts),
  };
}

function advocatesApi(send: Send) {
  return {
    ...lister<'advocates', Advocate, AdvocateListQuery>(send, 'advocates', '/advocates'),
    get: (id: number, opts?: RequestOptions) => one<AdvocateDetail>(send, 'advocate', { method: 'GET', path: `/advocates/${seg(id)}` }, opts),
    create: (body: CreateAdvocateRequest, opts?: RequestOptions) => one<AdvocateDetail>(send, 'advocate', post('/advocates', body), opts),
    update: (id: number, body: UpdateAdvocateRequest, opts?: RequestOptions) =>
      one<AdvocateDetail>(send, 'advocate', { method: 'PATCH', path: `/advocates/${seg(id)}`, body }, opts),
    /** another referral code (generated when none is given) */
    addCode: (id: number, body: AddCodeRequest = {}, opts?: RequestOptions) =>
      one<Referral>(send, 'referral', post(`/advocates/${seg(id)}/codes`, body), opts),
    /** awards (positive) or deducts (negative) points */
    points: (id: number, body: PointsRequest, opts?: RequestOptions) => send<PointsResult>(post(`/advocates/${seg(id)}/points`, body), opts),
    pointsLedger: (id: number, query?: PointsLedgerQuery, opts?: RequestOptions) =>
      send<PointsLedger>({ method: 'GET', path: `/advocates/${seg(id)}/points`, query: asQuery(query) }, opts),
  };
}

function referralsApi(send: Send) {
  return {
    ...lister<'referrals', Referral, ReferralListQuery>(send, 'referrals', '/referrals'),
    get: (code: string, opts?: RequestOptions) => one<Referral>(send, 'referral', { method: 'GET', path: `/referrals/${seg(code)}` }, opts),
    stats: (code: string, opts?: RequestOptions) => send<ReferralStats>({ method: 'GET', path: `/referrals/${seg(code)}/stats` }, opts),
    setStatus: (code: string, body: CodeStatusRequest, opts?: RequestOptions) =>
      one<Referral>(send, 'referral', { method: 'PATCH', path: `/referrals/${seg(code)}`, body }, opts),
    /** codes are never deleted: this deactivates it */
    deactivate: (code: string, opts?: RequestOptions) =>
      one<Referral>(send, 'referral', { method: 'DELETE', path: `/referrals/${seg(code)}` }, opts),
  };
}

function commissionsApi(send: Send) {
  return {
    ...lister<'commissions', Commission, CommissionListQuery>(send, 'commissions', '/commissions'),
    get: (id: number, opts?: RequestOptions) =>
      one<CommissionDetail>(send, 'commission', { method: 'GET', path: `/commissions/${seg(id)}` }, opts),
    setStatus: (id: number, body: CommissionStatusRequest, opts?: RequestOptions) =>
      one<CommissionDetail>(send, 'commission', { method: 'PUT', path: `/commissions/${seg(id)}/status`, body }, opts),
    approveDue: (opts?: RequestOptions) => send<ApproveDueResult>(post('/commissions/approve-due'), opts),
  };
}

function recordsApi<N extends string, T, D, Q extends object>(send: Send, name: N, path: string, single: string) {
  return {
    ...lister<N, T, Q>(send, name, path),
    get: (id: number, opts?: RequestOptions) => one<D>(send, single, { method: 'GET', path: `${path}/${seg(id)}` }, opts),
  };
}

const conversionsApi = (send: Send) =>
  recordsApi<'conversions', Conversion, ConversionDetail, ConversionListQuery>(send, 'conversions', '/conversions', 'conversion');
const claimsApi = (send: Send) => recordsApi<'claims', Claim, Claim, ClaimListQuery>(send, 'claims', '/claims', 'claim');
const visitsApi = (send: Send) => lister<'visits', Visit, VisitListQuery>(send, 'visits', '/visits');

function payoutsApi(send: Send) {
  return {
    /** what to pay now, per advocate (approved commissions less the clawbacks they owe) */
    get: (opts?: RequestOptions) => send<Payout>({ method: 'GET', path: '/payouts' }, opts),
    /** records a payout as listed: all or none */
    record: (body: PayoutRequest, opts?: RequestOptions) => send<PayoutResult>(post('/payouts', body), opts),
  };
}

function settingsApi(send: Send) {
  return {
    get: (opts?: RequestOptions) => one<Settings>(send, 'settings', { method: 'GET', path: '/settings' }, opts),
    update: (patch: SettingsPatch, opts?: RequestOptions) =>
      one<Settings>(send, 'settings', { method: 'PATCH', path: '/settings', body: patch }, opts),
  };
}

function campaignsApi(send: Send) {
  const path = (id: number) => `/campaigns/${seg(id)}`;
  return {
    /** every campaign (a brand has at most 100) */
    list: async (opts?: RequestOptions) => (await send<{ campaigns: Campaign[] }>({ method: 'GET', path: '/campaigns' }, opts)).campaigns,
    get: (id: number, opts?: RequestOptions) => one<Campaign>(send, 'campaign', { method: 'GET', path: path(id) }, opts),
    create: (body: CreateCampaignRequest, opts?: RequestOptions) => one<Campaign>(send, 'campaign', post('/campaigns', body), opts),
    update: (id: number, patch: UpdateCampaignRequest, opts?: RequestOptions) =>
      one<Campaign>(send, 'campaign', { method: 'PATCH', path: path(id), body: patch }, opts),
    archive: (id: number, opts?: RequestOptions) => one<Campaign>(send, 'campaign', post(`${path(id)}/archive`), opts),
  };
}

function referralRecordsApi(send: Send) {
  return {
    ...lister<'referral_records', ReferralRecord, ReferralRecordListQuery>(send, 'referral_records', '/referral-records'),
    get: (uuid: string, opts?: RequestOptions) => one<ReferralRecord>(send, 'referral_record', { method: 'GET', path: `/referral-records/${seg(uuid)}` }, opts),
    /** a referral made elsewhere, entered: the commission it earns */
    create: (body: CreateReferralRecordRequest, opts?: RequestOptions) => one<ReferralRecord>(send, 'referral_record', post('/referral-records', body), opts),
  };
}

function webhooksApi(send: Send) {
  const endpoint = (id: number) => `/webhooks/${seg(id)}`;
  const deliveries = (id: number) => lister<'deliveries', Delivery, DeliveryListQuery>(send, 'deliveries', `${endpoint(id)}/deliveries`);
  return {
    ...lister<'webhooks', Webhook, WebhookListQuery>(send, 'webhooks', '/webhooks'),
    /** the answer holds the endpoint's `secret`, shown this once */
    create: (body: CreateWebhookRequest, opts?: RequestOptions) => one<WebhookWithSecret>(send, 'webhook', post('/webhooks', body), opts),
    get: (id: number, opts?: RequestOptions) => one<Webhook>(send, 'webhook', { method: 'GET', path: endpoint(id) }, opts),
    update: (id: number, body: UpdateWebhookRequest, opts?: RequestOptions) =>
      one<Webhook>(send, 'webhook', { method: 'PATCH', path: endpoint(id), body }, opts),
    remove: (id: number, opts?: RequestOptions) => one<DeletedWebhook>(send, 'webhook', { method: 'DELETE', path: endpoint(id) }, opts),
    /** a new secret, shown this once; the old one keeps signing beside it for 24 hours */
    rotateSecret: (id: number, opts?: RequestOptions) =>
      one<WebhookWithSecret>(send, 'webhook', post(`${endpoint(id)}/rotate-secret`), opts),
    deliveries: (id: number, query?: DeliveryListQuery, opts?: RequestOptions) => deliveries(id).list(query, opts),
    iterateDeliveries: (id: number, query?: Omit<DeliveryListQuery, 'page' | 'offset'>, opts?: RequestOptions) =>
      deliveries(id).iterate(query, opts),
    delivery: (id: number, deliveryId: number, opts?: RequestOptions) =>
      one<DeliveryDetail>(send, 'delivery', { method: 'GET', path: `${endpoint(id)}/deliveries/${seg(deliveryId)}` }, opts),
    resend: (id: number, deliveryId: number, opts?: RequestOptions) =>
      one<Delivery>(send, 'delivery', post(`${endpoint(id)}/deliveries/${seg(deliveryId)}/resend`), opts),
    /** a sample event (default conversion.created) to this endpoint only */
    test: (id: number, body: TestEventRequest = {}, opts?: RequestOptions) =>
      one<Delivery>(send, 'delivery', post(`${endpoint(id)}/test`, body), opts),
  };
}

/**
 * The Referloop API with a secret key: `new Referloop({ baseUrl, apiKey, brandId })`. Every call answers the data of
 * a success or throws a ReferloopError; writes carry an Idempotency-Key and are retried under it (transport.ts).
 */
export class Referloop {
  readonly track: ReturnType<typeof trackApi>;
  readonly advocates: ReturnType<typeof advocatesApi>;
  readonly referrals: ReturnType<typeof referralsApi>;
  readonly commissions: ReturnType<typeof commissionsApi>;
  readonly conversions: ReturnType<typeof conversionsApi>;
  readonly claims: ReturnType<typeof claimsApi>;
  readonly visits: ReturnType<typeof visitsApi>;
  readonly payouts: ReturnType<typeof payoutsApi>;
  readonly settings: ReturnType<typeof settingsApi>;
  readonly campaigns: ReturnType<typeof campaignsApi>;
  readonly referralRecords: ReturnType<typeof referralRecordsApi>;
  readonly webhooks: ReturnType<typeof webhooksApi>;

  constructor(options: ClientOptions) {
    const send = transport(options);
    this.track = trackApi(send);
    this.advocates = advocatesApi(send);
    this.referrals = referralsApi(send);
    this.commissions = commissionsApi(send);
    this.conversions = conversionsApi(send);
    this.claims = claimsApi(send);
    this.visits = visitsApi(send);
    this.payouts = payoutsApi(send);
    this.settings = settingsApi(send);
    this.campaigns = campaignsApi(send);
    this.referralRecords = referralRecordsApi(send);
    this.webhooks = webhooksApi(send);
  }
}
