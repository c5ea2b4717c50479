// The client's two errors: what the API (or the network) said no with, and a webhook delivery that does not verify.

export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * A call that did not succeed, after the retries it was allowed. `status` is the HTTP status, or 0 when no answer
 * came: `code` is then `network_error` (refused, reset, DNS), `timeout` (no answer within `timeoutMs`) or `aborted`
 * (the caller's signal). Otherwise `code` is the API's machine code (`invalid_request`, `not_found`, ...), or
 * `http_error` when the answer was not the API's JSON (a proxy's error page).
 */
export class ReferloopError extends Error {
  override readonly name = 'ReferloopError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** the fields the API named (a 400 names each bad field) */
    readonly details: ErrorDetail[] = [],
    /** the whole error answer: its extra fields too (`conversion_id` of an order_conflict, `claim_id` of a duplicate_claim) */
    readonly body: Record<string, unknown> | null = null,
    /** the answer's Retry-After, in milliseconds, when it had one */
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A webhook delivery that is not ours, was changed, or is too old (verifyWebhook). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}
