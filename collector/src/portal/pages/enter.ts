// Entering the portal and leaving it. A link's page shows a button that enters (so a mail scanner that fetches the link
// does not use it up); the button's post, refused from another site's page, uses the link once and opens a session.
// A site's page may instead post its logged-in customer's SSO session token (POST /portal/sso).
// Sign-out ends the session on the server.
import { Router, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { limitSignIn } from '../../http/rateLimit.ts';
import { sameOrigin } from '../../dashboard/pages/signIn.ts';
import { html } from '../../dashboard/html.ts';
import { endPortalSession, enterWithLink, enterWithSsoToken } from '../../services/portalSessions.ts';
import { publicUrlOf } from '../../config.ts';
import { portalPublicLayout, type PortalPage } from '../layout.ts';
import { advocateOf, clearPortalCookie, maybeAdvocateOf, PORTAL_PATH, setPortalCookie } from '../session.ts';

/** The form field of POST /portal/sso: the session token POST /api/v1/sso/recognize answered. */
export const SSO_TOKEN_FIELD = 'session_token';

export const sendPortalPublicPage = (res: Response, page: PortalPage): void => {
  res.status(page.status ?? 200).type('html').send(portalPublicLayout(page).value);
};

/** The pages anyone may open: a link's page and its button, and the entry by an SSO session token. */
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
  // The site's page posts its customer's SSO session token here (a form with the field session_token): in the body, so
  // it is in no URL, log line or Referer. From the collector's own pages or the brand's allowed origins only; a failed
  // token counts on the sign-in budget of the client's IP, as a link's.
  r.post('/sso', ...limitSignIn(deps, 'link'), async (req, res) => {
    const token = (req.body as Record<string, unknown> | undefined)?.[SSO_TOKEN_FIELD];
    const own = [new URL(publicUrlOf(deps.config)).origin, `${req.protocol}://${req.host}`];
    const before = maybeAdvocateOf(res);
    try {
      const now = deps.now();
      const session = await deps.queue.run(async () => {
        const opened = await enterWithSsoToken(deps.q, typeof token === 'string' ? token : '', now, { origin: req.headers.origin, own });
        // Someone else's session in this browser ends: the cookie now names the token's advocate.
        if (before) await endPortalSession(deps.q, before.sessionHash, now);
        return opened;
      });
      setPortalCookie(req, res, session.token);
      res.redirect(303, PORTAL_PATH);
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      const message = e.status === 401 ? 'Your sign-in from the shop is not valid or has expired: open the portal from the shop again' : e.message;
      sendPortalPublicPage(res, { title: 'Not in the portal', status: e.status, body: html`<p>${message}.</p>` });
    }
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
