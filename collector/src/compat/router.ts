// /compat: one adapter per source document (issue 15), each under its own prefix, so a client written against that
// document works by changing only its base URL. An adapter parses its document's auth, maps its request names and ids
// onto Referloop's, calls the same use cases as /api/v1 (no business rule in an adapter), and maps the answers and
// errors onto its document's shapes. Where two documents give one path two meanings, the prefix decides.
// How a request walks: /compat/<document prefix> -> that adapter's router (its auth, its routes, its 404 and error body).
import { Router } from 'express';
import type { AppDeps } from '../app.ts';
import { platformRoutes } from './platform/router.ts';
import { refgrowRoutes } from './refgrow/router.ts';
import { reverbRoutes } from './reverb/router.ts';

export const COMPAT_PATH = '/compat';

export function compatRoutes(deps: AppDeps): Router {
  const r = Router();
  r.use('/refgrow/v1', refgrowRoutes(deps));
  r.use('/reverb/api/v1', reverbRoutes(deps));
  r.use('/platform/api/v1', platformRoutes(deps));
  return r;
}
