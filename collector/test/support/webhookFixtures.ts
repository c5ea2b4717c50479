// Test fixtures of webhooks: an endpoint subscribed straight in the database (its secret sealed with the collector's
// master key, as the API seals it), and the deliveries the outbox wrote, read back as events.
import type { Conn } from '../../src/db/port.ts';
import type { Queries } from '../../src/db/queries.ts';
import { encryptSecret } from '../../src/domain/keys.ts';
import { expandOutbox } from '../../src/webhooks/outbox.ts';
import { generateSecret } from '../../src/webhooks/signature.ts';
import type { TestBrand, TestCollector, TestResponse } from './collector.ts';
import { DAY_MS, PATHS, publishableHeaders, rows } from './fixtures.ts';
import { ssoSignature } from '../../src/domain/sso.ts';
import { joinCampaign } from './signups.ts';

/** A URL nothing listens on: the deliverer's attempts fail at once and the rows stay pending, readable. */
export const REFUSING_URL = 'http://127.0.0.1:9/';

export interface FixtureEndpoint {
  id: number;
  secret: string;
}

/** Where an endpoint is written: a collector's deps, or a store of another process's database and its queries. */
export interface EndpointTarget {
  db: Conn;
  queue: { run<T>(fn: () => Promise<T>): Promise<T> };
  q: Queries;
}

/**
 * An endpoint of `brandId` receiving `events` (types or '*'), its secret sealed with `masterKey`, in one job of the
 * write queue, the cache told as every write to endpoints must (subscriptionsChanged, inside the job).
 */
export async function insertEndpoint(
  to: EndpointTarget, masterKey: Buffer, brandId: string, events: string[],
  opts: { url?: string; status?: 'enabled' | 'disabled'; at?: Date } = {},
): Promise<FixtureEndpoint> {
  const secret = generateSecret();
  const at = (opts.at ?? new Date()).toISOString();
  const disabled = opts.status === 'disabled';
  const id = await to.queue.run(async () => {
    const row = await to.db.prepare(
      `INSERT INTO webhook_endpoints (brand_id, url, description, source, status, disabled_reason, disabled_at, secret_sealed, created_at, updated_at)
       VALUES (?, ?, 'test endpoint', 'api', ?, ?, ?, ?, ?, ?) RETURNING id`,
    ).get(brandId, opts.url ?? REFUSING_URL, disabled ? 'disabled' : 'enabled', disabled ? 'operator' : null, disabled ? at : null,
      encryptSecret(secret, masterKey), at, at) as { id: number | string };
    for (const type of events) {
      await to.db.prepare('INSERT INTO webhook_subscriptions (brand_id, event_type, endpoint_id) VALUES (?, ?, ?)').run(brandId, type, row.id);
    }
    await to.q.webhooks.subscriptionsChanged();
    return Number(row.id);
  });
  return { id, secret };
}

/** An endpoint of the collector's brand (or `opts.brand`) receiving `events`, dated by the collector's clock. */
export const subscribeEndpoint = (
  c: TestCollector, events: string[], opts: { brand?: TestBrand; url?: string; status?: 'enabled' | 'disabled' } = {},
): Promise<FixtureEndpoint> =>
  insertEndpoint(c.deps, c.deps.masterKey, (opts.brand ?? c.brand).brand_id, events,
    { at: c.deps.now(), ...(opts.url ? { url: opts.url } : {}), ...(opts.status ? { status: opts.status } : {}) });

/** An event as the outbox stored it: the row's columns and its payload parsed. */
export interface StoredEvent {
  id: number;
  endpointId: number;
  brandId: string;
  eventId: string;
  type: string;
  body: { type: string; timestamp: string; data: any };
}

/**
 * The changes the outbox queued so far turned into their deliveries (as the deliverer and the deliveries' reads do
 * first), so a test reading webhook_deliveries sees every committed event.
 */
export const expandQueued = (c: TestCollector): Promise<number> => expandOutbox(c.deps);

/** The deliveries written so far (oldest first, the queued changes expanded first), optionally only those of one endpoint or one type. */
export async function storedEvents(c: TestCollector, filter: { endpointId?: number; type?: string } = {}): Promise<StoredEvent[]> {
  await expandQueued(c);
  const all = await rows(c, `SELECT id, endpoint_id AS "endpointId", brand_id AS "brandId", event_id AS "eventId", event_type AS "type", payload
    FROM webhook_deliveries ORDER BY id`);
  return all
    .map((r) => ({ id: Number(r.id), endpointId: Number(r.endpointId), brandId: r.brandId, eventId: r.eventId, type: r.type, body: JSON.parse(r.payload) }))
    .filter((e) => (filter.endpointId === undefined || e.endpointId === filter.endpointId) && (filter.type === undefined || e.type === filter.type));
}

/**
 * One API call of each kind, so that every event type is written once at least (the clock moves past the cooling
 * period, so `now` must be the collector's injected clock). Answers the ids it made.
 */
