// Queries of the endpoints' management (services/webhooks.ts): create, list, get, update, rotate, delete, and the
// deliveries and attempts an owner reads. Every write to endpoints or subscriptions calls
// q.webhooks.subscriptionsChanged() in the same job (the outbox's cache, db/webhooks.ts).
import type { Conn } from './port.ts';

export function createWebhookEndpointQueries(_db: Conn) {
  return {};
}
