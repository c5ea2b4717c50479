// createApp(deps): the Express app with every route, no listen (tests mount it on port 0).
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Conn, WriteQueue } from './db/port.ts';
import { createQueries, type Queries } from './db/queries.ts';
import type { Store } from './db/store.ts';
import { errorMiddleware, notFoundHandler } from './http/errors.ts';
import { requestLog } from './http/log.ts';
import { convertRoutes } from './http/routes/convert.ts';
import { healthHandler } from './http/routes/health.ts';
import { trackRoutes } from './http/routes/track.ts';
import { serveVisitsFirst, VISIT_PATH, visitRoute } from './http/routes/visit.ts';
import { trackerHandler } from './http/routes/tracker.ts';
import { WIDGET_JS_PATH, widgetHandler, widgetRoutes } from './http/routes/widget.ts';
import { advocateRoutes } from './http/routes/advocates.ts';
import { referralRoutes } from './http/routes/referrals.ts';
import { commissionRoutes } from './http/routes/commissions.ts';
import { payoutRoutes } from './http/routes/payouts.ts';
import { settingsRoutes } from './http/routes/settings.ts';
import { recordRoutes } from './http/routes/records.ts';
import { peopleRoutes } from './http/routes/people.ts';
import { webhookRoutes } from './http/routes/webhooks.ts';
import { campaignRoutes } from './http/routes/campaigns.ts';
import { catalogueRoutes } from './http/routes/catalogue.ts';
import { testimonialRoutes } from './http/routes/testimonials.ts';
import { feedbackRoutes } from './http/routes/feedback.ts';
import { ssoRoutes } from './http/routes/sso.ts';
import { questRoutes } from './http/routes/quests.ts';
import { referralRecordRoutes } from './http/routes/referralRecords.ts';
import { DOCS_PATH, docsRoutes, OPENAPI_PATH, openApiHandler } from './http/routes/openapi.ts';
import { Settlement } from './jobs/settlement.ts';
import { Retention } from './jobs/retention.ts';
import { Deliverer } from './webhooks/deliverer.ts';
import { DASHBOARD_PATH, dashboardRoutes } from './dashboard/router.ts';
import { PORTAL_PATH, portalRoutes } from './portal/router.ts';
import { COMPAT_PATH, compatRoutes } from './compat/router.ts';

export interface AppDeps {
  /** the database, whichever engine (db/store.ts) */
  store: Store;
  /** the write connection; every write goes through `queue` */
  db: Conn;
  q: Queries;
  queue: WriteQueue;
  /** the read connection and its queries: management reads and exports run there, beside the write queue */
  read: Conn;
  rq: Queries;
  /** due rewards settled batch by batch (before management reads, and by the background sweep) */
  settlement: Settlement;
  /** visits past their brand's retention deleted batch by batch (the background sweep) */
  retention: Retention;
  /** the outbox's webhook deliveries, sent in the background (started by server.ts; tests call deliverDue()) */
  deliverer: Deliverer;
  config: Config;
  masterKey: Buffer;
  logger: Logger;
  now: () => Date;
}

export function createApp(input: Omit<AppDeps, 'db' | 'q' | 'queue' | 'now' | 'read' | 'rq' | 'settlement' | 'retention' | 'deliverer'> & { now?: () => Date }) {
  const { store } = input;
  const base = {
    ...input,
    db: store.db,
    q: createQueries(store.db),
    queue: store.queue,
    read: store.read,
    rq: createQueries(store.read),
    now: input.now ?? (() => new Date()),
  };
  const deps: AppDeps = { ...base, settlement: new Settlement(base), retention: new Retention(base), deliverer: new Deliverer(base) };
  const app = express();
  app.disable('x-powered-by');
  // API answers are never cached, so no ETag is computed for them (al.js gets its own from sendFile).
  app.set('etag', false);
  // 0 hops: req.ip is the socket address and X-Forwarded-For is ignored.
  app.set('trust proxy', deps.config.trustProxyHops);
  // The hottest route first: a visit does not walk the router (serveVisitsFirst) nor, spelt otherwise (a query
  // string...), the layers below; it logs itself, with the same requestLog.
  const visit = visitRoute(deps);
  const onError = errorMiddleware(deps.logger);
  serveVisitsFirst(app, visit, onError);
  app.post(VISIT_PATH, visit);
  app.use(requestLog(deps.logger));
  app.get('/healthz', healthHandler(deps.store, deps.logger));
  app.get('/al.js', trackerHandler(deps.config.trackerPath));
  app.get(WIDGET_JS_PATH, widgetHandler(deps.config.trackerPath));
  // The API described: for machines (OpenAPI 3.1) and for people (Swagger UI).
  app.get(OPENAPI_PATH, openApiHandler);
  app.use(DOCS_PATH, docsRoutes());
  // The owner's dashboard (server-rendered pages, its own sessions and error pages); / leads there.
  app.get('/', (_req, res) => res.redirect(302, DASHBOARD_PATH));
  app.use(DASHBOARD_PATH, dashboardRoutes(deps));
  // The advocate's portal (issue 14): their own pages, a session of their own (portal/).
  app.use(PORTAL_PATH, portalRoutes(deps));
  // The drop-in adapters for the clients of the other source documents (issue 15), one per prefix (compat/).
  app.use(COMPAT_PATH, compatRoutes(deps));
  app.use('/api/v1', trackRoutes(deps), convertRoutes(deps));
  app.use('/api/v1', advocateRoutes(deps), referralRoutes(deps), commissionRoutes(deps), payoutRoutes(deps), settingsRoutes(deps), recordRoutes(deps), peopleRoutes(deps), campaignRoutes(deps),
    referralRecordRoutes(deps), catalogueRoutes(deps), questRoutes(deps));
  app.use('/api/v1', testimonialRoutes(deps), feedbackRoutes(deps));
  app.use('/api/v1', webhookRoutes(deps), ssoRoutes(deps), widgetRoutes(deps));
  app.use(notFoundHandler);
  app.use(onError);
  return { app, deps };
}
