// The OpenAPI 3.1 document of the HTTP API, built from the operation table (operations.ts) by zod-openapi: request
// schemas as the routes parse them (their input side), answers from schemas/answers, the outgoing webhooks' events.
// Built once per process; served by GET /openapi.json (http/routes/openapi.ts) and written to dist/ by the build.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { zCode } from '../schemas/common.ts';
import { envelope, zErrorAnswer } from '../schemas/answers/common.ts';
import { eventDataSchemas } from '../schemas/answers/webhooks.ts';
import { EVENT_TYPES, type EventType } from '../webhooks/events.ts';
import { OPERATIONS, TAGS, type Answer, type Auth, type Operation } from './operations.ts';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** Every `code` an API error answers, and when. The test scans the collector's sources for codes not listed here. */
export const ERROR_CODES: Record<string, string> = {
  invalid_request: 'A field is missing or wrong: `details` names each one',
  invalid_json: 'The body is not valid JSON',
  invalid_encoding: 'The body does not decode as its Content-Encoding (gzip, deflate or br) says',
  invalid_path: 'The address holds a badly percent-encoded part',
  request_aborted: 'The client stopped sending the body',
  insufficient_points: 'A deduction or redemption larger than the balance',
  self_referral: 'A claim whose customer is the advocate of the code (the eligibility check answers it as a verdict)',
  already_redeemed: 'A claim of a customer who already used a referral discount (the eligibility check answers it as a verdict)',
  refund_exceeds_payment: 'A refund larger than what was paid and not yet refunded',
  missing_api_key: 'No key in X-API-Key or Authorization: Bearer',
  invalid_api_key: 'The key is unknown or revoked',
  missing_brand_id: 'A signed /convert without X-Brand-ID',
  missing_signature: 'A /convert without X-AL-Signature',
  invalid_signature: "A /convert or an SSO recognition whose signature is not made with one of the brand's secret keys",
  invalid_timestamp: 'X-AL-Timestamp is not Unix seconds',
  timestamp_out_of_range: "X-AL-Timestamp (or an SSO recognition's timestamp) is more than 300 s from the server's clock",
  invalid_session: 'A session token that is missing, unknown or expired (GET /sso/session, GET /sso/me)',
  mapping_exists: 'A customer of the site is mapped to an advocate already',
  advocate_blocked: 'SSO: the recognised customer is a blocked advocate',
  brand_mismatch: 'X-Brand-ID names another brand than the key',
  secret_key_required: 'A publishable key on an endpoint that needs the secret key',
  origin_not_allowed: "A publishable key from an origin the brand does not allow",
  plan_required: "The brand's plan does not include this feature",
  not_found: 'No such record for this brand (ids of other brands are not found either)',
  route_not_found: 'No route for this method and path',
  invalid_code: 'No such referral code for this brand',
  inactive_code: 'The referral code is inactive',
  claim_not_found: 'No claim to attribute the conversion to (claim attribution)',
  tracker_not_built: 'al.js or widget.js was not built (npm run build)',
  advocate_exists: 'An advocate with this email exists',
  code_taken: 'The referral code belongs to someone else',
  key_name_taken: 'An API key with this name exists',
  duplicate_claim: 'This customer already claimed a discount of this brand',
  order_conflict: 'This order id was recorded with other details',
  record_exists: 'A referral record exists for this uuid, this conversion and level, or this enrolment',
  idempotency_conflict: 'The Idempotency-Key was used with another body (a twin of a request still running waits for it and gets its answer)',
  invalid_transition: 'A commission or a redemption cannot go from its status to the one asked',
  clawback_not_covered: 'A payout whose clawbacks are larger than its commissions',
  clawback_changed: 'A clawback owed changed while the payout was made',
  endpoint_limit: 'The brand has as many webhook endpoints as allowed',
  campaign_limit: 'The brand has as many campaigns as allowed (100)',
  campaign_name_taken: 'Another campaign of the brand has this name',
  default_campaign: 'The default campaign cannot be archived',
  catalogue_limit: 'The brand has as many catalogue rewards as allowed (500)',
  reward_archived: 'The catalogue reward is archived: it cannot be redeemed',
  out_of_stock: 'The catalogue reward has no unit left',
  board_limit: 'The brand has as many feedback boards as allowed (100)',
  quest_limit: 'The brand has as many quests as allowed (500)',
  quest_closed: 'The quest is not active, has not started or has ended: its tasks cannot be completed now',
  endpoint_disabled: 'The webhook endpoint is disabled: enable it first',
  delivery_in_progress: 'The delivery is being attempted now',
  delivery_erased: "The delivery's payload was erased (a person's erasure)",
  payload_too_large: 'The body is larger than the configured limit',
  unsupported_media_type: 'The body is neither JSON nor text/plain holding JSON (what the tracker sends)',
  unsupported_encoding: 'A content encoding the collector does not read',
  unsupported_charset: 'A charset other than UTF-8',
  rate_limited: 'Too many requests: wait for Retry-After seconds',
  settling: 'Due commissions are being approved first: retry in Retry-After seconds',
  database_busy: 'The database is busy: retry in Retry-After seconds',
  database_unavailable: 'The database cannot be reached: retry in Retry-After seconds',
  internal_error: 'A fault of the collector (logged); never caused by the request',
};

