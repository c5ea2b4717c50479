// GET /al.js: the tracker bundle (and GET /widget.js, the widget's), cacheable for a short while and revalidated by a strong ETag.
import type { RequestHandler } from 'express';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../errors.ts';

interface Bundle { mtimeMs: number; body: Buffer; etag: string }

/** `name`: the bundle as its 404 names it (al.js, or widget.js: routes/widget.ts). */
export function trackerHandler(trackerPath: string, name = 'al.js'): RequestHandler {
  const file = resolve(trackerPath);
  let bundle: Bundle | undefined;
  // Kept in memory, read again when the file changes (npm run build while the collector runs).
  const load = (): Bundle => {
    const { mtimeMs } = statSync(file);
    if (bundle?.mtimeMs !== mtimeMs) {
      const body = readFileSync(file);
      bundle = { mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
    }
    return bundle;
  };
  return (req, res) => {
    let b: Bundle;
    try {
      b = load();
    } catch {
      throw new ApiError(404, 'tracker_not_built', `${name} is not built: run npm run build`);
    }
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      ETag: b.etag,
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(b.body);
  };
}
