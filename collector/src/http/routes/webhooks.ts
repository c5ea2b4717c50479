// Management API, /webhooks (outgoing webhooks' endpoints, their deliveries) and /hooks (Zapier REST Hooks), secret
// key only.
import express, { type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { decryptSecret, encryptSecret } from '../../domain/keys.ts';
import { ApiError } from '../../errors.ts';
import { zNoFields } from '../../schemas/common.ts';
import {
  zCreateWebhookRequest, zDeliveryListQuery, zHookSubscribeRequest, zTestEventRequest, zUpdateWebhookRequest, zWebhookListQuery,
} from '../../schemas/webhooks.ts';
import type { Ctx } from '../../services/context.ts';
import {
  createEndpoint, deleteEndpoint, getDelivery, getEndpoint, hookSample, listDeliveries, listEndpoints, resendDelivery,
  rotateEndpointSecret, sendTestEvent, subscribeHook, totalDeliveries, totalEndpoints, unsubscribeHook, updateEndpoint, type WebhookSettings,
} from '../../services/webhooks.ts';
import { EVENT_TYPES, isEventType } from '../../webhooks/events.ts';
import { expandOutbox } from '../../webhooks/outbox.ts';
import { callerOf } from '../auth.ts';
import type { Answer } from '../idempotency.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { listPage, pageOf, pathId } from '../query.ts';
import { ok, send } from '../useCase.ts';

const endpointIdOf = (req: Request) => pathId(req.params.id, 'webhook endpoint');
const deliveryIdOf = (req: Request) => pathId(req.params.deliveryId, 'delivery');

/** The answer's field that carries a new secret sealed, as the Idempotency-Key's stored answer keeps it. */
const SEALED = 'secret_sealed';

/**
 * Before a read of deliveries (the dashboard's pages do the same): the changes queued in the outbox become their
 * deliveries first (webhooks/outbox.ts, jobs of their own), so the list holds every event committed before the request.
 */
const expandedFirst = (deps: AppDeps): RequestHandler => async (_req, _res, next) => {
  await expandOutbox(deps);
  next();
};

/**
 * A handler that writes endpoints or subscriptions (here and on the dashboard), then, committed or not, this process's
 * outbox cache emptied once more (services/webhooks.ts: another job of the same batch may have filled it from what did
 * not commit).
 */
export const afterEndpointWrite = (deps: AppDeps, handler: RequestHandler): RequestHandler => async (req, res, next) => {
  try {
    await handler(req, res, next);
  } finally {
    await deps.q.webhooks.subscriptionsChanged();
  }
};

export function webhookRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);
  const settings: WebhookSettings = { masterKey: deps.masterKey, allowPrivate: deps.config.webhooks.allowPrivate };

  /** A write to endpoints or subscriptions through writeCase (afterEndpointWrite). */
  const endpointWrite = <S extends z.ZodType>(
    schema: S, run: (ctx: Ctx, data: z.output<S>, req: Request) => Promise<Answer>, committed?: (answer: Answer) => void,
  ): RequestHandler => afterEndpointWrite(deps, writeCase(deps, schema, run, committed ? { committed } : {}));

  /**
   * A write whose answer shows a new secret once (create, rotate): the answer is kept for an Idempotency-Key replay
   * with the secret sealed (never in the clear in the database), and unsealed as it is sent (useCase's `committed`),
   * the first time and on a replay alike.
   */
  const secretWrite = <S extends z.ZodType>(schema: S, run: (ctx: Ctx, data: z.output<S>, req: Request) => Promise<{ status: number; webhook: { secret: string } }>): RequestHandler =>
    endpointWrite(schema, async (ctx, data, req) => {
      const { status, webhook: { secret, ...webhook } } = await run(ctx, data, req);
      return ok(status, { webhook: { ...webhook, [SEALED]: encryptSecret(secret, deps.masterKey) } });
    }, (answer) => {
      const webhook = (answer.body as { data: { webhook: Record<string, unknown> } }).data.webhook;
      const { [SEALED]: sealed, ...rest } = webhook;
      (answer.body as { data: unknown }).data = { webhook: { ...rest, secret: decryptSecret(sealed as string, deps.masterKey) } };
    });

  router.get('/webhooks', guard, readCase(deps, zWebhookListQuery, (ctx, query) =>
    listPage('webhooks', pageOf(query), (slice) => listEndpoints(ctx, slice), () => totalEndpoints(ctx))));

  router.post('/webhooks', guard, secretWrite(zCreateWebhookRequest,
    async (ctx, data) => ({ status: 201, webhook: await createEndpoint(ctx, data, settings) })));

  router.get('/webhooks/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ webhook: await getEndpoint(ctx, endpointIdOf(req)) })));

  router.patch('/webhooks/:id', guard, endpointWrite(zUpdateWebhookRequest,
    async (ctx, data, req) => ok(200, { webhook: await updateEndpoint(ctx, endpointIdOf(req), data, settings) })));

  router.delete('/webhooks/:id', guard, endpointWrite(zNoFields,
    async (ctx, _data, req) => ok(200, { webhook: await deleteEndpoint(ctx, endpointIdOf(req)) })));

  router.post('/webhooks/:id/rotate-secret', guard, secretWrite(zNoFields,
    async (ctx, _data, req) => ({ status: 200, webhook: await rotateEndpointSecret(ctx, endpointIdOf(req), settings) })));

  router.get('/webhooks/:id/deliveries', guard, expandedFirst(deps), readCase(deps, zDeliveryListQuery, (ctx, query, req) => {
    const endpointId = endpointIdOf(req);
    const filter = { status: query.status };
    return listPage('deliveries', pageOf(query), (slice) => listDeliveries(ctx, endpointId, filter, slice),
      () => totalDeliveries(ctx, endpointId, filter));
  }));

  router.get('/webhooks/:id/deliveries/:deliveryId', guard, expandedFirst(deps), readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ delivery: await getDelivery(ctx, endpointIdOf(req), deliveryIdOf(req)) })));

  router.post('/webhooks/:id/deliveries/:deliveryId/resend', guard, writeCase(deps, zNoFields,
    async (ctx, _data, req) => ok(202, { delivery: await resendDelivery(ctx, endpointIdOf(req), deliveryIdOf(req)) })));

  router.post('/webhooks/:id/test', guard, writeCase(deps, zTestEventRequest,
    async (ctx, data, req) => ok(202, { delivery: await sendTestEvent(ctx, endpointIdOf(req), data.event) })));

  // ---- Zapier REST Hooks: answered as Zapier reads them, outside the API's {success, data} (errors as everywhere).

  router.post('/hooks/subscribe', guard, endpointWrite(zHookSubscribeRequest,
    async (ctx, data) => ({ status: 201, body: await subscribeHook(ctx, { targetUrl: data.target_url, event: data.event }, settings) })));

  router.delete('/hooks/:id', guard, endpointWrite(zNoFields,
    async (ctx, _data, req) => ({ status: 200, body: await unsubscribeHook(ctx, pathId(req.params.id, 'REST Hook subscription')) })));

  const sample: RequestHandler = (req, res) => {
    const type = String(req.params.event);
    if (!isEventType(type)) throw new ApiError(404, 'not_found', `No event type "${type.slice(0, 64)}": one of ${EVENT_TYPES.join(', ')}`);
    send(res, { status: 200, body: hookSample({ q: deps.rq, brand: callerOf(res).brand, now: deps.now() }, type) }, []);
  };
  router.get('/hooks/sample/:event', guard, sample);

  return router;
}
