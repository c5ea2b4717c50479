// @referloop/client: a typed client of the Referloop API for server-side code, and verifyWebhook for receivers.
export { Referloop } from './client.ts';
export { ReferloopError, WebhookVerificationError, type ErrorDetail } from './errors.ts';
export type { ClientOptions, RequestOptions } from './transport.ts';
export { verifyWebhook, type VerifyOptions, type WebhookHeaders } from './webhookSignature.ts';
export type * from './types.ts';
