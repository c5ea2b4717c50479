// The store backend's server-to-server calls to Referloop, through @referloop/client with the SECRET key (never sent
// to browsers); each call answers a result the store can branch on instead of throwing.
import { createHmac } from 'node:crypto';
import {
  Referloop, ReferloopError, type ClaimRequest, type ClaimResult, type ConversionRequest, type ConversionResult,
  type RefundRequest, type RefundResult,
} from '../client/src/index.ts';
import { transport } from '../client/src/transport.ts';

export interface CollectorCredentials {
  collectorUrl: string;
  brandId: string;
  secretKey: string;
}

/** What a call produced: the collector's answer, or why there is none (never throws for the collector's or the network's doing). */
export type CollectorResult<T> =
  | { ok: true; data: T }
  | { ok: false; status: number | null; code: string; message: string; body: Record<string, unknown> | null };

/** A type, not an interface: the products schema keeps unknown fields, so its input has an index signature. */
export type ProductLine = {
  name: string;
  sku: string;
  price: number;
  quantity: number;
};

/**
 * The client's error as the store reads it. No answer, a 5xx or a 429 is the service's trouble, not a verdict on the
 * request: `unavailable`, which callers treat like no answer (the client has already retried it).
 */
function failed(error: ReferloopError): CollectorResult<never> {
  if (error.status === 0) {
    const message = error.code === 'timeout' ? 'the referral service did not answer in time' : 'the referral service is unreachable';
    return { ok: false, status: null, code: 'unavailable', message, body: null };
  }
  const transient = error.status >= 500 || error.status === 429;
  const message = error.code === 'http_error' ? `the referral service answered ${error.status}` : error.message;
  return { ok: false, status: error.status, code: transient ? 'unavailable' : error.code, message, body: error.body };
}

async function settle<T>(call: Promise<T>): Promise<CollectorResult<T>> {
  try {
    return { ok: true, data: await call };
  } catch (error) {
    if (error instanceof ReferloopError) return failed(error);
    throw error;
  }
}

/**
 * One retry at most, each attempt within `timeoutMs`, and a Retry-After of at most 2 s waited for (a longer one is
 * `unavailable` at once): a checkout waits about twice the timeout at worst. Writes are retried under their
 * Idempotency-Key, so a retry after a lost answer never records a claim or an order twice.
 */
export function createCollectorClient(creds: CollectorCredentials, timeoutMs = 5000, now: () => Date = () => new Date()) {
  const options = { baseUrl: creds.collectorUrl, apiKey: creds.secretKey, brandId: creds.brandId, timeoutMs, maxRetries: 1, maxRetryAfterMs: 2000 };
  const rl = new Referloop(options);
  const send = transport(options);
  // The recognition is proven by its signature, not by a key: the same calls, without the key's headers on the wire.
  const unkeyed = transport({
    ...options,
    fetch: (url, init) => {
      const { 'X-API-Key': _key, 'X-Brand-ID': _brand, ...headers } = (init?.headers ?? {}) as Record<string, string>;
      return fetch(url, { ...init, headers });
    },
  });
  return {
    claim: (body: ClaimRequest) => settle<ClaimResult>(rl.track.claim(body)),
    conversion: (body: ConversionRequest) => settle<ConversionResult>(rl.track.conversion(body)),
    refund: (body: RefundRequest) => settle<RefundResult>(rl.track.refund(body)),
    /**
     * POST /sso/recognize: the store's signed word for who its signed-in customer is (README "Single sign-on"), made
     * here with the secret key, which never leaves this server. Answers the advocate and their session token.
     */
    recognize: (customer: SsoCustomer) => {
      const timestamp = String(Math.floor(now().getTime() / 1000));
      const signature = createHmac('sha256', creds.secretKey)
        .update([creds.brandId, customer.id, timestamp, customer.email, customer.name].join('\n')).digest('hex');
      const body = { business_id: creds.brandId, external_customer_id: customer.id, timestamp: Number(timestamp),
        external_email: customer.email, ...(customer.name ? { external_name: customer.name } : {}), signature };
      return settle(unkeyed<SsoRecognition>({ method: 'POST', path: '/sso/recognize', body, autoKey: false }));
    },
    /** POST /advocates/:id/portal-link: the advocate's single-use way into their portal (an hour). */
    portalLink: (advocateId: number) =>
      settle(send<PortalLink>({ method: 'POST', path: `/advocates/${encodeURIComponent(String(advocateId))}/portal-link` })),
  };
}

/** The store's customer as it signs them for single sign-on (no field may hold a line break). */
export interface SsoCustomer {
  /** the store's own customer id (external_customer_id) */
  id: string;
  email: string;
  /** '' when the customer gave none (then sent as absent, an empty line of the signed message) */
  name: string;
}

export interface SsoRecognition {
  advocate_id: number;
  /** rl_st_…: lets the widget (and the portal) act as this advocate for an hour */
  session_token: string;
  expires_at: string;
  enrolled: boolean;
}

export interface PortalLink {
  url: string;
  expires_at: string;
}

export type CollectorClient = ReturnType<typeof createCollectorClient>;
