// GET /al.js: the tracker bundle, cacheable for a short while and revalidated by ETag.
import express from 'express';
import { resolve } from 'node:path';
import { ApiError } from '../../errors.ts';

export function trackerRoutes(trackerPath: string): express.Router {
  const router = express.Router();
  const file = resolve(trackerPath);
  router.get('/al.js', (_req, res, next) => {
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.sendFile(file, { maxAge: '5m', etag: true, lastModified: true, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } }, (err) => {
      if (err && !res.headersSent) next(new ApiError(404, 'tracker_not_built', 'al.js is not built: run npm run build'));
    });
  });
  return router;
}
