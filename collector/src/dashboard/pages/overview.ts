// GET /dashboard: the overview (placeholder until the per-day totals land).
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { html } from '../html.ts';
import { page } from '../page.ts';

export function overviewRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/', page(deps, (p) => ({ title: 'Overview', nav: 'overview', body: html`<p>${p.brand.name}</p>` })));
  return r;
}
