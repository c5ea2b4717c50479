// The store backend's server-to-server calls to Referloop, authenticated with the SECRET key (never sent to browsers).

export interface CollectorCredentials {
  collectorUrl: string;
  brandId: string;
  secretKey: string;
}

/** What a call produced: the collector's answer, or why there is none (never throws). */
export type CollectorResult<T> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number | null; code: string; message: string; body: Record<string, unknown> | null };

export interface ProductLine {
  name: string;
  sku: string;
  price: number;
  quantity: number;
}

export interface ClaimAnswer {
  claim_id: number;
  referral_code: string;
  status: string;
  discount_applied: number;
  claim_value: number | null;
}

export interface RewardView {
  id: number;
  status: string;
  kind?: string;
  amount: number;
  available_at?: string;
}

export interface ConversionAnswer {
  conversion_id: number;
  order_id: string;
  status: string;
  order_value: number;
  referral_code: string | null;
  attribution: string | null;
  claim_id: number | null;
  reward: RewardView | null;
  duplicate?: boolean;
}

export interface RefundAnswer {
  status: string;
  conversion_id: number | null;
  total_refunded: number;
  reward: RewardView | null;
}

export function createCollectorClient(creds: CollectorCredentials, timeoutMs = 5000) {
  const base = creds.collectorUrl.replace(/\/$/, '');

  async function post<T>(path: string, body: object): Promise<CollectorResult<T>> {
    let response: Response;
    try {
      response = await fetch(`${base}/api/v1/track/${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-API-Key': creds.secretKey, 'X-Brand-ID': creds.brandId },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const message = err instanceof Error && err.name === 'TimeoutError' ? 'the referral service did not answer in time' : 'the referral service is unreachable';
      return { ok: false, status: null, code: 'unavailable', message, body: null };
    }
    let parsed: Record<string, unknown> | null = null;
    try {
      parsed = (await response.json()) as Record<string, unknown>;
    } catch {
      // not JSON: a proxy's error page, handled below like any other failure
    }
    if (response.ok && parsed?.success === true) return { ok: true, status: response.status, data: parsed.data as T };
    // A 5xx or 429 is the service's trouble, not a verdict on the request: callers treat it like no answer.
    const transient = response.status >= 500 || response.status === 429;
    return {
      ok: false,
      status: response.status,
      code: transient ? 'unavailable' : typeof parsed?.code === 'string' ? parsed.code : 'error',
      message: typeof parsed?.error === 'string' ? parsed.error : `the referral service answered ${response.status}`,
      body: parsed,
    };
  }

  return {
    claim: (body: {
      referral_code: string; customer_email: string; customer_name?: string | undefined; visitor_id?: string | undefined;
      raw_value: number; products: ProductLine[];
    }) => post<ClaimAnswer>('claim', body),
    conversion: (body: {
      order_id: string; order_value: number; customer_email: string; customer_name?: string | undefined;
      visitor_id?: string | undefined; referral_code?: string | undefined; products: ProductLine[]; source: string;
    }) => post<ConversionAnswer>('conversion', body),
    refund: (body: { order_id: string; refund_amount: number; is_full_refund: boolean; refund_id: string }) =>
      post<RefundAnswer>('refund', body),
  };
}

export type CollectorClient = ReturnType<typeof createCollectorClient>;
