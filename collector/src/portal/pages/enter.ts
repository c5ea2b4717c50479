// Entering the portal and leaving it. A link's page shows a button that enters (so a mail scanner that fetches the link
// does not use it up); the button's post, refused from another site's page, uses the link once and opens a session.
// Sign-out ends the session on the server.
import { Router, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { limitSignIn } from '../../http/rateLimit.ts';
import { sameOrigin } from '../../dashboard/pages/signIn.ts';
import { html } from '../../dashboard/html.ts';
import { endPortalSession, enterWithLink } from '../../services/portalSessions.ts';
import { portalPublicLayout, type PortalPage } from '../layout.ts';
import { advocateOf, clearPortalCookie, maybeAdvocateOf, PORTAL_PATH, setPortalCookie } from '../session.ts';

export const sendPortalPublicPage = (res: Response, page: PortalPage): void => {
  res.status(page.status ?? 200).type('html').send(portalPublicLayout(page).value);
};

/** The pages anyone may open: a link's page and its button. */
export function enterRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/enter/:token', (req, res) => {
    if (maybeAdvocateOf(res)) return res.redirect(303, PORTAL_PATH);
    sendPortalPublicPage(res, {
      title: 'Your referral portal',
      body: html`<p>Your link, what it brought and what you earned are one step away.</p>
<form method="post" action="${req.originalUrl}"><button type="submit">Open my portal</button></form>`,
    });
  });
  r.post('/enter/:token', sameOrigin(deps), ...limitSignIn(deps, 'link'), async (req, res) => {
    try {
      const session = await deps.queue.run(() => enterWithLink(deps.q, String(req.params.token), deps.now()));
      setPortalCookie(req, res, session.token);
      res.redirect(303, PORTAL_PATH);
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      sendPortalPublicPage(res, { title: 'This link no longer works', status: e.status, body: html`<p>${e.message}.</p>` });
    }
  });
  return r;
}

/** POST /portal/sign-out (in the portal, CSRF checked): the session ends on the server, the cookie is cleared. */
export function signOutRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/sign-out', async (req, res) => {
    const viewer = advocateOf(res);
    const now = deps.now();
    await deps.queue.run(() => endPortalSession(deps.q, viewer.sessionHash, now));
    clearPortalCookie(req, res);
    sendPortalPublicPage(res, { title: 'Signed out', body: html`<p>You left the portal. Open a new link to come back.</p>` });
  });
  return r;
}