/** An error status's answer, shared by every operation that may give it. */
const ERROR_RESPONSES: Record<number, string> = {
  400: 'Bad request: `details` names each refused field',
  401: 'No key, an unknown or revoked key, or (on /convert) a signature that does not match',
  403: 'The key may not do this',
  404: 'Not found for this brand',
  409: 'Conflicts with what is recorded',
  413: 'The body is too large',
  415: 'Not JSON (or text/plain where the tracker sends it), or not UTF-8',
  429: 'Rate limited',
  503: 'Busy or unavailable: retry after Retry-After seconds',
};

/** Sent when rate limits are on (REFERLOOP_RATE_LIMITS), on every answer a budget counted. */
const rateLimitHeaders = z.object({
  'RateLimit-Policy': z.string().optional().meta({ header: { id: 'RateLimit-Policy' }, description: "The budget that counted this request: 'limit;w=window seconds'" }),
  'RateLimit-Limit': z.string().optional().meta({ header: { id: 'RateLimit-Limit' }, description: 'Requests allowed per window' }),
  'RateLimit-Remaining': z.string().optional().meta({ header: { id: 'RateLimit-Remaining' }, description: 'Requests left in this window' }),
  'RateLimit-Reset': z.string().optional().meta({ header: { id: 'RateLimit-Reset' }, description: 'Seconds until the window resets' }),
});
const retryAfter = z.object({ 'Retry-After': z.string().meta({ header: { id: 'Retry-After' }, description: 'Seconds to wait before retrying' }) });

/** One response object per error status, shared by every operation (so the document names each once, as a component). */
const errorResponses = Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, description]) => [status, {
  id: `Error${status}`,
  description,
  ...(status === '429' || status === '503' ? { headers: retryAfter } : {}),
  content: { 'application/json': { schema: zErrorAnswer } },
}])) as Record<number, ZodOpenApiResponseObject>;

const brandHeader = z.string().optional().meta({ description: 'The brand the key belongs to: refused (403) when it names another' });
const idempotencyHeader = z.string().max(255).optional().meta({
  description: 'A retry with the same key and body answers the first answer again instead of writing twice (only successes are '
    + 'kept; keys are per brand, scoped to method and path)',
});