export async function everyEvent(c: TestCollector, clock: { advance(ms: number): void }): Promise<{ advocateId: number; conversionId: number }> {
  const must = async (res: Promise<TestResponse>, status = 200) => {
    const r = await res;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data;
  };
  const advocate = (await must(c.call('POST', '/api/v1/advocates', { email: 'jane.doe@example.com', name: 'Jane Doe', tier: 'gold' }), 201)).advocate;
  await must(c.call('PATCH', `/api/v1/advocates/${advocate.id}`, { payment_method: 'paypal', payment_details: 'jane.doe@example.com' }));
  await must(c.call('POST', `/api/v1/advocates/${advocate.id}/points`, { amount: 50, description: 'Review bonus' }));
  const code = advocate.referral_code as string;
  const visit = await must(c.post(PATHS.visit, { referral_code: code, landing_page: 'https://shop.example.com/?ref=' + code, utm_source: 'email' },
    { headers: publishableHeaders(c.brand) }));
  await must(c.post(PATHS.share, { referral_code: code, channel: 'whatsapp' }, { headers: publishableHeaders(c.brand) }), 201);
  await must(c.post(PATHS.claim, { referral_code: code, email: 'sam.buyer@example.com', name: 'Sam Buyer', visitor_id: visit.visitor_id, raw_value: 150 },
    { headers: publishableHeaders(c.brand) }), 201);
  const conversion = await must(c.post(PATHS.conversion, { customer_email: 'sam.buyer@example.com', order_id: 'ORDER-10482', order_total: 148.5, tax: 13.5, referral_code: code }), 201);
  await must(c.post(PATHS.conversion, { customer_email: 'jane.doe@example.com', order_id: 'ORDER-10483', order_value: 40, referral_code: code }), 201);
  clock.advance(31 * DAY_MS);
  await must(c.call('GET', `/api/v1/commissions/${conversion.reward.id}`));
  await must(c.call('POST', '/api/v1/payouts', { commission_ids: [conversion.reward.id] }));
  await must(c.post(PATHS.refund, { order_id: 'ORDER-10482', refund_amount: 45, is_full_refund: false, refund_reason: 'one item returned' }));
  const campaign = (await must(c.call('POST', '/api/v1/campaigns', { name: 'Partners 20%', referrer_reward_value: 20, signup: 'approval' }), 201)).campaign;
  // A self sign-up to it (advocate.signed_up), before it is archived.
  await joinCampaign(c, campaign.id, { name: 'Nina Patel', email: 'nina.patel@example.com' });
  await must(c.call('POST', `/api/v1/campaigns/${campaign.id}/archive`));
  const reward = (await must(c.call('POST', '/api/v1/rewards', { name: '$10 gift card', points_cost: 20, type: 'gift_card', stock: 5 }), 201)).reward;
  const redemption = (await must(c.call('POST', `/api/v1/rewards/${reward.id}/redeem`, { advocate_id: advocate.id }))).redemption;
  await must(c.call('POST', `/api/v1/redemptions/${redemption.id}/fulfil`, { fulfilment: 'GIFT-7Q2M-XK4D' }));
  await must(c.call('POST', `/api/v1/redemptions/${redemption.id}/cancel`, { reason: 'The gift card was never activated' }));
  // A testimonial from the site's page, approved; an advocate's idea on a board, planned.
  const testimonial = (await must(c.call('POST', '/api/v1/testimonials', { name: 'Maya Chen', email: 'maya@example.com', rating: 5, text: 'Ordered twice already.' },
    { headers: publishableHeaders(c.brand) }), 201)).testimonial;
  await must(c.call('PATCH', `/api/v1/testimonials/${testimonial.id}`, { status: 'approved' }));
  const board = (await must(c.call('POST', '/api/v1/feedback/boards', { name: 'Product ideas' }), 201)).board;
  const idea = (await must(c.call('POST', `/api/v1/feedback/boards/${board.id}/ideas`, { advocate_id: advocate.id, title: 'Share links for WhatsApp' }), 201)).idea;
  await must(c.call('PATCH', `/api/v1/feedback/ideas/${idea.id}`, { status: 'planned' }));
  // A quest of one task: its completion completes the quest.
  const quest = (await must(c.call('POST', '/api/v1/quests', { title: 'First share', tasks: [{ title: 'Share your link', points: 5 }], reward: { type: 'points', points: 10 } }), 201)).quest;
  const questTasks = (await must(c.call('GET', `/api/v1/quests/${quest.id}`))).tasks as Array<{ id: number }>;
  await must(c.call('POST', `/api/v1/quests/${quest.id}/complete`, { advocate_id: advocate.id, task_id: questTasks[0]!.id }));
  // Single sign-on: the site's customer recognised by a signed request (no API key), mapped to the advocate first.
  await must(c.call('POST', '/api/v1/sso/mappings', { advocate_id: advocate.id, external_customer_id: 'cus_8f2k1' }), 201);
  const timestamp = String(Math.floor(c.deps.now().getTime() / 1000));
  const signature = ssoSignature(c.brand.secret_key, { businessId: c.brand.brand_id, externalCustomerId: 'cus_8f2k1', timestamp, externalEmail: null, externalName: null });
  await must(c.request('POST', '/api/v1/sso/recognize', { headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ business_id: c.brand.brand_id, external_customer_id: 'cus_8f2k1', timestamp: Number(timestamp), signature }) }));
  return { advocateId: advocate.id, conversionId: conversion.id };
}
