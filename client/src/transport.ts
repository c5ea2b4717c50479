// One call to the API: the key's headers, an Idempotency-Key kept across the call's retries, backoff on 429, 5xx and
// network failures (Retry-After honoured), a timeout per attempt, and the {success, data} envelope taken off.
import { ReferloopError, type ErrorDetail } from './errors.ts';

export interface ClientOptions {
  /** the collector's address, e.g. https://ref.example.com (the API is under /api/v1) */
  baseUrl: string;
  /** the secret key, rl_sk_… (never ship it to a browser) */
  apiKey: string;
  /** sent as X-Brand-ID: the collector refuses a key of another brand (the brand always comes from the key) */
  brandId?: string;
  /** retries after the first attempt, on 429, 5xx, network errors and timeouts (default 2) */
  maxRetries?: number;
  /** one attempt's limit in milliseconds (default 30,000) */
  timeoutMs?: number;
  /** the fetch to use (default: the global one) */
  fetch?: typeof fetch;
  /** the longest Retry-After waited for (default 60,000); a longer one throws at once, with its retryAfterMs */
  maxRetryAfterMs?: number;
  /** waits between attempts (default: a timer); tests pass one that does not wait */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestOptions {
  /** the write's Idempotency-Key (default: a new UUID per call, the same for each of its retries) */
  idempotencyKey?: string;
  /** aborts the call, its retries and the waits between them */
  signal?: AbortSignal;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** below /api/v1 */
  path: string;
  query?: Query | undefined;
  body?: unknown;
  /**
   * false: a key only when the caller gives one (visits and eligibility checks: each stored key is a row the collector
   * keeps, and a repeated visit or check changes little)
   */
  autoKey?: false;
}

export type Send = <T>(call: Call, opts?: RequestOptions) => Promise<T>;

/** The first retry waits about this long, each next one twice as long, up to MAX_BACKOFF_MS (with jitter). */
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 8_000;
/** By default a Retry-After longer than this is not waited for: the error is thrown at once, with its retryAfterMs. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Retry-After in milliseconds: delay-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const retryable = (e: ReferloopError): boolean =>
  e.status === 429 || e.status >= 500 || e.code === 'network_error' || e.code === 'timeout';

/** How long to wait before retry number `retry` (0 for the first): the answer's Retry-After, else backoff with jitter. */
function delayBefore(e: ReferloopError, retry: number, maxRetryAfterMs: number): number | null {
  if (e.retryAfterMs !== null) return e.retryAfterMs <= maxRetryAfterMs ? e.retryAfterMs : null;
  return Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** retry) * (0.5 + Math.random() / 2);
}

const timerSleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
  const done = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', done);
    resolve();
  };
  const timer = setTimeout(done, ms);
  signal?.addEventListener('abort', done);
});

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** An answer that is not a success: the API's envelope when it is one, else what the status says. */
function answerError(res: Response, parsed: unknown): ReferloopError {
  const retryAfterMs = parseRetryAfter(res.headers.get('Retry-After'));
  const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  if (body && typeof body.code === 'string') {
    const message = typeof body.error === 'string' ? body.error : body.code;
    const details = Array.isArray(body.details) ? (body.details as ErrorDetail[]) : [];
    return new ReferloopError(res.status, body.code, message, details, body, retryAfterMs);
  }
  return new ReferloopError(res.status, 'http_error', `the server answered ${res.status}`, [], body, retryAfterMs);
}

/** The call's send with no answer: aborted by its caller, timed out, or never reached the collector. */
function failure(err: unknown, signal: AbortSignal | undefined, timeoutMs: number): ReferloopError {
  if (signal?.aborted) return new ReferloopError(0, 'aborted', 'the call was aborted', [], null, null, { cause: err });
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new ReferloopError(0, 'timeout', `no answer within ${timeoutMs} ms`, [], null, null, { cause: err });
  }
  const why = (err as { cause?: { code?: unknown } } | null)?.cause?.code ?? (err instanceof Error ? err.message : String(err));
  return new ReferloopError(0, 'network_error', `the collector could not be reached (${String(why)})`, [], null, null, { cause: err });
}

export function transport(options: ClientOptions): Send {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1`;
  const maxRetries = options.maxRetries ?? 2;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? timerSleep;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS;

  async function attempt<T>(call: Call, json: string | undefined, key: string | undefined, signal: AbortSignal | undefined): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-API-Key': options.apiKey };
    if (options.brandId) headers['X-Brand-ID'] = options.brandId;
    if (json !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const timeout = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(base + call.path + queryString(call.query), {
        method: call.method, headers, body: json, signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await res.text();
    } catch (err) {
      throw failure(err, signal, timeoutMs);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!res.ok) throw answerError(res, parsed);
    if (parsed === undefined) throw new ReferloopError(res.status, 'http_error', `the server answered ${res.status} without JSON`);
    // The API's answers are {success: true, data}; check-eligibility's and Zapier's REST Hooks' are not wrapped.
    const envelope = parsed as { success?: unknown; data?: unknown };
    return (envelope.success === true && 'data' in envelope ? envelope.data : parsed) as T;
  }

  return async <T>(call: Call, opts: RequestOptions = {}): Promise<T> => {
    // Every write carries a key, the same for each retry, and sends the same bytes: the collector replays the first answer.
    const key = call.method === 'GET' ? undefined
      : opts.idempotencyKey ?? (call.autoKey === false ? undefined : globalThis.crypto.randomUUID());
    const json = call.body === undefined ? undefined : JSON.stringify(call.body);
    for (let retry = 0; ; retry++) {
      try {
        return await attempt<T>(call, json, key, opts.signal);
      } catch (err) {
        if (!(err instanceof ReferloopError) || !retryable(err) || retry >= maxRetries) throw err;
        const delay = delayBefore(err, retry, maxRetryAfterMs);
        if (delay === null) throw err;
        await sleep(delay, opts.signal);
        if (opts.signal?.aborted) throw failure(opts.signal.reason, opts.signal, timeoutMs);
      }
    }
  };
}
