// Request bodies: JSON (application/json, or text/plain from the browser tracker), size-limited, kept raw for HMAC.
import express, { type RequestHandler } from 'express';
import { ApiError } from '../errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    rawBody?: Buffer;
  }
}

const keepRaw = (req: express.Request, _res: unknown, buf: Buffer) => {
  req.rawBody = buf;
};

const invalidJson = () =>
  new ApiError(400, 'invalid_json', 'Request body is not valid JSON', [{ field: 'body', message: 'invalid JSON' }]);

/** 415 unless JSON or text/plain; then the body parsed into a plain object (400 otherwise). One middleware. */
export function jsonBody(limit: string): RequestHandler {
  const json = express.json({ limit, type: () => true, verify: keepRaw, strict: false });
  const text = express.text({ limit, type: () => true, verify: keepRaw });
  return (req, res, next) => {
    const type = req.is(['application/json', 'application/*+json', 'text/plain']);
    if (!type) {
      next(new ApiError(415, 'unsupported_media_type', 'Content-Type must be application/json (or text/plain from the browser)'));
      return;
    }
    const plain = type === 'text/plain';
    (plain ? text : json)(req, res, (err?: unknown) => {
      if (err) {
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
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        next(new ApiError(400, 'invalid_request', 'Request body must be a JSON object', [{ field: 'body', message: 'must be a JSON object' }]));
        return;
      }
      req.body = body;
      next();
    });
  };
}
