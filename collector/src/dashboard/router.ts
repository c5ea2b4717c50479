// /dashboard: the owner's dashboard, server-rendered HTML served by the collector itself.
//
// How a request walks: security headers (a strict CSP: scripts and styles from this origin only, no inline code)
// -> /assets (the client bundles rollup built, the stylesheet) -> the form body (urlencoded) -> loadViewer (the
// session cookie names the user and the brand) -> the public sign-in pages -> requireViewer (everyone else goes to
// sign-in) -> checkCsrf (every POST carries the session's token, else 403) -> the pages.
//
// A page is one module in pages/ exporting `xxxRoutes(deps): Router`, built with page.ts's `page` (GET) and
// `action` (POST: owner only, the API's schema and use case, 303 after COMMIT); it reads through the same query
// modules and services as the API, never its own SQL. Its script, if any, is client/xxx.ts (rollup ->
// dist/dashboard/xxx.js), listed in the Page's `scripts`. Add a page here with one line.
import express, { Router, type RequestHandler } from 'express';
import { fileURLToPath } from 'node:url';
import type { AppDeps } from '../app.ts';
import { dashboardErrors, dashboardNotFound } from './errors.ts';
import { overviewRoutes } from './pages/overview.ts';
import { commissionPageRoutes } from './pages/commissions.ts';
import { payoutPageRoutes } from './pages/payouts.ts';
import { advocateRoutes } from './pages/advocates.ts';
import { advocatePageRoutes } from './pages/advocate.ts';
import { catalogueRoutes } from './pages/catalogue.ts';
import { ssoPageRoutes } from './pages/sso.ts';
import { questPageRoutes } from './pages/quests.ts';
import { testimonialPageRoutes } from './pages/testimonials.ts';
import { feedbackPageRoutes } from './pages/feedback.ts';
import { campaignRoutes } from './pages/campaigns.ts';
import { conversionRoutes } from './pages/conversions.ts';
import { settingsRoutes } from './pages/settings.ts';
import { signInRoutes, signOutRoutes } from './pages/signIn.ts';
import { accountRoutes } from './pages/account.ts';
import { userRoutes } from './pages/users.ts';
import { webhookRoutes } from './pages/webhooks.ts';
import { checkCsrf, loadViewer, requireViewer } from './session.ts';

export { DASHBOARD_PATH } from './session.ts';

const CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

/** The dashboard's headers (the portal's pages send the same: portal/router.ts). */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    // A sign-in link's token is in its path: never sent on to another site.
    'Referrer-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  next();
};

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The bundles (dist/dashboard, built by `npm run build`), the stylesheet, and uPlot's stylesheet. */
function assetRoutes(): Router {
  const r = Router();
  const cached: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'public, max-age=300');
    next();
  };
  r.use(cached);
  r.get('/uplot.css', (_req, res) => res.sendFile(here('../../../node_modules/uplot/dist/uPlot.min.css')));
  r.use(express.static(here('../../../dist/dashboard'), { index: false, fallthrough: true }));
  r.use(express.static(here('./assets'), { index: false, fallthrough: true }));
  return r;
}

export function dashboardRoutes(deps: AppDeps): Router {
  const r = Router();
  r.use(securityHeaders);
  r.use('/assets', assetRoutes());
  r.use(express.urlencoded({ extended: false, limit: deps.config.bodyLimit, parameterLimit: 5000 }));
  r.use(loadViewer(deps));
  r.use(signInRoutes(deps));
  r.use(requireViewer, checkCsrf);
  r.use(signOutRoutes(deps));
  r.use(accountRoutes(deps));
  r.use(userRoutes(deps));
  r.use(overviewRoutes(deps));
  r.use(advocateRoutes(deps));
  r.use(advocatePageRoutes(deps));
  r.use(campaignRoutes(deps));
  r.use(catalogueRoutes(deps));
  r.use(ssoPageRoutes(deps));
  r.use(questPageRoutes(deps));
  r.use(testimonialPageRoutes(deps));
  r.use(feedbackPageRoutes(deps));
  r.use(conversionRoutes(deps));
  r.use(settingsRoutes(deps));
  r.use(commissionPageRoutes(deps));
  r.use(payoutPageRoutes(deps));
  r.use(webhookRoutes(deps));
  r.use(dashboardNotFound);
  r.use(dashboardErrors(deps.logger));
  return r;
}