const PATH_PARAMS: Record<string, z.ZodType> = {
  id: z.string().regex(/^\d{1,15}$/).meta({ description: 'The record id' }),
  deliveryId: z.string().regex(/^\d{1,15}$/).meta({ description: "The delivery's id" }),
  code: zCode.meta({ description: 'The referral code' }),
  event: z.enum(EVENT_TYPES).meta({ description: 'An event type' }),
  uuid: z.uuid().meta({ description: "The referral record's uuid" }),
  advocate_id: z.string().regex(/^\d{1,15}$/).meta({ description: "The advocate's id" }),
};

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  secret: [{ secretKey: [] }, { bearer: [] }],
  browser: [{ secretKey: [] }, { publishableKey: [] }, { bearer: [] }],
  signed: [{ signature: [], signatureTimestamp: [], brandId: [] }],
  // the proof is in the body (the operation's description says how it is signed)
  sso: [],
  session: [{ sessionToken: [] }],
  none: [],
};

function answerObject(answer: Answer, auth: Auth): ZodOpenApiResponsesObject[`2${string}`] {
  const headers = auth === 'none' ? undefined : rateLimitHeaders;
  if ('csv' in answer) return { description: answer.description, headers, content: { 'text/csv': { schema: z.string() } } };
  const schema = 'data' in answer ? envelope(answer.data) : answer.bare;
  return { description: answer.description, headers, content: { 'application/json': { schema } } };
}

/** The error statuses an operation may answer: those of its kind and its own. */
function errorStatuses(op: Operation): number[] {
  const statuses = new Set(op.errors ?? []);
  if (op.auth !== 'none') [401, 403, 429, 503].forEach((s) => statuses.add(s));
  if (op.body || op.query) statuses.add(400);
  if (op.body) [413, 415].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const pathNames = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const path = pathNames.length ? z.object(Object.fromEntries(pathNames.map((n) => [n, PATH_PARAMS[n]!]))) : undefined;
  const keyed = op.auth === 'secret' || op.auth === 'browser';
  const header = keyed || op.idempotent ? z.object({
    ...(keyed ? { 'X-Brand-ID': brandHeader } : {}),
    ...(op.idempotent ? { 'Idempotency-Key': idempotencyHeader } : {}),
  }) : undefined;
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(op.answers)) responses[status as `2${string}`] = answerObject(answer, op.auth);
  for (const status of errorStatuses(op)) responses[String(status) as `${4 | 5}${string}`] ??= errorResponses[status]!;
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: SECURITY[op.auth],
    requestParams: {
      ...(path ? { path } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(header ? { header } : {}),
    },
    ...(op.body ? {
      requestBody: { required: op.method !== 'delete', content: { 'application/json': { schema: op.body, ...(op.example.body ? { example: op.example.body } : {}) } } },
    } : {}),
    responses,
  };
}

/** A named schema's component id (its `.meta({ id })`). */
const idOf = (schema: z.ZodType): string => {
  const id = schema.meta()?.id;
  if (!id) throw new Error('an event\'s data schema has no id');
  return id;
};

/**
 * Each event type as OpenAPI 3.1 `webhooks`: the POST we send to an endpoint, signed by Standard Webhooks. Its body
 * is written as JSON Schema naming the answer components, so they are not described a second time as request bodies.
 */
function webhookObject(type: EventType): ZodOpenApiOperationObject {
  const body = {
    type: 'object' as const,
    required: ['type', 'timestamp', 'data'],
    additionalProperties: false,
    properties: {
      type: { const: type },
      timestamp: { type: 'string' as const, format: 'date-time', description: 'When the change was made' },
      data: { $ref: `#/components/schemas/${idOf(eventDataSchemas[type])}` },
    },
  };
  return {
    operationId: `event_${type.replaceAll('.', '_')}`,
    tags: ['Webhooks'],
    summary: type,
    requestParams: {
      header: z.object({
        'webhook-id': z.string().meta({ description: 'The event id (msg_...): the same on every retry; dedupe by it' }),
        'webhook-timestamp': z.string().meta({ description: 'Unix seconds when this attempt was signed' }),
        'webhook-signature': z.string().meta({ description: 'v1,<base64 HMAC-SHA256 of "id.timestamp.body" with the endpoint\'s secret>; two, space-separated, for 24 h after a rotation' }),
      }),
    },
    requestBody: { required: true, content: { 'application/json': { schema: body } } },
    responses: { '200': { description: 'Any 2xx within 15 s is a delivery; anything else (a redirect too) is retried' } },
  };
}

function buildDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const webhooks: ZodOpenApiPathsObject = {};
  for (const type of EVENT_TYPES) webhooks[type] = { post: webhookObject(type) };
  const doc = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Referloop API',
      version,
      description: 'Referral tracking: the tracker and your backend report visits, claims, conversions and refunds; the management API '
        + 'reads and runs the programme; outgoing webhooks tell your other systems what happened. Compatible with the Advocate Loop API: '
        + 'a client written against it works by changing only the base URL.\n\n'
        + 'Errors answer `{"success": false, "error", "code", "details"}`; the codes:\n\n'
        + Object.entries(ERROR_CODES).map(([code, when]) => `- \`${code}\`: ${when}`).join('\n'),
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    webhooks,
    components: {
      schemas: Object.fromEntries(Object.values(eventDataSchemas).map((schema) => [idOf(schema), schema])),
      securitySchemes: {
        secretKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: "The brand's secret key (rl_sk_...): server to server only" },
        publishableKey: {
          type: 'apiKey', in: 'header', name: 'X-API-Key',
          description: "The brand's publishable key (rl_pk_...), from a page of one of the brand's allowed origins (the Origin header); "
            + 'the tracker may also send it as `key` (with `brand_id`) inside a text/plain body',
        },
        brandId: { type: 'apiKey', in: 'header', name: 'X-Brand-ID', description: 'The brand whose secret key signed the body' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The key as a Bearer token: the secret key, or on the tracker\'s endpoints the publishable key' },
        signature: { type: 'apiKey', in: 'header', name: 'X-AL-Signature', description: 'Hex HMAC-SHA256 with a secret key of the raw body, or with X-AL-Timestamp of "<timestamp>.<raw body>"' },
        sessionToken: { type: 'http', scheme: 'bearer', description: 'A session token (rl_st_...) from POST /sso/recognize: acts as its advocate for 1 hour, and is no API key' },
        signatureTimestamp: { type: 'apiKey', in: 'header', name: 'X-AL-Timestamp', description: 'Unix seconds, within 300 s of the server\'s clock (optional; without it a replay is only caught as a duplicate claim)' },
      },
    },
  });
  addParameterExamples(doc);
  return doc;
}

/** Each operation's example path and query values, on its parameters (where OpenAPI keeps a parameter's example). */
function addParameterExamples(doc: ReturnType<typeof createDocument>): void {
  for (const op of OPERATIONS) {
    const parameters = (doc.paths?.[op.path]?.[op.method]?.parameters ?? []) as Array<{ in: string; name: string; example?: unknown }>;
    for (const p of parameters) {
      const value = p.in === 'path' ? op.example.params?.[p.name] : p.in === 'query' ? op.example.query?.[p.name] : undefined;
      if (value !== undefined) p.example = String(value);
    }
  }
}

export interface ServedDocument {
  json: string;
  /** a strong ETag: the SHA-256 of the JSON */
  etag: string;
  /** how many operations and named schemas it describes (the README's figures) */
  operations: number;
  schemas: number;
}

let built: ServedDocument | undefined;

/**
 * The document, built on first use and kept: it depends on nothing but the code. Building takes about 90 ms of CPU, so
 * server.ts builds it before it listens (tests build it at their first request).
 */
export function openApiDocument(): ServedDocument {
  if (built) return built;
  const doc = buildDocument();
  const json = JSON.stringify(doc);
  built = {
    json,
    etag: `"${createHash('sha256').update(json).digest('base64url')}"`,
    operations: OPERATIONS.length,
    schemas: Object.keys(doc.components?.schemas ?? {}).length,
  };
  return built;
}
