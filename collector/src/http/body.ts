// Request bodies: JSON (application/json, or text/plain from the browser tracker), size-limited, kept raw for HMAC.
import express, { type Request, type RequestHandler } from 'express';
import { ApiError, badField } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
    /** the body came as text/plain (the tracker's form, whose key may be inside it): set by jsonBody */
    sentAsText?: boolean;
  }
}

/**
 * Objects and arrays nest at most this deep, the body itself counting as one level. Free-form fields
 * (`metadata`, a product's own fields) are stored with JSON.stringify, which recurses: a body of a few KB
 * nested thousands deep would overflow its stack. 32 leaves any real document room.
 */
export const MAX_BODY_DEPTH = 32;

const keepRaw = (req: express.Request, _res: unknown, buf: Buffer) => {
  req.rawBody = buf;
};

const invalidJson = () =>
  new ApiError(400, 'invalid_json', 'Request body is not valid JSON', [{ field: 'body', message: 'invalid JSON' }]);

const UNIT_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** "100kb" -> 102400 (the REFERLOOP_BODY_LIMIT format; 1 kb = 1024 bytes, as body-parser counts). */
export function limitBytes(limit: string): number {
  const m = /^(\d+)(b|kb|mb)$/i.exec(limit.trim());
  if (!m) throw new Error(`body limit "${limit}" is not N, Nb, Nkb or Nmb`);
  return Number(m[1]) * UNIT_BYTES[m[2]!.toLowerCase()]!;
}

const encodingOf = (req: Request) => (req.headers['content-encoding'] ?? 'identity').toLowerCase();

const tooLarge = (limit: string) => new ApiError(413, 'payload_too_large', `Request body is too large (at most ${limit})`);

/** A failure typed like body-parser's, so errors.ts renders it the same way whichever reader met it. */
const aborted = () => Object.assign(new Error('request aborted'), { type: 'request.aborted' });

/**
 * Content-Type values that need neither body-parser nor iconv: UTF-8 JSON or text, as fetch, curl and the
 * tracker send them. Anything else (other charsets, a Content-Encoding) takes body-parser's general path.
 */
const PLAIN_UTF8_TYPES = new Map<string, 'json' | 'text'>([
  ['application/json', 'json'], ['application/json; charset=utf-8', 'json'], ['application/json;charset=utf-8', 'json'],
  ['text/plain', 'text'], ['text/plain;charset=utf-8', 'text'], ['text/plain; charset=utf-8', 'text'],
]);

/**
 * The body of an uncompressed UTF-8 request, read straight from the stream: one Buffer.concat, no decoder
 * stream. Past `maxBytes` (a chunked body declares no length) it stops keeping chunks and fails with a 413.
 * A callback, not a promise, and plain `on` listeners (the request is dropped after its answer): a visit's
 * body costs no promise, microtask or once-wrapper. An aborted request ends in 'error' (node emits it then).
 */
function readIdentityBody(req: Request, maxBytes: number, limit: string, done: (error: unknown, raw?: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (error: unknown, raw?: Buffer) => {
    if (settled) return;
    settled = true;
    done(error, raw);
  };
  req.on('data', (chunk: Buffer) => {
    if (size > maxBytes) return;
    size += chunk.length;
    if (size > maxBytes) {
      req.res?.setHeader('Connection', 'close');
      settle(tooLarge(limit));
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => settle(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  req.on('error', () => settle(aborted()));
}

/** UTF-8 text as iconv-lite decodes it for body-parser: a leading byte order mark is dropped. */
const utf8Text = (raw: Buffer) => {
  const text = raw.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
};

/**
 * The top-level field under which the body nests deeper than MAX_BODY_DEPTH, or null. Iterative: the walk
 * itself cannot overflow the stack, whatever JSON.parse accepted.
 */
export function tooDeepField(body: Record<string, unknown>): string | null {
  const stack: Array<[value: unknown, depth: number, field: string]> = [];
  for (const field in body) {
    const value = body[field];
    if (typeof value === 'object' && value !== null) stack.push([value, 2, field]);
  }
  while (stack.length) {
    const [value, depth, field] = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return field;
    for (const child of Object.values(value as object)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1, field]);
    }
  }
  return null;
}

/** 415 unless JSON or text/plain; then the body parsed into a plain object (400 otherwise). One middleware. */
export function jsonBody(limit: string): RequestHandler {
  const maxBytes = limitBytes(limit);
  const json = express.json({ limit: maxBytes, type: () => true, verify: keepRaw, strict: false });
  const text = express.text({ limit: maxBytes, type: () => true, verify: keepRaw });
  return (req, res, next) => {
    const kind = PLAIN_UTF8_TYPES.get((req.headers['content-type'] ?? '').toLowerCase());
    const type = kind ? (kind === 'text' ? 'text/plain' : 'application/json') : req.is(['application/json', 'application/*+json', 'text/plain']);
    if (!type) {
      next(new ApiError(415, 'unsupported_media_type', 'Content-Type must be application/json (or text/plain from the browser)'));
      return;
    }
    // Answered from the header, before a byte of the body is read; the connection is closed rather than
    // drained, so a client that declared 50 MB and sends nothing does not hold the answer back.
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      res.setHeader('Connection', 'close');
      next(tooLarge(limit));
      return;
    }
    const plain = type === 'text/plain';
    req.sentAsText = plain;
    // The common case: uncompressed UTF-8 with a body. Parsed as body-parser would (an empty JSON body is {}).
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (kind && hasBody && req.headers['content-encoding'] === undefined) {
      readIdentityBody(req, maxBytes, limit, (error, raw) => {
        if (error) {
          next(error);
          return;
        }
        req.rawBody = raw!;
        const source = utf8Text(raw!);
        let body: unknown;
        try {
          body = kind === 'json' && source.length === 0 ? {} : JSON.parse(source);
        } catch {
          next(invalidJson());
          return;
        }
        accept(body);
      });
      return;
    }
    (plain ? text : json)(req, res, (err?: unknown) => {
      if (err) {
        // A zlib failure carries no body-parser type: the body is not what its Content-Encoding says.
        const encoding = encodingOf(req);
        if (encoding !== 'identity' && typeof (err as { type?: unknown }).type !== 'string') {
          next(new ApiError(400, 'invalid_encoding', `Request body is not valid ${encoding} data (Content-Encoding: ${encoding})`,
            [{ field: 'body', message: `is not valid ${encoding} data` }]));
          return;
        }
        next(err);
        return;
      }
      let body: unknown = req.body;
      // Only the tracker's text/plain body is JSON still to parse; a JSON string sent as application/json is not an object.
      if (plain) {
        try {
          body = JSON.parse(body as string);
        } catch {
          next(invalidJson());
          return;
        }
      }
      accept(body);
    });

    /** Whichever reader parsed it: a JSON object, not nested too deep, becomes req.body. */
    function accept(body: unknown): void {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        next(new ApiError(400, 'invalid_request', 'Request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]));
        return;
      }
      const deep = tooDeepField(body as Record<string, unknown>);
      if (deep !== null) {
        next(badField(deep, `is nested more than ${MAX_BODY_DEPTH} levels deep`));
        return;
      }
      req.body = body;
      next();
    }
  };
}
