// /portal: the advocate's own pages, server-rendered like the dashboard and on its foundations (its document, stylesheet,
// CSP and security headers, its form and CSRF rules), with an advocate's rights only: the session names one brand and
// one advocate, and every page reads through the use cases for that advocate alone.
//
// How a request walks: security headers -> the form body -> loadAdvocate (the rl_portal cookie names the session) ->
// the entry pages (a link's page and button) -> requireAdvocate (anyone else: a 401 page saying how to come in) ->
// checkPortalCsrf (every POST carries the session's token) -> the pages. Add a page here with one line.
import express, { Router } from 'express';
import type { Logger } from 'pino';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { pageErrors } from '../dashboard/errors.ts';
import { html } from '../dashboard/html.ts';
import { securityHeaders } from '../dashboard/router.ts';
import { portalLayout, portalPublicLayout, type PortalPage } from './layout.ts';
import { enterRoutes, signOutRoutes } from './pages/enter.ts';
import { homeRoutes } from './pages/home.ts';
import { linkRoutes } from './pages/links.ts';
import { commissionRoutes } from './pages/commissions.ts';
import { payoutRoutes } from './pages/payouts.ts';
import { rewardRoutes } from './pages/rewards.ts';
import { questRoutes } from './pages/quests.ts';
import { testimonialRoutes } from './pages/testimonial.ts';
import { ideaRoutes } from './pages/ideas.ts';
import { joinRoutes } from './pages/join.ts';
import { checkPortalCsrf, loadAdvocate, maybeAdvocateOf, requireAdvocate } from './session.ts';

export { PORTAL_PATH } from './session.ts';

/** A refusal is a page that says what happened (in the portal's layout when someone is in); anything else a 500 page. */
const portalErrors = (logger: Logger) => pageErrors(logger, 'portal', (res, { title, status, message }) => {
  const page: PortalPage = { title: status === 401 ? 'Not in the portal' : title, status, body: html`<p>${message}.</p>` };
  const viewer = maybeAdvocateOf(res);
  return (viewer ? portalLayout(page, viewer) : portalPublicLayout(page)).value;
});

export function portalRoutes(deps: AppDeps): Router {
  const r = Router();
  r.use(securityHeaders);
  r.use(express.urlencoded({ extended: false, limit: deps.config.bodyLimit, parameterLimit: 100 }));
  r.use(loadAdvocate(deps));
  r.use(enterRoutes(deps));
  r.use(joinRoutes(deps));
  r.use(requireAdvocate, checkPortalCsrf);
  r.use(signOutRoutes(deps));
  r.use(homeRoutes(deps));
  r.use(linkRoutes(deps));
  r.use(commissionRoutes(deps));
  r.use(payoutRoutes(deps));
  r.use(rewardRoutes(deps));
  r.use(questRoutes(deps));
  r.use(testimonialRoutes(deps));
  r.use(ideaRoutes(deps));
  r.use((_req, _res, next) => next(new ApiError(404, 'page_not_found', 'There is no portal page at this address')));
  r.use(portalErrors(deps.logger));
  return r;
}
